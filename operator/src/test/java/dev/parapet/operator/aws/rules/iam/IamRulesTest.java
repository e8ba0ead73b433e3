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
    return reportAt(NOW, List.of(users));
  }

  /** The same credential report, collected at {@code now}. */
  private static Inventory reportAt(Instant now, List<UserCredentials> users) {
    return Inventory.builder("123456789012")
        .regions(List.of("eu-west-1"))
        .collectedAt(now)
        .known(CredentialReport.class, "global", new CredentialReport(NOW, users))
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
    assertThat(never.evidence())
        .isEqualTo(
            "User never-used-key: access key 1 never used, created 2026-04-02 (limit: 45 days unused)");
    var stale =
        results.stream().filter(r -> r.resource().id().equals("stale-password")).findFirst().get();
    assertThat(stale.evidence()).contains("password last used 2026-04-17");
  }

  /**
   * An unchanged inventory scanned a day later must give the same evidence, else each Finding would
   * be rewritten daily although nothing changed in AWS.
   */
  @Test
  void evidenceOfUnchangedCredentialsDoesNotChangeFromDayToDay() {
    var users =
        List.of(
            user("stale-password", true, daysAgo(100), true),
            user("never-used-key", false, null, false, new AccessKey(1, true, daysAgo(120), null)),
            user("old-key", false, null, false, new AccessKey(2, true, daysAgo(200), daysAgo(1))));
    var tomorrow = NOW.plus(Duration.ofDays(1));
    for (AwsRule rule :
        List.<AwsRule>of(new UnusedCredentialsRule(), new AccessKeyRotationRule())) {
      var today = run(rule, reportAt(NOW, users));
      var nextDay = run(rule, reportAt(tomorrow, users));
      var failing =
          rule instanceof UnusedCredentialsRule
              ? List.of("stale-password", "never-used-key")
              : List.of("never-used-key", "old-key");
      assertThat(ids(today, ResultStatus.FAIL))
          .as(rule.metadata().id())
          .containsExactlyInAnyOrderElementsOf(failing);
      assertThat(nextDay)
          .extracting(RuleResult::status)
          .containsExactlyElementsOf(today.stream().map(RuleResult::status).toList());
      assertThat(nextDay)
          .extracting(RuleResult::evidence)
          .as(rule.metadata().id())
          .containsExactlyElementsOf(today.stream().map(RuleResult::evidence).toList());
    }
    var rotation = run(new AccessKeyRotationRule(), reportAt(NOW, users));
    assertThat(rotation)
        .filteredOn(r -> r.resource().id().equals("old-key"))
        .singleElement()
        .extracting(RuleResult::evidence)
        .isEqualTo("User old-key: access key 2 created 2025-11-13, older than the 90-day limit");
  }

  @Test
  void unusedCredentialDaysAtANonDefaultValue() {
    var at30 = new RuleParameters(RuleParameters.DEFAULT_SENSITIVE_PORTS, 90, 30, 14, 24, false);
    var inventory =
        report(
            user("password-35", true, daysAgo(35), true),
            user("key-35", false, null, false, new AccessKey(1, true, daysAgo(200), daysAgo(35))),
            user("password-20", true, daysAgo(20), true));
    var strict = new UnusedCredentialsRule().evaluate(inventory, at30);
    assertThat(ids(strict, ResultStatus.FAIL)).containsExactlyInAnyOrder("password-35", "key-35");
    assertThat(ids(strict, ResultStatus.PASS)).containsExactly("password-20");
    assertThat(strict)
        .filteredOn(r -> r.status() == ResultStatus.FAIL)
        .allSatisfy(r -> assertThat(r.evidence()).endsWith("(limit: 30 days unused)"));
    var byDefault = run(new UnusedCredentialsRule(), inventory);
    assertThat(ids(byDefault, ResultStatus.FAIL)).as("45 days by default").isEmpty();
    assertThat(ids(byDefault, ResultStatus.PASS))
        .containsExactlyInAnyOrder("password-35", "key-35", "password-20");
  }

  @Test
  void maxAccessKeyAgeDaysAtANonDefaultValue() {
    var at30 = new RuleParameters(RuleParameters.DEFAULT_SENSITIVE_PORTS, 30, 45, 14, 24, false);
    var inventory =
        report(
            user("key-45", false, null, false, new AccessKey(1, true, daysAgo(45), daysAgo(1))),
            user("key-20", false, null, false, new AccessKey(1, true, daysAgo(20), daysAgo(1))));
    var strict = new AccessKeyRotationRule().evaluate(inventory, at30);
    assertThat(ids(strict, ResultStatus.FAIL)).containsExactly("key-45");
    assertThat(ids(strict, ResultStatus.PASS)).containsExactly("key-20");
    assertThat(
            strict.stream()
                .filter(r -> r.status() == ResultStatus.FAIL)
                .findFirst()
                .get()
                .evidence())
        .isEqualTo("User key-45: access key 1 created 2026-04-17, older than the 30-day limit");
    var byDefault = run(new AccessKeyRotationRule(), inventory);
    assertThat(ids(byDefault, ResultStatus.FAIL)).as("90 days by default").isEmpty();
    assertThat(ids(byDefault, ResultStatus.PASS)).containsExactlyInAnyOrder("key-45", "key-20");
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
    // a user without an active key has no old key and not two active ones: a pass (CIS 1.12/1.13)
    assertThat(ids(results, ResultStatus.PASS)).containsExactlyInAnyOrder("ok", "nokeys");
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
