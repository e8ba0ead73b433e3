package dev.parapet.operator.aws.rules.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.s3.AccountPublicAccessBlock;
import dev.parapet.operator.aws.inventory.s3.BucketAcls;
import dev.parapet.operator.aws.inventory.s3.BucketOwnership;
import dev.parapet.operator.aws.inventory.s3.BucketPolicies;
import dev.parapet.operator.aws.inventory.s3.BucketPublicAccessBlocks;
import dev.parapet.operator.aws.inventory.s3.BucketVersioning;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.inventory.s3.PublicAccessBlock;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** S3 rules on in-memory inventories: FAIL, PASS and UNKNOWN for each, no cloud. */
class S3RulesTest {
  private static final PublicAccessBlock ALL = new PublicAccessBlock(true, true, true, true, true);
  private static final PublicAccessBlock NONE = PublicAccessBlock.absent();
  private static final CollectionError DENIED =
      new CollectionError("s3", "eu-west-1", "GetBucketPolicy", UnknownReason.AccessDenied, "x");

  private static Inventory.Builder base() {
    return Inventory.builder("123456789012")
        .regions(List.of("eu-west-1"))
        .collectedAt(Instant.parse("2026-06-01T00:00:00Z"))
        .known(
            Buckets.class,
            "global",
            new Buckets(
                List.of(
                    new Buckets.Bucket("bad", "eu-west-1"),
                    new Buckets.Bucket("good", "us-east-1")),
                Map.of()));
  }

  private static List<RuleResult> run(AwsRule rule, Inventory inventory) {
    return rule.evaluate(inventory, RuleParameters.defaults());
  }

  private static List<String> ids(List<RuleResult> results, ResultStatus status) {
    return results.stream().filter(r -> r.status() == status).map(r -> r.resource().id()).toList();
  }

