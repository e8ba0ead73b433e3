package dev.parapet.operator.cloudscan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.aws.engine.ScanResult;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.findings.CloudFindings;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.CrudApiServer;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * {@code spec.scan.targets} on moto through the operator's path: tagged and untagged security
 * groups (SSH open) and instances (IMDSv1 allowed) scanned with include and with exclude;
 * account-level rules (EBS default encryption) unaffected; and a Finding resolved as {@code
 * OutOfScanTarget} by the real Finding writer when its resource's tag changes out of the target,
 * while a fixed resource's Finding resolves without that reason.
 */
@ExtendWith(MotoExtension.class)
class ScanTargetsMotoTest {
  private static final String REGION = MotoServer.REGION;
  private static final String SSH = "aws-ec2-sg-ssh-open";
  private static final String IMDS = "aws-ec2-imdsv2-not-required";
  private static final String EBS = "aws-ec2-ebs-default-encryption-off";
  private static final List<String> RULES = List.of(SSH, IMDS, EBS);

  private static MotoServer moto;
  private static Map<String, String> ids; // name -> resource id

  @BeforeAll
  static void seed(MotoServer server) {
    moto = server;
    var seed = new AwsSeed(server);
    try (var ec2 = seed.ec2(REGION)) {
      ids = new java.util.HashMap<>();
      group(ec2, "sg-prod", Map.of("env", "prod"), true);
      group(ec2, "sg-prod-closed", Map.of("env", "prod"), false);
      group(ec2, "sg-dev", Map.of("env", "dev"), true);
      group(ec2, "sg-untagged", Map.of(), true);
      group(ec2, "sg-prod-skip", Map.of("env", "prod", "parapet.dev/skip", ""), true);
      group(ec2, "sg-to-fix", Map.of("env", "prod"), true);
      AwsSeed.attach(ec2, ids.values().stream().sorted().toList().toArray(String[]::new));
      instance(ec2, "i-prod", Map.of("env", "prod"));
      instance(ec2, "i-untagged", Map.of());
      instance(ec2, "i-prod-skip", Map.of("env", "prod", "parapet.dev/skip", "yes"));
    }
  }

  private static void group(Ec2Client ec2, String name, Map<String, String> tags, boolean open) {
    var id =
        open
            ? AwsSeed.securityGroup(ec2, name, AwsSeed.tcp(22, 22, "0.0.0.0/0"))
            : AwsSeed.securityGroup(ec2, name);
    tag(ec2, id, tags);
    ids.put(name, id);
  }

  private static void instance(Ec2Client ec2, String name, Map<String, String> tags) {
    var id =
        ec2.runInstances(
                b ->
                    b.imageId(AwsSeed.anyImage(ec2))
                        .minCount(1)
                        .maxCount(1)
                        .instanceType("t3.micro"))
            .instances()
            .get(0)
            .instanceId();
    tag(ec2, id, tags);
    ids.put(name, id);
  }

  private static void tag(Ec2Client ec2, String id, Map<String, String> tags) {
    if (!tags.isEmpty()) {
      ec2.createTags(
          b ->
              b.resources(id)
                  .tags(
                      tags.entrySet().stream()
                          .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                          .toList()));
    }
  }

  private static CloudAccount account(CloudAccountSpec.Targets targets) {
    var a = OperatorScan.account(moto.endpoint(), List.of(REGION));
    var s = a.getSpec();
    a.setSpec(
        new CloudAccountSpec(
            s.provider(),
            s.accountId(),
            s.regions(),
            s.credentials(),
            new CloudAccountSpec.Scan(null, null, null, targets),
            s.endpointOverride()));
    return a;
  }

  private static CloudAccountSpec.TagMatch match(String key, String... values) {
    return new CloudAccountSpec.TagMatch(key, List.of(values));
  }

  private static OperatorScan.Result scan(CloudAccount account) {
    return OperatorScan.scan(
        account, MotoScans.testSettings(), OperatorScan.policy("targets", RULES));
  }

  /** "rule STATUS name" for the judged results, named by the seed's names. */
  private static List<String> judged(List<ScanResult> results) {
    var names = new java.util.HashMap<String, String>();
    ids.forEach((name, id) -> names.put(id, name));
    return results.stream()
        .filter(r -> r.status() != ResultStatus.UNKNOWN)
        .filter(r -> !r.ruleId().equals(SSH) || names.containsKey(r.resource().id()))
        .map(
            r ->
                r.ruleId()
                    + " "
                    + r.status()
                    + " "
                    + names.getOrDefault(r.resource().id(), r.resource().type()))
        .sorted()
        .toList();
  }

  @Test
  void includeJudgesOnlyTheTaggedResourcesAndAccountRulesStillRun() {
    var result = scan(account(new CloudAccountSpec.Targets(List.of(match("env", "prod")), null)));
    assertThat(judged(result.report().results()))
        .containsExactly(
            EBS + " FAIL AWS::::Account",
            IMDS + " FAIL i-prod",
            IMDS + " FAIL i-prod-skip",
            SSH + " FAIL sg-prod",
            SSH + " FAIL sg-prod-skip",
            SSH + " FAIL sg-to-fix",
            SSH + " PASS sg-prod-closed");
    assertThat(judged(result.report().outOfTarget()))
        .contains(IMDS + " FAIL i-untagged", SSH + " FAIL sg-dev", SSH + " FAIL sg-untagged")
        .noneMatch(s -> s.contains("prod"));
    assertThat(result.outcome().outOfTarget()).hasSize(result.report().outOfTarget().size());
    assertThat(result.open(SSH))
        .containsExactlyInAnyOrder(
            ids.get("sg-prod"), ids.get("sg-prod-skip"), ids.get("sg-to-fix"));
  }

