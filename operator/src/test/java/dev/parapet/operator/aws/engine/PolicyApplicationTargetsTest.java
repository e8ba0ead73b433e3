package dev.parapet.operator.aws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.ScanTargets.TagCriterion;
import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.EbsDefaultEncryption;
import dev.parapet.operator.aws.inventory.ec2.NetworkInterfaces;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups.Group;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups.Permission;
import dev.parapet.operator.aws.inventory.s3.BucketTags;
import dev.parapet.operator.aws.inventory.s3.BucketVersioning;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scan targets applied by the engine, on in-memory inventories: resource-level results outside the
 * target are set aside (PASS and FAIL alike), account-level results and UNKNOWNs stand, and a
 * resource whose tags are unknown is judged with a note, never dropped.
 */
class PolicyApplicationTargetsTest {
  private static final String SSH = "aws-ec2-sg-ssh-open";
  private static final String EBS = "aws-ec2-ebs-default-encryption-off";
  private static final String VERSIONING = "aws-s3-bucket-versioning-off";
  private static final String REGION = InventoryFixture.REGION;

  private final RuleRegistry registry = RuleRegistry.defaults();

  private static final ScanTargets PROD_ONLY =
      new ScanTargets(List.of(new TagCriterion("env", Set.of("prod"))), List.of());
  private static final ScanTargets NOT_SKIPPED =
      new ScanTargets(List.of(), List.of(TagCriterion.key("parapet.dev/skip")));

  private static Group group(String id, Map<String, String> tags, boolean sshOpen) {
    var ingress =
        sshOpen
            ? List.of(
                new Permission(
                    "tcp", 22, 22, List.of("0.0.0.0/0"), List.of(), List.of(), List.of()))
            : List.<Permission>of();
    return new Group(id, id, "vpc-1", ingress, List.of(), tags);
  }

  private static InventoryFixture ec2(Group... groups) {
    var ids = java.util.Arrays.stream(groups).map(Group::groupId).toList();
    return InventoryFixture.regions()
        .with(new SecurityGroups(List.of(groups)))
        .with(
            new NetworkInterfaces(List.of(new NetworkInterfaces.Interface("eni-1", "in-use", ids))))
        .with(new EbsDefaultEncryption(false));
  }

  private PolicyApplication.Outcome apply(ScanTargets targets, Inventory inv, String... rules) {
    var policy = CloudPolicy.only(rules).withTargets(targets);
    return PolicyApplication.apply(RuleSelection.enabled(policy, registry), inv, policy);
  }

  private static List<String> judged(List<ScanResult> results) {
    return results.stream()
        .filter(r -> r.status() != ResultStatus.UNKNOWN)
        .map(r -> r.ruleId() + " " + r.status() + " " + r.resource().id())
        .toList();
  }

  @Test
  void includeKeepsTaggedResourcesAndSetsTheOthersAsideAccountRulesUnaffected() {
    var inv =
        ec2(
                group("sg-prod-open", Map.of("env", "prod"), true),
                group("sg-prod-closed", Map.of("env", "prod"), false),
                group("sg-dev-open", Map.of("env", "dev"), true),
                group("sg-untagged-open", Map.of(), true))
            .build();
    var outcome = apply(PROD_ONLY, inv, SSH, EBS);
    assertThat(judged(outcome.results()))
        .containsExactlyInAnyOrder(
            SSH + " FAIL sg-prod-open",
            SSH + " PASS sg-prod-closed",
            EBS + " FAIL " + InventoryFixture.ACCOUNT);
    assertThat(judged(outcome.outOfTarget()))
        .containsExactlyInAnyOrder(SSH + " FAIL sg-dev-open", SSH + " FAIL sg-untagged-open");
    assertThat(outcome.results()).allSatisfy(r -> assertThat(r.evidence()).doesNotContain("tags"));
  }

  @Test
  void excludeSetsTaggedResourcesAsideWhateverTheValue() {
    var inv =
        ec2(
                group("sg-skip", Map.of("parapet.dev/skip", ""), true),
                group("sg-skip-yes", Map.of("parapet.dev/skip", "yes", "env", "prod"), true),
                group("sg-plain", Map.of("env", "prod"), true))
            .build();
    var outcome = apply(NOT_SKIPPED, inv, SSH);
    assertThat(judged(outcome.results())).containsExactly(SSH + " FAIL sg-plain");
    assertThat(judged(outcome.outOfTarget()))
        .containsExactlyInAnyOrder(SSH + " FAIL sg-skip", SSH + " FAIL sg-skip-yes");
  }

