package dev.parapet.operator.aws.rules.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import dev.parapet.operator.aws.inventory.iam.AccountSummary;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import dev.parapet.operator.aws.inventory.iam.CredentialReport;
import dev.parapet.operator.aws.inventory.iam.CredentialReport.AccessKey;
import dev.parapet.operator.aws.inventory.iam.CredentialReport.UserCredentials;
import dev.parapet.operator.aws.inventory.iam.PasswordPolicy;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IAM rules on in-memory inventories: FAIL, PASS and UNKNOWN for each, no cloud. */
class IamRulesTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  private static Instant daysAgo(int days) {
    return NOW.minus(Duration.ofDays(days));
  }

  private static Inventory.Builder base() {
    return Inventory.builder("123456789012").regions(List.of("eu-west-1")).collectedAt(NOW);
  }

  private static List<RuleResult> run(AwsRule rule, Inventory inventory) {
    return rule.evaluate(inventory, RuleParameters.defaults());
  }

  private static List<String> ids(List<RuleResult> results, ResultStatus status) {
    return results.stream().filter(r -> r.status() == status).map(r -> r.resource().id()).toList();
  }

  private static UserCredentials user(
      String name, Boolean password, Instant passwordUsed, boolean mfa, AccessKey... keys) {
    return new UserCredentials(
        name,
        "arn:aws:iam::123456789012:user/" + name,
        daysAgo(400),
        password,
        passwordUsed,
        daysAgo(400),
        mfa,
        List.of(keys));
  }

  private static Inventory report(UserCredentials... users) {
    return base()
        .known(CredentialReport.class, "global", new CredentialReport(NOW, List.of(users)))
        .build();
  }

  @Test
  void rootMfaAndRootKeysFromTheAccountSummary() {
    var bad =
        base()
            .known(
                AccountSummary.class,
                "global",
                new AccountSummary(Map.of("AccountMFAEnabled", 0, "AccountAccessKeysPresent", 1)))
            .build();
    var good =
        base()
            .known(
                AccountSummary.class,
                "global",
                new AccountSummary(Map.of("AccountMFAEnabled", 1, "AccountAccessKeysPresent", 0)))
            .build();
    var silent = base().known(AccountSummary.class, "global", new AccountSummary(Map.of())).build();
    for (AwsRule rule : List.<AwsRule>of(new RootMfaOffRule(), new RootAccessKeyRule())) {
      assertThat(run(rule, bad)).extracting(RuleResult::status).containsExactly(ResultStatus.FAIL);
      assertThat(run(rule, good)).extracting(RuleResult::status).containsExactly(ResultStatus.PASS);
      assertThat(run(rule, silent))
          .extracting(RuleResult::status)
          .containsExactly(ResultStatus.UNKNOWN);
      assertThat(run(rule, base().build()))
          .extracting(RuleResult::status)
          .containsExactly(ResultStatus.UNKNOWN);
    }
    assertThat(run(new RootMfaOffRule(), bad).get(0).resource().arn())
        .isEqualTo("arn:aws:iam::123456789012:root");
  }

  @Test
  void consoleUsersNeedMfaAndRootAndKeyOnlyUsersAreNotJudged() {
    var root =
        new UserCredentials(
            CredentialReport.ROOT,
            "arn:aws:iam::123456789012:root",
            daysAgo(900),
            null,
            daysAgo(1),
            null,
            false,
            List.of());
    var results =
        run(
            new ConsoleUserWithoutMfaRule(),
            report(
                root,
                user("nomfa", true, daysAgo(1), false),
                user("mfa", true, daysAgo(1), true),
                user(
                    "robot", false, null, false, new AccessKey(1, true, daysAgo(10), daysAgo(1)))));
    assertThat(ids(results, ResultStatus.FAIL)).containsExactly("nomfa");
    assertThat(ids(results, ResultStatus.PASS)).containsExactly("mfa");
    assertThat(run(new ConsoleUserWithoutMfaRule(), base().build()))
        .extracting(RuleResult::status)
        .containsExactly(ResultStatus.UNKNOWN);
  }

  @Test
  void unusedCredentialsCountFromLastUseOrFromCreationWhenNeverUsed() {
    var results =
        run(
            new UnusedCredentialsRule(),
            report(
                user("stale-password", true, daysAgo(45), true),
                user(
                    "never-used-key",
                    false,
                    null,
                    false,
                    new AccessKey(1, true, daysAgo(60), null)),
                user(
                    "fresh",
                    true,
                    daysAgo(44),
                    true,
                    new AccessKey(1, true, daysAgo(60), daysAgo(3))),
                user(
                    "inactive-old-key",
                    false,
                    null,
                    false,
                    new AccessKey(1, false, daysAgo(300), null))));
    assertThat(ids(results, ResultStatus.FAIL))
        .containsExactlyInAnyOrder("stale-password", "never-used-key");
    assertThat(ids(results, ResultStatus.PASS)).containsExactly("fresh");
    var never =
        results.stream().filter(r -> r.resource().id().equals("never-used-key")).findFirst().get();
    assertThat(never.evidence()).contains("access key 1 never used").contains("60 days");
  }

  @Test
  void unusedCredentialDaysComeFromThePolicyParameters() {
    var strict = new RuleParameters(RuleParameters.DEFAULT_SENSITIVE_PORTS, 90, 30, 14, 24, false);
    var results =
        new UnusedCredentialsRule().evaluate(report(user("u", true, daysAgo(35), true)), strict);
    assertThat(ids(results, ResultStatus.FAIL)).containsExactly("u");
  }

  @Test
  void accessKeysOlderThanTheLimitOrTwoActiveKeysFail() {
    var results =
        run(
            new AccessKeyRotationRule(),
            report(
                user("old", false, null, false, new AccessKey(1, true, daysAgo(91), daysAgo(1))),
                user(
                    "two",
                    false,
                    null,
                    false,
                    new AccessKey(1, true, daysAgo(5), daysAgo(1)),
                    new AccessKey(2, true, daysAgo(6), daysAgo(1))),
                user(
                    "ok",
                    false,
                    null,
                    false,
                    new AccessKey(1, true, daysAgo(90), daysAgo(1)),
                    new AccessKey(2, false, daysAgo(400), null)),
                user("nokeys", true, daysAgo(1), true)));
    assertThat(ids(results, ResultStatus.FAIL)).containsExactlyInAnyOrder("old", "two");
    assertThat(ids(results, ResultStatus.PASS)).containsExactly("ok");
  }

  @Test
  void missingPasswordPolicyIsAKnownFail() {
    var rule = new WeakPasswordPolicyRule();
    var none =
        run(rule, base().known(PasswordPolicy.class, "global", PasswordPolicy.none()).build());
    assertThat(none)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(ResultStatus.FAIL);
              assertThat(r.evidence()).contains("no IAM password policy");
            });
    var weak =
        run(
            rule,
            base().known(PasswordPolicy.class, "global", new PasswordPolicy(true, 8, 24)).build());
    assertThat(weak.get(0).evidence()).contains("minimum length 8 < 14");
    var strong =
        run(
            rule,
            base().known(PasswordPolicy.class, "global", new PasswordPolicy(true, 14, 24)).build());
    assertThat(strong).extracting(RuleResult::status).containsExactly(ResultStatus.PASS);
    assertThat(run(rule, base().build()))
        .extracting(RuleResult::status)
        .containsExactly(ResultStatus.UNKNOWN);
  }

  @Test
  void adminPoliciesInAttachedManagedAndInlinePoliciesFail() {
    var admin =
        new PolicyDocument(
            List.of(
                new PolicyDocument.Statement(
                    "",
                    "Allow",
                    List.of(),
                    List.of("*"),
                    List.of(),
                    List.of("*"),
                    List.of(),
                    Map.of())));
    var s3Only =
        new PolicyDocument(
            List.of(
                new PolicyDocument.Statement(
                    "",
                    "Allow",
                    List.of(),
                    List.of("s3:*"),
                    List.of(),
                    List.of("*"),
                    List.of(),
                    Map.of())));
    var details =
        new AuthorizationDetails(
            List.of(
                new AuthorizationDetails.ManagedPolicy(
                    "arn:aws:iam::123456789012:policy/admin", "admin", 1, false, admin),
                new AuthorizationDetails.ManagedPolicy(
                    "arn:aws:iam::123456789012:policy/unused-admin",
                    "unused-admin",
                    0,
                    false,
                    admin),
                new AuthorizationDetails.ManagedPolicy(
                    "arn:aws:iam::123456789012:policy/s3", "s3", 2, false, s3Only)),
            List.of(
                new AuthorizationDetails.InlinePolicy(
                    "Role", "ops", "arn:aws:iam::123456789012:role/ops", "all", admin),
                new AuthorizationDetails.InlinePolicy(
                    "User", "bob", "arn:aws:iam::123456789012:user/bob", "s3", s3Only)),
            2);
    var results =
        run(
            new AdminPolicyAttachedRule(),
            base().known(AuthorizationDetails.class, "global", details).build());
    assertThat(ids(results, ResultStatus.FAIL)).containsExactlyInAnyOrder("admin", "ops/all");
    assertThat(ids(results, ResultStatus.PASS)).containsExactlyInAnyOrder("s3", "bob/s3");
    assertThat(run(new AdminPolicyAttachedRule(), base().build()))
        .extracting(RuleResult::status)
        .containsExactly(ResultStatus.UNKNOWN);
  }
}
