package dev.parapet.operator.aws.rules.lambda;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.PublicPolicy;
import dev.parapet.operator.aws.inventory.lambda.Functions;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.PerResourceRule;
import dev.parapet.operator.aws.rules.PerResourceRule.Verdict;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Lambda rules (FSBP Lambda.1, Lambda.2, Lambda.7, plus function URLs without IAM auth). */
public final class LambdaRules {
  private static final String DOCS =
      "https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html";

  /**
   * Deprecation dates of Lambda runtimes (the Lambda runtimes page): after it a runtime gets no
   * security patches. A runtime not listed is taken as supported, so the table must grow as AWS
   * announces deprecations.
   */
  static final Map<String, LocalDate> DEPRECATED =
      Map.ofEntries(
          Map.entry("python2.7", LocalDate.of(2021, 7, 15)),
          Map.entry("python3.6", LocalDate.of(2022, 7, 18)),
          Map.entry("python3.7", LocalDate.of(2023, 12, 4)),
          Map.entry("python3.8", LocalDate.of(2024, 10, 14)),
          Map.entry("python3.9", LocalDate.of(2025, 12, 15)),
          Map.entry("nodejs", LocalDate.of(2016, 10, 31)),
          Map.entry("nodejs4.3", LocalDate.of(2020, 3, 5)),
          Map.entry("nodejs4.3-edge", LocalDate.of(2019, 4, 30)),
          Map.entry("nodejs6.10", LocalDate.of(2019, 8, 12)),
          Map.entry("nodejs8.10", LocalDate.of(2020, 3, 6)),
          Map.entry("nodejs10.x", LocalDate.of(2021, 7, 30)),
          Map.entry("nodejs12.x", LocalDate.of(2023, 3, 31)),
          Map.entry("nodejs14.x", LocalDate.of(2023, 12, 4)),
          Map.entry("nodejs16.x", LocalDate.of(2024, 6, 12)),
          Map.entry("nodejs18.x", LocalDate.of(2025, 9, 1)),
          Map.entry("java8", LocalDate.of(2024, 1, 8)),
          Map.entry("dotnetcore1.0", LocalDate.of(2019, 7, 30)),
          Map.entry("dotnetcore2.0", LocalDate.of(2019, 5, 30)),
          Map.entry("dotnetcore2.1", LocalDate.of(2022, 1, 5)),
          Map.entry("dotnetcore3.1", LocalDate.of(2023, 4, 3)),
          Map.entry("dotnet5.0", LocalDate.of(2022, 5, 10)),
          Map.entry("dotnet6", LocalDate.of(2024, 12, 20)),
          Map.entry("dotnet7", LocalDate.of(2024, 5, 14)),
          Map.entry("go1.x", LocalDate.of(2024, 1, 8)),
          Map.entry("ruby2.5", LocalDate.of(2021, 7, 30)),
          Map.entry("ruby2.7", LocalDate.of(2023, 12, 7)),
          Map.entry("ruby3.2", LocalDate.of(2026, 3, 31)),
          Map.entry("provided", LocalDate.of(2024, 1, 8)));

  static final AwsRule PUBLIC =
      rule(
          RuleDefinition.builder("aws-lambda-function-public")
              .title(
                  "Lambda function resource policy allows public access",
                  "Lambda 関数のリソースポリシーがパブリックアクセスを許可しています")
              .remediation(
                  "Remove the permission statements that allow any principal (\"*\") without a"
                      + " condition on the caller's account or source (aws lambda"
                      + " remove-permission --function-name <name> --statement-id <sid>).",
                  "任意のプリンシパル (\"*\") を呼び出し元のアカウントや送信元の条件なしに許可しているステートメントを削除してください"
                      + " (aws lambda remove-permission --function-name <name> --statement-id <sid>)。",
                  DOCS + "#lambda-1")
              .severity(Severity.CRITICAL)
              .fsbp("Lambda.1"),
          (view, f) ->
              Verdict.on(
                  f.policy(),
                  p -> {
                    var open = p.map(PublicPolicy::publicStatements).orElse(List.of());
                    return Verdict.failIf(
                        !open.isEmpty(),
                        "Function "
                            + f.name()
                            + " policy allows any principal in statement(s) "
                            + open);
                  }));