  @Test
  void excludeByKeyOnlySkipsTaggedResourcesWhateverTheValue() {
    var result =
        scan(account(new CloudAccountSpec.Targets(null, List.of(match("parapet.dev/skip")))));
    var judged = judged(result.report().results());
    assertThat(judged)
        .contains(
            EBS + " FAIL AWS::::Account",
            IMDS + " FAIL i-prod",
            IMDS + " FAIL i-untagged",
            SSH + " FAIL sg-dev",
            SSH + " FAIL sg-untagged",
            SSH + " FAIL sg-prod")
        .noneMatch(s -> s.contains("skip"));
    assertThat(judged(result.report().outOfTarget()))
        .containsExactly(IMDS + " FAIL i-prod-skip", SSH + " FAIL sg-prod-skip");
  }

  @Test
  void includeAndExcludeTogetherExcludeWins() {
    var result =
        scan(
            account(
                new CloudAccountSpec.Targets(
                    List.of(match("env", "prod", "staging")), List.of(match("parapet.dev/skip")))));
    assertThat(judged(result.report().results()))
        .contains(IMDS + " FAIL i-prod", SSH + " FAIL sg-prod")
        .noneMatch(s -> s.contains("skip") || s.contains("untagged") || s.contains("sg-dev"));
  }

  @Test
  void aFindingResolvesAsOutOfTargetWhenItsResourceTagLeavesTheTarget() throws Exception {
    var api = CrudApiServer.start();
    var client = api.client();
    var store = api.store();
    var writer = api.writer();
    var account = account(new CloudAccountSpec.Targets(List.of(match("env", "prod")), null));
    var scope =
        FindingStore.accountScope(
            account.getMetadata().getNamespace(), account.getMetadata().getName());
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      var first = sync(writer, account, scope);
      assertThat(first.failedWrites()).isZero();
      var prodName = findingName(client, ids.get("sg-prod"));
      var fixName = findingName(client, ids.get("sg-to-fix"));
      awaitObserved(store, scope, prodName, f -> true);
      awaitObserved(store, scope, fixName, f -> true);

      // sg-prod is retagged out of the target; sg-to-fix is fixed (port closed), still in it.
      ec2.createTags(b -> b.resources(ids.get("sg-prod")).tags(t -> t.key("env").value("dev")));
      ec2.revokeSecurityGroupIngress(
          b -> b.groupId(ids.get("sg-to-fix")).ipPermissions(AwsSeed.tcp(22, 22, "0.0.0.0/0")));
      var second = sync(writer, account, scope);
      assertThat(second.failedWrites()).isZero();

      var moved = stored(client, prodName);
      assertThat(moved.getStatus().state()).isEqualTo(FindingStatus.State.RESOLVED);
      assertThat(moved.getStatus().resolvedReason())
          .isEqualTo(FindingStatus.RESOLVED_OUT_OF_SCAN_TARGET);
      var fixed = stored(client, fixName);
      assertThat(fixed.getStatus().state()).isEqualTo(FindingStatus.State.RESOLVED);
      assertThat(fixed.getStatus().resolvedReason()).isNull();
      assertThat(stored(client, findingName(client, ids.get("sg-prod-skip"))).getStatus().state())
          .isEqualTo(FindingStatus.State.OPEN);

      // Back in the target: the same Finding reopens and the reason is gone.
      awaitObserved(
          store,
          scope,
          prodName,
          f -> f.getStatus() != null && f.getStatus().state() == FindingStatus.State.RESOLVED);
      ec2.createTags(b -> b.resources(ids.get("sg-prod")).tags(t -> t.key("env").value("prod")));
      sync(writer, account, scope);
      var back = stored(client, prodName);
      assertThat(back.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
      assertThat(back.getStatus().resolvedReason()).isNull();
      assertThat(back.getStatus().reopenCount()).isEqualTo(1);
    } finally {
      // Leave the seed as the other tests expect it.
      try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
        ec2.createTags(b -> b.resources(ids.get("sg-prod")).tags(t -> t.key("env").value("prod")));
        ec2.authorizeSecurityGroupIngress(
            b -> b.groupId(ids.get("sg-to-fix")).ipPermissions(AwsSeed.tcp(22, 22, "0.0.0.0/0")));
      }
      api.close();
    }
  }

  private static FindingWriter.SyncResult sync(
      FindingWriter writer, CloudAccount account, String scope) {
    var result = scan(account);
    return writer.sync(
        scope,
        result.desired().findings(),
        CloudFindings.untouchable(result.outcome()),
        CloudFindings.resolvedReason(account, result.outcome()),
        100);
  }

  private static Finding stored(io.fabric8.kubernetes.client.KubernetesClient client, String name) {
    return client.resources(Finding.class).inNamespace("team-a").withName(name).get();
  }

  /** The name of the SSH Finding about the group. */
  private static String findingName(
      io.fabric8.kubernetes.client.KubernetesClient client, String groupId) {
    return client.resources(Finding.class).inNamespace("team-a").list().getItems().stream()
        .filter(f -> f.getSpec().rule().id().equals(SSH))
        .filter(f -> f.getSpec().resource().id().equals(groupId))
        .map(f -> f.getMetadata().getName())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no SSH finding for " + groupId));
  }

  private static void awaitObserved(
      FindingStore store, String scope, String name, Predicate<Finding> condition)
      throws InterruptedException {
    for (var i = 0; i < 100; i++) {
      if (store.observed(scope).stream()
          .filter(f -> f.getMetadata().getName().equals(name))
          .anyMatch(condition)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the store never observed the expected state of " + name);
  }
}
