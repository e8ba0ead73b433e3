package dev.parapet.operator.aws.rules.secretsmanager;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.PublicPolicy;
import dev.parapet.operator.aws.inventory.secretsmanager.SecretPolicies;
import dev.parapet.operator.aws.inventory.secretsmanager.Secrets;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.PerResourceRule;
import dev.parapet.operator.aws.rules.PerResourceRule.Verdict;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Secrets Manager rules (FSBP SecretsManager.1-4, plus public resource policies). */
public final class SecretsManagerRules {
  private static final String DOCS =
      "https://docs.aws.amazon.com/securityhub/latest/userguide/secretsmanager-controls.html";

  /** FSBP's default for SecretsManager.3 and SecretsManager.4. */
  static final int MAX_DAYS = 90;

  /** Rotation may run up to a day after its scheduled date before it counts as overdue. */
  static final Duration ROTATION_GRACE = Duration.ofDays(1);

  static final AwsRule ROTATION_OFF =
      rule(
          RuleDefinition.builder("aws-secretsmanager-rotation-off")
              .title(
                  "Secrets Manager secret does not rotate automatically",
                  "Secrets Manager のシークレットで自動ローテーションが有効になっていません")
              .remediation(
                  "Configure automatic rotation (aws secretsmanager rotate-secret --secret-id <id>"
                      + " --rotation-lambda-arn <arn> --rotation-rules AutomaticallyAfterDays=30),"
                      + " or a managed rotation for secrets of RDS and other services.",
                  "自動ローテーションを設定してください (aws secretsmanager rotate-secret --secret-id <id>"
                      + " --rotation-lambda-arn <arn> --rotation-rules AutomaticallyAfterDays=30)。"
                      + "RDS などのサービスのシークレットにはマネージドローテーションを使用してください。",
                  DOCS + "#secretsmanager-1")
              .severity(Severity.MEDIUM)
              .fsbp("SecretsManager.1"),
          (view, s) ->
              Verdict.failIf(
                  !s.rotationEnabled(), "Secret " + s.name() + " has automatic rotation off"));

  static final AwsRule ROTATION_OVERDUE =
      rule(
          RuleDefinition.builder("aws-secretsmanager-rotation-overdue")
              .title(
                  "Secrets Manager secret with rotation on has not rotated as scheduled",
                  "ローテーションが有効な Secrets Manager のシークレットが予定どおりにローテーションされていません")
              .remediation(
                  "Find why the rotation failed (the rotation function's logs, its permissions and"
                      + " network access to the database), fix it and rotate once"
                      + " (aws secretsmanager rotate-secret --secret-id <id>).",
                  "ローテーションが失敗した原因 (ローテーション関数のログ、権限、データベースへのネットワーク接続) を調べて修正し、"
                      + "一度ローテーションしてください (aws secretsmanager rotate-secret --secret-id <id>)。",
                  DOCS + "#secretsmanager-2")
              .severity(Severity.MEDIUM)
              .fsbp("SecretsManager.2"),
          (view, s) -> {
            if (!s.rotationEnabled()) {
              return Verdict.notApplicable(); // aws-secretsmanager-rotation-off reports it
            }
            var due = s.nextRotation();
            if (due == null && s.rotationDays() != null) {
              var from = s.lastRotated() != null ? s.lastRotated() : s.created();
              due = from == null ? null : from.plus(Duration.ofDays(s.rotationDays()));
            }
            if (due == null) {
              return Verdict.pass(); // rotation on, nothing scheduled yet to be late
            }
            return Verdict.failIf(
                due.plus(ROTATION_GRACE).isBefore(view.now()),
                "Secret " + s.name() + " was due to rotate on " + due + " and has not");
          });

  static final AwsRule NOT_ROTATED =
      rule(
          RuleDefinition.builder("aws-secretsmanager-not-rotated-90-days")
              .title(
                  "Secrets Manager secret has not been rotated for more than 90 days",
                  "Secrets Manager のシークレットが 90 日を超えてローテーションされていません")
              .remediation(
                  "Rotate the secret (aws secretsmanager rotate-secret --secret-id <id>) and keep"
                      + " automatic rotation at 90 days or less.",
                  "シークレットをローテーションし (aws secretsmanager rotate-secret --secret-id <id>)、"
                      + "自動ローテーションの間隔を 90 日以下にしてください。",
                  DOCS + "#secretsmanager-4")
              .severity(Severity.MEDIUM)
              .fsbp("SecretsManager.4"),
          (view, s) -> {
            var since = s.lastRotated() != null ? s.lastRotated() : s.created();
            if (since == null) {
              return Verdict.notApplicable();
            }
            return Verdict.failIf(
                olderThan(since, view.now()),
                "Secret "
                    + s.name()
                    + (s.lastRotated() != null ? " was last rotated on " : " was created on ")
                    + since
                    + (s.lastRotated() != null ? "" : " and never rotated"));
          });

