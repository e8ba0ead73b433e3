package dev.parapet.operator.remediation;

import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.PosturePolicySpec.RemediationMode;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.CollectorRegistry;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.operator.cloudscan.EngineCloudScanner;
import dev.parapet.operator.cloudscan.OperatorScan;
import dev.parapet.operator.cloudscan.ScanInput;
import dev.parapet.operator.findings.CloudFindings;
import dev.parapet.operator.policy.EffectivePolicy;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.scan.CheckResult;
import dev.parapet.operator.scan.ScanCredentials;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.model.S3ControlException;

/**
 * Test harness: scans moto's account through the operator's path (merged policy, engine, desired
 * Findings), runs the {@link Remediator} on the Open findings with a verifier that rescans, and
 * snapshots the whole account state the actions could touch.
 */
final class RemediationMoto {
  static final String REGION = MotoServer.REGION;
  static final String OTHER_REGION = "eu-west-1";
  static final String WRITE_ROLE =
      "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/parapet-remediate";

  final MotoServer moto;
  final Clock clock;

  /** Remediation records as the Findings' status would hold them, by finding name. */
  final Map<String, FindingStatus.Remediation> statuses = new HashMap<>();

  int rescans;

  RemediationMoto(MotoServer moto, Clock clock) {
    this.moto = moto;
    this.clock = clock;
  }

