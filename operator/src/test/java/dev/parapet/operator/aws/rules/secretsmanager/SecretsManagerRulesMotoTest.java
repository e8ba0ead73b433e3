package dev.parapet.operator.aws.rules.secretsmanager;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secrets Manager rules. Rotation on, public policy and a never-rotated secret come from moto; the
 * dates moto cannot backdate (last rotated, last accessed, next rotation in the past) come from a
 * canned ListSecrets answer at a proxy in front of moto (moto gap, listed in docs/testing.md).
 */
class SecretsManagerRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();
  static final String REGION = "us-west-2";
  static final String ACCOUNT = "123456789012";
  static ScanReport onMoto;
  static ScanReport canned;
  static MotoProxy proxy;

  static String secret(String name, String account, String fields) {
    return "{\"ARN\":\"arn:aws:secretsmanager:"
        + REGION
        + ":"
        + account
        + ":secret:"
        + name
        + "-AbCdEf\",\"Name\":\""
        + name
        + "\""
        + fields
        + "}";
  }

  static String daysAgo(String field, int days) {
    return ",\"" + field + "\":" + Instant.now().minus(Duration.ofDays(days)).getEpochSecond();
  }

  @BeforeAll
  static void seedAndScan() {
    try (var sm = new AwsSeed(MOTO.server()).client(SecretsManagerClient.builder(), REGION)) {
      sm.createSecret(b -> b.name("open").secretString("example-not-a-secret"));
      sm.putResourcePolicy(
          b ->
              b.secretId("open")
                  .resourcePolicy(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                          + "\"Principal\":\"*\",\"Action\":\"secretsmanager:GetSecretValue\","
                          + "\"Resource\":\"*\"}]}"));
      sm.createSecret(b -> b.name("org-only").secretString("example-not-a-secret"));
      sm.putResourcePolicy(
          b ->
              b.secretId("org-only")
                  .resourcePolicy(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                          + "\"Principal\":\"*\",\"Action\":\"secretsmanager:GetSecretValue\","
                          + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                          + "{\"aws:PrincipalOrgID\":\"o-exampleorg\"}}}]}"));
      sm.createSecret(b -> b.name("no-policy").secretString("example-not-a-secret"));
    }
    onMoto =
        MotoScans.scan(
            MOTO.server(),
            List.of(REGION),
            CloudPolicy.only(
                "aws-secretsmanager-rotation-off", "aws-secretsmanager-secret-public"));

    proxy = new MotoProxy(MOTO.server());
    proxy.answerJson(
        "secretsmanager.ListSecrets",
        "{\"SecretList\":["
            + secret(
                "fresh",
                ACCOUNT,
                ",\"RotationEnabled\":true,\"RotationRules\":{\"AutomaticallyAfterDays\":30}"
                    + daysAgo("CreatedDate", 200)
                    + daysAgo("LastRotatedDate", 10)
                    + daysAgo("NextRotationDate", -20)
                    + daysAgo("LastAccessedDate", 1))
            + ","
            + secret(
                "stale",
                ACCOUNT,
                ",\"RotationEnabled\":true,\"RotationRules\":{\"AutomaticallyAfterDays\":30}"
                    + daysAgo("CreatedDate", 400)
                    + daysAgo("LastRotatedDate", 120)
                    + daysAgo("NextRotationDate", 90)
                    + daysAgo("LastAccessedDate", 100))
            + ","
            + secret("never", ACCOUNT, daysAgo("CreatedDate", 200))
            + ","
            + secret("foreign", "111122223333", daysAgo("CreatedDate", 400))
            + "]}");
    canned =
        MotoScans.scan(
            proxy.endpoint(),
            List.of(REGION),
            CloudPolicy.only(
                "aws-secretsmanager-rotation-off",
                "aws-secretsmanager-rotation-overdue",
                "aws-secretsmanager-not-rotated-90-days",
                "aws-secretsmanager-unused"),
            MotoScans.testSettings());
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void onMotoNewSecretsDoNotRotateAndOnlyTheUnconditionalPolicyIsPublic() {
    assertThat(onMoto.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(failedIds(onMoto, "aws-secretsmanager-rotation-off"))
        .containsExactlyInAnyOrder("open", "org-only", "no-policy");
    assertThat(failedIds(onMoto, "aws-secretsmanager-secret-public")).containsExactly("open");
    assertThat(passedIds(onMoto, "aws-secretsmanager-secret-public"))
        .containsExactlyInAnyOrder("org-only", "no-policy");
    assertThat(onMoto.apiCalls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "sts:GetCallerIdentity", 1L,
                "secretsmanager:ListSecrets", 1L,
                "secretsmanager:GetResourcePolicy", 3L));
  }

  @Test
  void cannedDatesDecideRotationAndUse() {
    assertThat(canned.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(failedIds(canned, "aws-secretsmanager-rotation-off")).containsExactly("never");
    assertThat(passedIds(canned, "aws-secretsmanager-rotation-off"))
        .containsExactlyInAnyOrder("fresh", "stale");
    assertThat(failedIds(canned, "aws-secretsmanager-rotation-overdue")).containsExactly("stale");
    assertThat(passedIds(canned, "aws-secretsmanager-rotation-overdue")).containsExactly("fresh");
    assertThat(failedIds(canned, "aws-secretsmanager-not-rotated-90-days"))
        .containsExactlyInAnyOrder("stale", "never");
    assertThat(passedIds(canned, "aws-secretsmanager-not-rotated-90-days"))
        .containsExactly("fresh");
    assertThat(failedIds(canned, "aws-secretsmanager-unused"))
        .containsExactlyInAnyOrder("stale", "never");
    assertThat(passedIds(canned, "aws-secretsmanager-unused")).containsExactly("fresh");
    // Another account's secret in the answer gets no verdict.
    assertThat(canned.results()).noneMatch(r -> "foreign".equals(r.resource().id()));
  }
}