  @Test
  void accountBlockPublicAccess() {
    var rule = new AccountPublicAccessBlockOffRule();
    var absent =
        run(
            rule,
            base()
                .known(AccountPublicAccessBlock.class, "global", new AccountPublicAccessBlock(NONE))
                .build());
    assertThat(absent)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(ResultStatus.FAIL);
              assertThat(r.evidence()).contains("No account-level");
            });
    var partial =
        run(
            rule,
            base()
                .known(
                    AccountPublicAccessBlock.class,
                    "global",
                    new AccountPublicAccessBlock(
                        new PublicAccessBlock(true, true, true, true, false)))
                .build());
    assertThat(partial.get(0).evidence()).contains("RestrictPublicBuckets");
    var on =
        run(
            rule,
            base()
                .known(AccountPublicAccessBlock.class, "global", new AccountPublicAccessBlock(ALL))
                .build());
    assertThat(on).extracting(RuleResult::status).containsExactly(ResultStatus.PASS);
    var unknown = run(rule, base().build());
    assertThat(unknown).extracting(RuleResult::status).containsExactly(ResultStatus.UNKNOWN);
  }

  @Test
  void bucketBlockPublicAccessJudgesEachBucketInItsRegion() {
    var results =
        run(
            new BucketPublicAccessBlockOffRule(),
            base()
                .known(
                    BucketPublicAccessBlocks.class,
                    "global",
                    new BucketPublicAccessBlocks(
                        Map.of("bad", Fact.known(NONE), "good", Fact.known(ALL))))
                .build());
    assertThat(ids(results, ResultStatus.FAIL)).containsExactly("bad");
    assertThat(ids(results, ResultStatus.PASS)).containsExactly("good");
    var fail = results.stream().filter(r -> r.status() == ResultStatus.FAIL).findFirst().get();
    assertThat(fail.region()).isEqualTo("eu-west-1");
    assertThat(fail.resource().arn()).isEqualTo("arn:aws:s3:::bad");
  }

  @Test
  void oneUnreadableBucketIsUnknownAndTheOthersAreStillJudged() {
    var results =
        run(
            new BucketPublicAccessBlockOffRule(),
            base()
                .known(
                    BucketPublicAccessBlocks.class,
                    "global",
                    new BucketPublicAccessBlocks(
                        Map.of("bad", Fact.unknown(DENIED), "good", Fact.known(ALL))))
                .build());
    assertThat(results)
        .extracting(RuleResult::status)
        .containsExactlyInAnyOrder(ResultStatus.UNKNOWN, ResultStatus.PASS);
    assertThat(ids(results, ResultStatus.FAIL)).isEmpty();
  }

  @Test
  void bucketWhoseRegionIsUnreadableIsUnknown() {
    var inventory =
        Inventory.builder("123456789012")
            .regions(List.of("eu-west-1"))
            .known(Buckets.class, "global", new Buckets(List.of(), Map.of("hidden", DENIED)))
            .known(BucketVersioning.class, "global", new BucketVersioning(Map.of()))
            .build();
    var results = run(new BucketVersioningOffRule(), inventory);
    assertThat(results).extracting(RuleResult::status).containsExactly(ResultStatus.UNKNOWN);
  }

  @Test
  void publicBucketThroughPolicyOrAclUnlessBlockPublicAccessVoidsIt() {
    var publicPolicy = new BucketPolicies.Policy(new PolicyDocument(List.of()), true);
    var inventory =
        base()
            .known(AccountPublicAccessBlock.class, "global", new AccountPublicAccessBlock(NONE))
            .known(
                BucketPolicies.class,
                "global",
                new BucketPolicies(
                    Map.of("bad", Fact.known(publicPolicy), "good", Fact.known(publicPolicy))))
            .known(
                BucketAcls.class,
                "global",
                new BucketAcls(
                    Map.of(
                        "bad", Fact.known(new BucketAcls.Acl(List.of("AllUsers:READ"))),
                        "good", Fact.known(new BucketAcls.Acl(List.of("AllUsers:READ"))))))
            .known(
                BucketPublicAccessBlocks.class,
                "global",
                new BucketPublicAccessBlocks(
                    Map.of("bad", Fact.known(NONE), "good", Fact.known(ALL))))
            .build();
    var results = run(new BucketPublicRule(), inventory);
    assertThat(ids(results, ResultStatus.FAIL)).containsExactly("bad");
    assertThat(ids(results, ResultStatus.PASS)).containsExactly("good");
    assertThat(
            results.stream()
                .filter(r -> r.status() == ResultStatus.FAIL)
                .findFirst()
                .get()
                .evidence())
        .contains("bucket policy")
        .contains("AllUsers:READ");
  }

  @Test
  void publicBucketIsUnknownWhenItsAclIsUnknown() {
    var inventory =
        base()
            .known(AccountPublicAccessBlock.class, "global", new AccountPublicAccessBlock(NONE))
            .known(
                BucketPolicies.class,
                "global",
                new BucketPolicies(
                    Map.of(
                        "bad", Fact.known(BucketPolicies.Policy.none()),
                        "good", Fact.known(BucketPolicies.Policy.none()))))
            .known(
                BucketAcls.class,
                "global",
                new BucketAcls(
                    Map.of(
                        "bad", Fact.unknown(DENIED),
                        "good", Fact.known(new BucketAcls.Acl(List.of())))))
            .known(
                BucketPublicAccessBlocks.class,
                "global",
                new BucketPublicAccessBlocks(
                    Map.of("bad", Fact.known(NONE), "good", Fact.known(NONE))))
            .build();
    var results = run(new BucketPublicRule(), inventory);
    assertThat(results)
        .extracting(RuleResult::status)
        .containsExactlyInAnyOrder(ResultStatus.UNKNOWN, ResultStatus.PASS);
  }

  @Test
  void aclsEnabledUnlessBucketOwnerEnforced() {
    var results =
        run(
            new BucketAclsEnabledRule(),
            base()
                .known(
                    BucketOwnership.class,
                    "global",
                    new BucketOwnership(
                        Map.of(
                            "bad", Fact.known(new BucketOwnership.Ownership(null)),
                            "good",
                                Fact.known(new BucketOwnership.Ownership("BucketOwnerEnforced")))))
                .build());
    assertThat(ids(results, ResultStatus.FAIL)).containsExactly("bad");
    assertThat(ids(results, ResultStatus.PASS)).containsExactly("good");
  }

  @Test
  void tlsOnlyNeedsADenyOfAllS3ActionsWithoutSecureTransport() {
    var tls =
        new PolicyDocument.Statement(
            "TlsOnly",
            "Deny",
            List.of("*"),
            List.of("s3:*"),
            List.of(),
            List.of("arn:aws:s3:::good", "arn:aws:s3:::good/*"),
            List.of(),
            Map.of("Bool", Map.of("aws:SecureTransport", List.of("false"))));
    var getOnly =
        new PolicyDocument.Statement(
            "",
            "Deny",
            List.of("*"),
            List.of("s3:GetObject"),
            List.of(),
            List.of("*"),
            List.of(),
            Map.of("Bool", Map.of("aws:SecureTransport", List.of("false"))));
    var results =
        run(
            new BucketTlsNotEnforcedRule(),
            base()
                .known(
                    BucketPolicies.class,
                    "global",
                    new BucketPolicies(
                        Map.of(
                            "bad",
                                Fact.known(
                                    new BucketPolicies.Policy(
                                        new PolicyDocument(List.of(getOnly)), false)),
                            "good",
                                Fact.known(
                                    new BucketPolicies.Policy(
                                        new PolicyDocument(List.of(tls)), false)))))
                .build());
    assertThat(ids(results, ResultStatus.FAIL)).containsExactly("bad");
    assertThat(ids(results, ResultStatus.PASS)).containsExactly("good");
    var noPolicy =
        run(
            new BucketTlsNotEnforcedRule(),
            base()
                .known(
                    BucketPolicies.class,
                    "global",
                    new BucketPolicies(
                        Map.of(
                            "bad", Fact.known(BucketPolicies.Policy.none()),
                            "good", Fact.known(BucketPolicies.Policy.none()))))
                .build());
    assertThat(ids(noPolicy, ResultStatus.FAIL)).containsExactlyInAnyOrder("bad", "good");
  }

  @Test
  void versioningMustBeEnabled() {
    var results =
        run(
            new BucketVersioningOffRule(),
            base()
                .known(
                    BucketVersioning.class,
                    "global",
                    new BucketVersioning(
                        Map.of(
                            "bad", Fact.known(new BucketVersioning.Versioning("Suspended")),
                            "good", Fact.known(new BucketVersioning.Versioning("Enabled")))))
                .build());
    assertThat(ids(results, ResultStatus.FAIL)).containsExactly("bad");
    assertThat(ids(results, ResultStatus.PASS)).containsExactly("good");
    assertThat(run(new BucketVersioningOffRule(), base().build()))
        .extracting(RuleResult::status)
        .containsExactly(ResultStatus.UNKNOWN);
  }
}
