package dev.parapet.operator.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.scan.CheckResult;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.operator.scan.TestRules;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Policy exceptions on cloud results, on the path users take: PosturePolicies merged for the
 * account, then applied to the desired Findings. Every given criterion must match (account and
 * region exactly, ARN as a glob, tags all present), and an exception stops waiving at its expiry.
 */
class CloudFindingsExceptionsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String ACCOUNT = "123456789012";
  private static final String SSH = TestRules.SSH.id();

  private static CheckResult sshOpen(String group, Map<String, String> tags) {
    return new CheckResult(
        TestRules.SSH,
        TestRules.SSH.severity(),
        "eu-west-1",
        "AWS::EC2::SecurityGroup",
        group,
        "arn:aws:ec2:eu-west-1:" + ACCOUNT + ":security-group/" + group,
        "",
        "22/tcp open to 0.0.0.0/0",
        tags);
  }

  private static final ScanOutcome OUTCOME =
      new ScanOutcome(
          null,
          null,
          NOW,
          NOW,
          1,
          2,
          null,
          null,
          Set.of(SSH),
          List.of(sshOpen("sg-a", Map.of("team", "blue")), sshOpen("sg-b", Map.of("team", "red"))),
          Set.of(),
          List.of());

  private static CloudAccount account() {
    var a = new CloudAccount();
    a.setMetadata(
        new ObjectMetaBuilder().withNamespace("ns").withName("acct").withUid("u").build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS, ACCOUNT, List.of("eu-west-1"), null, null, null));
    return a;
  }

  private static PosturePolicySpec.PolicyException exception(
      String name,
      List<String> accounts,
      List<String> regions,
      List<String> arns,
      Map<String, String> tags,
      Instant expiry) {
    return new PosturePolicySpec.PolicyException(
        name,
        List.of(SSH),
        new PosturePolicySpec.Match(accounts, regions, arns, tags, null, null, null),
        "accepted risk",
        null,
        expiry == null ? null : expiry.toString());
  }

  private static CloudFindings.Desired desired(PosturePolicySpec.PolicyException... exceptions) {
    var p = new PosturePolicy();
    p.setMetadata(new ObjectMetaBuilder().withName("p").withGeneration(1L).build());
    p.setSpec(new PosturePolicySpec(null, null, List.of(exceptions)));
    var policy = PolicyMerger.effectiveFor(List.of(p), account(), TestRules.ALL, NOW);
    return CloudFindings.desired(account(), OUTCOME, policy, 1000);
  }

  private static List<String> suppressed(CloudFindings.Desired d) {
    return d.findings().stream()
        .filter(f -> f.suppressedBy() != null)
        .map(f -> f.spec().resource().id())
        .sorted()
        .toList();
  }

  @Test
  void byTagsArnGlobAccountAndRegion() {
    var byTag = exception("blue", null, null, null, Map.of("team", "blue"), null);
    assertThat(suppressed(desired(byTag))).containsExactly("sg-a");
    assertThat(desired(byTag).usedExceptions()).containsExactly("p/blue");

    var byArn =
        exception(
            "arn", null, null, List.of("arn:aws:ec2:eu-west-1:*:security-group/sg-?"), null, null);
    assertThat(suppressed(desired(byArn))).containsExactly("sg-a", "sg-b");

    var byAccountAndRegion =
        exception("here", List.of(ACCOUNT), List.of("eu-west-1"), null, null, null);
    assertThat(suppressed(desired(byAccountAndRegion))).containsExactly("sg-a", "sg-b");

    var otherRegion = exception("region", null, List.of("us-east-1"), null, null, null);
    var otherAccount = exception("account", List.of("999999999999"), null, null, null, null);
    var globIsNoRegionPattern = exception("region-glob", null, List.of("eu-*"), null, null, null);
    var d = desired(otherRegion, otherAccount, globIsNoRegionPattern);
    assertThat(suppressed(d)).isEmpty();
    assertThat(d.usedExceptions()).isEmpty();
  }

  @Test
  void anExceptionStopsWaivingAtItsExpiryAndSaysWhenItExpires() {
    var expired = exception("old", List.of(ACCOUNT), null, null, null, NOW.minusSeconds(1));
    assertThat(suppressed(desired(expired))).isEmpty();

    var later = exception("later", List.of(ACCOUNT), null, null, null, NOW.plusSeconds(3600));
    assertThat(desired(later).findings())
        .allSatisfy(
            f -> {
              assertThat(f.suppressedBy().exception()).isEqualTo("later");
              assertThat(f.suppressedBy().policy()).isEqualTo("p");
              assertThat(f.suppressedBy().reason()).isEqualTo("accepted risk");
              assertThat(f.suppressedBy().expiresAt()).isEqualTo(NOW.plusSeconds(3600).toString());
            });
  }
}