  static final AwsRule UNUSED =
      rule(
          RuleDefinition.builder("aws-secretsmanager-unused")
              .title(
                  "Secrets Manager secret has not been used for more than 90 days",
                  "Secrets Manager のシークレットが 90 日を超えて使用されていません")
              .remediation(
                  "Confirm that nothing needs the secret, then delete it with a recovery window"
                      + " (aws secretsmanager delete-secret --secret-id <id>"
                      + " --recovery-window-in-days 30).",
                  "シークレットが不要であることを確認し、復旧期間を付けて削除してください (aws secretsmanager"
                      + " delete-secret --secret-id <id> --recovery-window-in-days 30)。",
                  DOCS + "#secretsmanager-3")
              .severity(Severity.MEDIUM)
              .fsbp("SecretsManager.3"),
          (view, s) -> {
            var since = s.lastAccessed() != null ? s.lastAccessed() : s.created();
            if (since == null) {
              return Verdict.notApplicable();
            }
            return Verdict.failIf(
                olderThan(since, view.now()),
                "Secret "
                    + s.name()
                    + (s.lastAccessed() != null
                        ? " was last accessed on " + s.lastAccessed()
                        : " was created on " + since + " and never accessed"));
          });

  static final AwsRule PUBLIC =
      new PerResourceRule<>(
          RuleDefinition.builder("aws-secretsmanager-secret-public")
              .title(
                  "Secrets Manager secret resource policy allows public access",
                  "Secrets Manager のシークレットのリソースポリシーがパブリックアクセスを許可しています")
              .remediation(
                  "Remove the statements that allow any principal (\"*\") without a condition on"
                      + " the caller's account or organization (aws secretsmanager"
                      + " put-resource-policy --block-public-policy refuses such policies).",
                  "任意のプリンシパル (\"*\") を呼び出し元のアカウントや組織の条件なしに許可しているステートメントを削除してください"
                      + " (aws secretsmanager put-resource-policy --block-public-policy はそのようなポリシーを拒否します)。",
                  "https://docs.aws.amazon.com/secretsmanager/latest/userguide/determine-acccess_examine-iam-policies.html")
              .severity(Severity.CRITICAL)
              .resourceType("AWS::SecretsManager::Secret")
              .reads(Secrets.class, SecretPolicies.class)
              .build(),
          Secrets.class,
          Secrets::secrets,
          SecretsManagerRules::resource,
          (view, s) -> {
            Fact<java.util.Optional<dev.parapet.operator.aws.inventory.PolicyDocument>> policy =
                view.get(SecretPolicies.class).byArn().get(s.arn());
            if (policy == null) {
              return Verdict.notApplicable(); // listed after the policies were read
            }
            return Verdict.on(
                policy,
                p -> {
                  var open = p.map(PublicPolicy::publicStatements).orElse(List.of());
                  return Verdict.failIf(
                      !open.isEmpty(),
                      "Secret "
                          + s.name()
                          + " resource policy allows any principal in statement(s) "
                          + open);
                });
          });

  private SecretsManagerRules() {}

  public static List<AwsRule> all() {
    return List.of(ROTATION_OFF, ROTATION_OVERDUE, NOT_ROTATED, UNUSED, PUBLIC);
  }

  private static AwsRule rule(
      RuleDefinition.Builder definition,
      java.util.function.BiFunction<RegionView, Secrets.Secret, Verdict> judge) {
    return new PerResourceRule<>(
        definition.resourceType("AWS::SecretsManager::Secret").reads(Secrets.class).build(),
        Secrets.class,
        Secrets::secrets,
        SecretsManagerRules::resource,
        judge);
  }

  static boolean olderThan(Instant since, Instant now) {
    return since.plus(Duration.ofDays(MAX_DAYS)).isBefore(now);
  }

  static Resource resource(RegionView view, Secrets.Secret s) {
    return new Resource(
        "AWS::SecretsManager::Secret",
        s.name(),
        s.arn(),
        view.accountId(),
        view.region(),
        s.tags());
  }
}