  @Test
  void withoutTargetsNothingIsSetAside() {
    var inv = ec2(group("sg-a", Map.of(), true), group("sg-b", Map.of("env", "dev"), true)).build();
    var outcome = apply(ScanTargets.ALL, inv, SSH);
    assertThat(judged(outcome.results())).hasSize(2);
    assertThat(outcome.outOfTarget()).isEmpty();
  }

  @Test
  void unknownResultsStandWhateverTheTargets() {
    var inv =
        InventoryFixture.regions()
            .unknown(SecurityGroups.class, UnknownReason.AccessDenied)
            .with(new NetworkInterfaces(List.of()))
            .build();
    var outcome = apply(PROD_ONLY, inv, SSH);
    assertThat(outcome.results())
        .extracting(ScanResult::status)
        .containsExactly(ResultStatus.UNKNOWN);
    assertThat(outcome.unknownScopes()).hasSize(1);
    assertThat(outcome.outOfTarget()).isEmpty();
  }

  private static Inventory buckets(Fact<BucketTags> tags) {
    var fixture =
        InventoryFixture.regions()
            .with(
                Datasets.GLOBAL,
                new Buckets(
                    List.of(
                        new Buckets.Bucket("prod-bucket", REGION),
                        new Buckets.Bucket("dev-bucket", REGION),
                        new Buckets.Bucket("denied-bucket", REGION)),
                    Map.of()))
            .with(
                Datasets.GLOBAL,
                new BucketVersioning(
                    Map.of(
                        "prod-bucket", Fact.known(new BucketVersioning.Versioning("Suspended")),
                        "dev-bucket", Fact.known(new BucketVersioning.Versioning(null)),
                        "denied-bucket", Fact.known(new BucketVersioning.Versioning("Enabled")))));
    if (tags instanceof dev.parapet.operator.aws.inventory.Known<BucketTags> k) {
      fixture.with(Datasets.GLOBAL, k.value());
    } else {
      fixture.unknown(BucketTags.class, Datasets.GLOBAL, UnknownReason.AccessDenied);
    }
    return fixture.build();
  }

  private static final CollectionError DENIED =
      new CollectionError(
          "s3", REGION, "GetBucketTagging", UnknownReason.AccessDenied, "Access Denied");

  @Test
  void aResourceWhoseTagsAreUnreadableIsJudgedWithANoteNotDropped() {
    var inv =
        buckets(
            Fact.known(
                new BucketTags(
                    Map.of(
                        "prod-bucket", Fact.known(Map.of("env", "prod")),
                        "dev-bucket", Fact.known(Map.of("env", "dev")),
                        "denied-bucket", Fact.unknown(DENIED)))));
    var outcome = apply(PROD_ONLY, inv, VERSIONING);
    assertThat(judged(outcome.results()))
        .containsExactlyInAnyOrder(
            VERSIONING + " FAIL prod-bucket", VERSIONING + " PASS denied-bucket");
    assertThat(judged(outcome.outOfTarget())).containsExactly(VERSIONING + " FAIL dev-bucket");
    var byId = new java.util.HashMap<String, String>();
    outcome.results().forEach(r -> byId.put(r.resource().id(), r.evidence()));
    assertThat(byId.get("denied-bucket")).isEqualTo(PolicyApplication.TAGS_UNKNOWN_NOTE);
    assertThat(byId.get("prod-bucket")).doesNotContain(PolicyApplication.TAGS_UNKNOWN_NOTE);
  }

  @Test
  void whenTheWholeTagReadFailsEveryBucketIsJudgedWithTheNote() {
    var inv = buckets(Fact.unknown(DENIED));
    var outcome = apply(NOT_SKIPPED, inv, VERSIONING);
    assertThat(judged(outcome.results()))
        .containsExactlyInAnyOrder(
            VERSIONING + " FAIL prod-bucket",
            VERSIONING + " FAIL dev-bucket",
            VERSIONING + " PASS denied-bucket");
    assertThat(outcome.results())
        .allSatisfy(r -> assertThat(r.evidence()).endsWith(PolicyApplication.TAGS_UNKNOWN_NOTE));
    assertThat(outcome.outOfTarget()).isEmpty();
  }

  @Test
  void withoutTargetsUnreadableTagsAddNoNote() {
    var outcome = apply(ScanTargets.ALL, buckets(Fact.unknown(DENIED)), VERSIONING);
    assertThat(outcome.results())
        .allSatisfy(
            r -> assertThat(r.evidence()).doesNotContain(PolicyApplication.TAGS_UNKNOWN_NOTE));
  }
}
