package dev.parapet.operator.aws.rules.ecr;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.PublicPolicy;
import dev.parapet.operator.aws.inventory.ecr.Repositories;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.PerResourceRule;
import dev.parapet.operator.aws.rules.PerResourceRule.Verdict;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** ECR rules (FSBP ECR.1, ECR.2, ECR.3, plus public repository policies). */
public final class EcrRules {
  private static final String DOCS =
      "https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html";
  private static final Set<String> SCANNING = Set.of("SCAN_ON_PUSH", "CONTINUOUS_SCAN");

  static final AwsRule SCAN_ON_PUSH_OFF =
      new PerResourceRule<>(
          definition("aws-ecr-scan-on-push-off")
              .title(
                  "ECR repository images are not scanned on push",
                  "ECR リポジトリでプッシュ時のイメージスキャンが有効になっていません")
              .remediation(
                  "Turn on scan on push for the repository (aws ecr put-image-scanning-configuration"
                      + " --repository-name <name> --image-scanning-configuration scanOnPush=true)"
                      + " or add a registry scanning rule (scan on push or continuous) whose filter"
                      + " matches it.",
                  "リポジトリでプッシュ時のスキャンを有効にするか (aws ecr put-image-scanning-configuration"
                      + " --repository-name <name> --image-scanning-configuration scanOnPush=true)、"
                      + "リポジトリに一致するレジストリのスキャンルール (プッシュ時または継続的) を追加してください。",
                  DOCS + "#ecr-1")
              .severity(Severity.HIGH)
              .fsbp("ECR.1")
              .build(),
          Repositories.class,
          Repositories::repositories,
          EcrRules::resource,
          (view, r) -> {
            if (r.scanOnPush()) {
              return Verdict.pass();
            }
            return Verdict.on(
                view.get(Repositories.class).registryScanning(),
                registry ->
                    Verdict.failIf(
                        registry.rules().stream()
                            .noneMatch(
                                rule ->
                                    SCANNING.contains(rule.frequency())
                                        && rule.wildcardFilters().stream()
                                            .anyMatch(f -> matches(f, r.name()))),
                        "Repository "
                            + r.name()
                            + " has scanOnPush off and no registry scanning rule ("
                            + registry.scanType()
                            + ") covers it"));
          });

  static final AwsRule TAGS_MUTABLE =
      new PerResourceRule<>(
          definition("aws-ecr-tags-mutable")
              .title(
                  "ECR repository allows image tags to be overwritten",
                  "ECR リポジトリでイメージタグの上書きが許可されています")
              .remediation(
                  "Make tags immutable (aws ecr put-image-tag-mutability --repository-name <name>"
                      + " --image-tag-mutability IMMUTABLE).",
                  "タグを変更不可にしてください (aws ecr put-image-tag-mutability --repository-name <name>"
                      + " --image-tag-mutability IMMUTABLE)。",
                  DOCS + "#ecr-2")
              .severity(Severity.MEDIUM)
              .fsbp("ECR.2")
              .build(),
          Repositories.class,
          Repositories::repositories,
          EcrRules::resource,
          (view, r) ->
              r.tagMutability() == null
                  ? Verdict.notApplicable()
                  : Verdict.failIf(
                      !r.tagMutability().startsWith("IMMUTABLE"),
                      "Repository " + r.name() + " has image tag mutability " + r.tagMutability()));

  static final AwsRule NO_LIFECYCLE =
      new PerResourceRule<>(
          definition("aws-ecr-no-lifecycle-policy")
              .title("ECR repository has no lifecycle policy", "ECR リポジトリにライフサイクルポリシーが設定されていません")
              .remediation(
                  "Add a lifecycle policy that expires old or untagged images (aws ecr"
                      + " put-lifecycle-policy --repository-name <name> --lifecycle-policy-text"
                      + " file://policy.json).",
                  "古いイメージやタグなしイメージを期限切れにするライフサイクルポリシーを設定してください (aws ecr"
                      + " put-lifecycle-policy --repository-name <name> --lifecycle-policy-text"
                      + " file://policy.json)。",
                  DOCS + "#ecr-3")
              .severity(Severity.MEDIUM)
              .fsbp("ECR.3")
              .build(),
          Repositories.class,
          Repositories::repositories,
          EcrRules::resource,
          (view, r) ->
              Verdict.on(
                  r.lifecyclePolicy(),
                  present ->
                      Verdict.failIf(
                          !present, "Repository " + r.name() + " has no lifecycle policy")));

  static final AwsRule PUBLIC =
      new PerResourceRule<>(
          definition("aws-ecr-repository-public")
              .title(
                  "ECR repository policy allows public access", "ECR リポジトリポリシーがパブリックアクセスを許可しています")
              .remediation(
                  "Remove the statements that allow any principal (\"*\") without a condition on"
                      + " the caller's account or organization (aws ecr set-repository-policy or"
                      + " delete-repository-policy).",
                  "任意のプリンシパル (\"*\") を呼び出し元のアカウントや組織の条件なしに許可しているステートメントを削除してください"
                      + " (aws ecr set-repository-policy または delete-repository-policy)。",
                  "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html")
              .severity(Severity.CRITICAL)
              .build(),
          Repositories.class,
          Repositories::repositories,
          EcrRules::resource,
          (view, r) ->
              Verdict.on(
                  r.policy(),
                  p -> {
                    var open = p.map(PublicPolicy::publicStatements).orElse(List.of());
                    return Verdict.failIf(
                        !open.isEmpty(),
                        "Repository "
                            + r.name()
                            + " policy allows any principal in statement(s) "
                            + open);
                  }));

  private EcrRules() {}

  public static List<AwsRule> all() {
    return List.of(SCAN_ON_PUSH_OFF, TAGS_MUTABLE, NO_LIFECYCLE, PUBLIC);
  }

  private static RuleDefinition.Builder definition(String id) {
    return RuleDefinition.builder(id)
        .resourceType("AWS::ECR::Repository")
        .reads(Repositories.class);
  }

  /** An ECR wildcard filter: {@code *} matches any run of characters, the rest literally. */
  static boolean matches(String filter, String name) {
    var regex =
        java.util.Arrays.stream(filter.split("\\*", -1))
            .map(Pattern::quote)
            .collect(java.util.stream.Collectors.joining(".*"));
    return Pattern.matches(regex, name);
  }

  static Resource resource(RegionView view, Repositories.Repository r) {
    return new Resource(
        "AWS::ECR::Repository", r.name(), r.arn(), view.accountId(), view.region(), Map.of());
  }
}