  /** A policy enabling exactly {@code rules}, with remediation in {@code mode} for them. */
  static PosturePolicy policy(
      RemediationMode mode, List<String> rules, String excludeTag, Integer limit) {
    var others =
        OperatorScan.catalog().stream()
            .map(RuleMetadata::id)
            .filter(id -> !rules.contains(id))
            .sorted()
            .toList();
    var p = new PosturePolicy();
    p.setMetadata(new ObjectMetaBuilder().withName("remediate").withGeneration(1L).build());
    p.setSpec(
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                null, null, new RuleSelection(null, others), Map.<String, Severity>of(), null),
            null,
            List.of(),
            null,
            new PosturePolicySpec.Remediation(mode, rules, null, excludeTag, limit)));
    return p;
  }

  /** What one scan + remediation produced. */
  record Run(ScanOutcome outcome, CloudFindings.Desired desired, Remediator.Result result) {

    FindingStatus.Remediation record(String rule, String resourceId) {
      var name = name(rule, resourceId);
      return result.records().get(name);
    }

    String name(String rule, String resourceId) {
      return outcome.failures().stream()
          .filter(r -> r.rule().id().equals(rule) && r.resourceId().equals(resourceId))
          .map(r -> CloudFindings.name(MotoServer.ACCOUNT_ID, r))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no failure of " + rule + " on " + resourceId));
    }

    List<String> failing(String rule) {
      return outcome.failures().stream()
          .filter(r -> r.rule().id().equals(rule))
          .map(CheckResult::resourceId)
          .sorted()
          .toList();
    }
  }

  /** Scans, then remediates with (or without) the write role and an optional stop reason. */
  Run run(PosturePolicy policy, boolean writeRole, String stop) {
    return run(policy, writeRole, stop, () -> {});
  }

  /** As above; {@code meanwhile} runs between the scan and the remediation. */
  Run run(PosturePolicy policy, boolean writeRole, String stop, Runnable meanwhile) {
    var account = OperatorScan.account(moto.endpoint(), List.of(REGION));
    var effective =
        PolicyMerger.effectiveFor(
            List.of(policy), account, OperatorScan.catalog(), clock.instant());
    var outcome = scan(effective);
    var desired = CloudFindings.desired(account, outcome, effective, 4096);
    var byName = new HashMap<String, CheckResult>();
    outcome.failures().forEach(r -> byName.put(CloudFindings.name(MotoServer.ACCOUNT_ID, r), r));
    var items =
        desired.findings().stream()
            .filter(d -> d.state() == FindingStatus.State.OPEN)
            .map(d -> new Remediator.Item(d.name(), byName.get(d.name()), statuses.get(d.name())))
            .toList();
    meanwhile.run();
    var write =
        writeRole
            ? new CredentialSource.AssumeRole(
                WRITE_ROLE, null, "parapet-remediate-test", 0, moto.credentials())
            : null;
    var remediationAccount =
        new Remediator.Account(
            MotoServer.ACCOUNT_ID, moto.endpoint(), REGION, moto.credentials(), write, stop);
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var result =
          new Remediator(factory, clock, Duration.ofMinutes(30))
              .run(
                  remediationAccount,
                  items,
                  effective.remediation(),
                  45,
                  rules -> {
                    rescans++;
                    var o = scan(effective.onlyRules(rules));
                    var failing =
                        o.failures().stream()
                            .map(r -> CloudFindings.name(MotoServer.ACCOUNT_ID, r))
                            .collect(Collectors.toSet());
                    var unknown = new HashSet<String>();
                    o.unknown().forEach(u -> unknown.add(u.ruleId()));
                    return new Remediator.Rescan(failing, unknown);
                  });
      statuses.putAll(result.records());
      return new Run(outcome, desired, result);
    }
  }

  ScanOutcome scan(EffectivePolicy policy) {
    var input =
        new ScanInput(
            "team-a",
            "moto",
            OperatorScan.account(moto.endpoint(), List.of(REGION)).getSpec(),
            new ScanCredentials(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY, null, null),
            policy);
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var engine =
          new ScanEngine(factory, RuleRegistry.defaults(), CollectorRegistry.defaults(), clock);
      return EngineCloudScanner.outcome(engine.scan(EngineCloudScanner.request(input)));
    }
  }

  /**
   * Every setting the actions can change, in the whole account: every security group's ingress and
   * egress (both regions), every instance's metadata options, every bucket's Block Public Access,
   * the account's, EBS default encryption in both regions, every access key's status.
   */
  Map<String, String> state() {
    var out = new TreeMap<String, String>();
    var seed = new AwsSeed(moto);
    for (var region : List.of(REGION, OTHER_REGION)) {
      try (var ec2 = seed.ec2(region)) {
        for (var g : ec2.describeSecurityGroups().securityGroups()) {
          out.put(
              "sg/" + region + "/" + g.groupId() + "/ingress",
              sorted(RevokeInternetIngress.describe(g.ipPermissions())));
          out.put(
              "sg/" + region + "/" + g.groupId() + "/egress",
              sorted(RevokeInternetIngress.describe(g.ipPermissionsEgress())));
        }
        for (var r : ec2.describeInstances().reservations()) {
          for (var i : r.instances()) {
            // Only HttpTokens: on ModifyInstanceMetadataOptions moto rewrites the options it was
            // not sent (HttpEndpoint becomes null, the hop limit 2), where AWS keeps them. That
            // the action sends nothing but InstanceId and HttpTokens is asserted on its exact call.
            out.put(
                "instance/" + i.instanceId(),
                "HttpTokens=" + i.metadataOptions().httpTokensAsString());
          }
        }
        out.put(
            "ebs-default/" + region,
            String.valueOf(ec2.getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault()));
      }
    }
    try (var s3 = seed.s3(REGION)) {
      for (var b : s3.listBuckets().buckets()) {
        String pab;
        try {
          pab =
              s3.getPublicAccessBlock(x -> x.bucket(b.name()))
                  .publicAccessBlockConfiguration()
                  .toString();
        } catch (S3Exception e) {
          pab = "none";
        }
        out.put("bucket/" + b.name() + "/pab", pab);
        try {
          out.put(
              "bucket/" + b.name() + "/policy",
              s3.getBucketPolicy(x -> x.bucket(b.name())).policy());
        } catch (S3Exception e) {
          out.put("bucket/" + b.name() + "/policy", "none");
        }
      }
    }
    // the project's S3 Control client: it keeps moto's host (AwsSeed's would prefix the account)
    try (var factory = new AwsClientFactory(MotoScans.testSettings());
        var session = factory.open(moto.credentials(), moto.endpoint(), REGION)) {
      String pab;
      try {
        pab =
            session
                .client(S3ControlClient.class)
                .getPublicAccessBlock(x -> x.accountId(MotoServer.ACCOUNT_ID))
                .publicAccessBlockConfiguration()
                .toString();
      } catch (S3ControlException e) {
        pab = "none";
      }
      out.put("account-pab", pab);
    }
    try (var iam = seed.iam()) {
      for (var u : iam.listUsers().users()) {
        for (var k : iam.listAccessKeys(x -> x.userName(u.userName())).accessKeyMetadata()) {
          out.put("key/" + u.userName() + "/" + k.accessKeyId(), k.statusAsString());
        }
      }
    }
    return out;
  }

  /** The keys whose value differs between two snapshots (added and removed keys included). */
  static Set<String> changed(Map<String, String> before, Map<String, String> after) {
    var keys = new HashSet<>(before.keySet());
    keys.addAll(after.keySet());
    var out = new HashSet<String>();
    for (var k : keys) {
      if (!java.util.Objects.equals(before.get(k), after.get(k))) {
        out.add(k);
      }
    }
    return out;
  }

  private static String sorted(String described) {
    var parts = new ArrayList<>(List.of(described.split("; ")));
    parts.sort(null);
    return String.join("; ", parts);
  }
}