  static final AwsRule URL_AUTH_NONE =
      rule(
          RuleDefinition.builder("aws-lambda-function-url-auth-none")
              .title(
                  "Lambda function URL does not require IAM authentication (AuthType NONE)",
                  "Lambda 関数 URL が IAM 認証を必要としていません (AuthType NONE)")
              .remediation(
                  "Set the URL's auth type to AWS_IAM (aws lambda update-function-url-config"
                      + " --function-name <name> --auth-type AWS_IAM), or delete the URL and put"
                      + " an authenticating front end (API Gateway, CloudFront) before the function.",
                  "URL の認証タイプを AWS_IAM にするか (aws lambda update-function-url-config --function-name"
                      + " <name> --auth-type AWS_IAM)、URL を削除して認証を行うフロントエンド (API Gateway、CloudFront)"
                      + " を関数の前に置いてください。",
                  "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html")
              .severity(Severity.HIGH),
          (view, f) ->
              Verdict.on(
                  f.urlAuthType(),
                  auth ->
                      auth.isEmpty()
                          ? Verdict.notApplicable()
                          : Verdict.failIf(
                              "NONE".equals(auth.get()),
                              "Function " + f.name() + " has a function URL with AuthType NONE")));

  static final AwsRule RUNTIME_DEPRECATED =
      rule(
          RuleDefinition.builder("aws-lambda-runtime-deprecated")
              .title("Lambda function uses a deprecated runtime", "Lambda 関数が非推奨のランタイムを使用しています")
              .remediation(
                  "Move the function to a supported runtime version (aws lambda"
                      + " update-function-configuration --function-name <name> --runtime <runtime>)"
                      + " after testing the code on it.",
                  "コードを検証したうえで、サポートされているランタイムに移行してください (aws lambda"
                      + " update-function-configuration --function-name <name> --runtime <runtime>)。",
                  DOCS + "#lambda-2")
              .severity(Severity.MEDIUM)
              .fsbp("Lambda.2"),
          (view, f) -> {
            if (f.runtime() == null || f.runtime().isEmpty()) {
              return Verdict.notApplicable(); // container image: no managed runtime
            }
            var deprecated = DEPRECATED.get(f.runtime());
            var today = LocalDate.ofInstant(view.now(), ZoneOffset.UTC);
            return Verdict.failIf(
                deprecated != null && !today.isBefore(deprecated),
                "Function "
                    + f.name()
                    + " uses "
                    + f.runtime()
                    + ", deprecated since "
                    + deprecated);
          });

  static final AwsRule TRACING_OFF =
      rule(
          RuleDefinition.builder("aws-lambda-tracing-off")
              .title(
                  "Lambda function does not have X-Ray active tracing",
                  "Lambda 関数で X-Ray のアクティブトレースが有効になっていません")
              .remediation(
                  "Turn on active tracing (aws lambda update-function-configuration --function-name"
                      + " <name> --tracing-config Mode=Active).",
                  "アクティブトレースを有効にしてください (aws lambda update-function-configuration --function-name"
                      + " <name> --tracing-config Mode=Active)。",
                  DOCS + "#lambda-7")
              .severity(Severity.LOW)
              .fsbp("Lambda.7"),
          (view, f) ->
              Verdict.failIf(
                  !"Active".equals(f.tracingMode()),
                  "Function "
                      + f.name()
                      + " has tracing mode "
                      + (f.tracingMode() == null ? "unset" : f.tracingMode())));

  private LambdaRules() {}

  public static List<AwsRule> all() {
    return List.of(PUBLIC, URL_AUTH_NONE, RUNTIME_DEPRECATED, TRACING_OFF);
  }

  private static AwsRule rule(
      RuleDefinition.Builder definition,
      java.util.function.BiFunction<RegionView, Functions.Function, Verdict> judge) {
    return new PerResourceRule<>(
        definition.resourceType("AWS::Lambda::Function").reads(Functions.class).build(),
        Functions.class,
        Functions::functions,
        LambdaRules::resource,
        judge);
  }

  static Resource resource(RegionView view, Functions.Function f) {
    return new Resource(
        "AWS::Lambda::Function", f.name(), f.arn(), view.accountId(), view.region(), Map.of());
  }
}
