package dev.parapet.operator.remediation;

import static dev.parapet.api.v1alpha1.FindingStatus.RemediationState.FAILED;
import static dev.parapet.api.v1alpha1.FindingStatus.RemediationState.PLANNED;
import static dev.parapet.api.v1alpha1.FindingStatus.RemediationState.SKIPPED;
import static dev.parapet.api.v1alpha1.FindingStatus.RemediationState.VERIFIED;
import static dev.parapet.operator.remediation.RemediationMoto.REGION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.PosturePolicySpec.RemediationMode;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.cloudscan.OperatorScan;
import dev.parapet.operator.policy.RemediationSettings;
import dev.parapet.operator.scan.CheckResult;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;

/**
 * Every remediation action on moto, through the operator's scan path. moto stores settings but does
 * not enforce them, so every assertion is on configuration read back: the whole account state the
 * actions can touch ({@link RemediationMoto#state}) is compared before and after.
 */
@ExtendWith(MotoExtension.class)
class RemediationMotoTest {
  static final String SSH = "aws-ec2-sg-ssh-open";
  static final String RDP = "aws-ec2-sg-rdp-open";
  static final String ALL = "aws-ec2-sg-all-ports-open";
  static final String IMDS = "aws-ec2-imdsv2-not-required";
  static final String BUCKET = "aws-s3-bucket-public-access-block-off";
  static final String ACCOUNT = "aws-s3-account-public-access-block-off";
  static final String EBS = "aws-ec2-ebs-default-encryption-off";
  static final String KEYS = "aws-iam-unused-credentials";
  static final List<String> EVERY_RULE = List.of(SSH, RDP, ALL, IMDS, BUCKET, ACCOUNT, EBS, KEYS);
  static final String BUCKET_NAME = "parapet-remediation-bucket";

  /** 100 days ahead: the seeded access key (created now, never used) counts as unused. */
  static final Clock LATER = Clock.offset(Clock.systemUTC(), Duration.ofDays(100));

  MotoServer moto;
  String sshGroup;
  String rdpGroup;
  String allGroup;
  String rangeGroup;
  String instance;
  String keyId;

  @BeforeEach
  void reset(MotoServer moto) {
    this.moto = moto;
    moto.reset();
  }

  /** One failing resource per action, plus neighbours that must survive. */
  void seedEverything() {
    var seed = new AwsSeed(moto);
    try (var ec2 = seed.ec2(REGION)) {
      sshGroup =
          AwsSeed.securityGroup(
              ec2,
              "ssh",
              IpPermission.builder()
                  .ipProtocol("tcp")
                  .fromPort(22)
                  .toPort(22)
                  .ipRanges(
                      IpRange.builder().cidrIp("0.0.0.0/0").description("anyone").build(),
                      IpRange.builder().cidrIp("10.0.0.0/8").description("office").build())
                  .ipv6Ranges(Ipv6Range.builder().cidrIpv6("::/0").build())
                  .build(),
              AwsSeed.tcp(443, 443, "0.0.0.0/0"));
      rdpGroup =
          AwsSeed.securityGroup(
              ec2, "rdp", AwsSeed.tcp(3389, 3389, "0.0.0.0/0"), AwsSeed.tcp(22, 22, "10.0.0.0/8"));
      allGroup =
          AwsSeed.securityGroup(
              ec2, "all", AwsSeed.allTraffic("0.0.0.0/0"), AwsSeed.tcp(443, 443, "0.0.0.0/0"));
      // port 22 open only through a range: revoking it would close 20-25, so SSH leaves it
      rangeGroup = AwsSeed.securityGroup(ec2, "range", AwsSeed.tcp(20, 25, "0.0.0.0/0"));
      AwsSeed.attach(ec2, sshGroup, rdpGroup, allGroup, rangeGroup);
      instance =
          ec2.runInstances(b -> b.imageId(AwsSeed.anyImage(ec2)).minCount(1).maxCount(1))
              .instances()
              .get(0)
              .instanceId();
    }
    try (var s3 = seed.s3(REGION)) {
      s3.createBucket(b -> b.bucket(BUCKET_NAME));
    }
    keyId = seed.userWithKey("old-keys").accessKeyId();
  }

  @Test
  void dryRunShowsTheExactCallsAndChangesNothing() {
    seedEverything();
    var h = new RemediationMoto(moto, LATER);
    var before = h.state();

    var run =
        h.run(RemediationMoto.policy(RemediationMode.DRY_RUN, EVERY_RULE, null, 50), false, null);

    assertThat(h.state()).as("the whole account state after DryRun").isEqualTo(before);
    assertThat(h.rescans).as("DryRun verifies nothing").isZero();
    assertThat(run.record(SSH, sshGroup))
        .satisfies(
            r -> {
              assertThat(r.state()).isEqualTo(PLANNED);
              assertThat(r.mode()).isEqualTo("DryRun");
              assertThat(r.action()).isEqualTo("ec2-revoke-ssh-ingress");
              // exactly the offending sources of the offending permission: not 10.0.0.0/8, not 443
              assertThat(r.call())
                  .isEqualTo(
                      "ec2:RevokeSecurityGroupIngress = aws ec2 revoke-security-group-ingress"
                          + " --region "
                          + REGION
                          + " --group-id "
                          + sshGroup
                          + " --ip-permissions '[{\"IpProtocol\":\"tcp\",\"FromPort\":22,"
                          + "\"ToPort\":22,\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}],"
                          + "\"Ipv6Ranges\":[{\"CidrIpv6\":\"::/0\"}]}]'");
              assertThat(r.before()).contains("tcp 22 from 0.0.0.0/0, 10.0.0.0/8, ::/0");
              assertThat(r.after()).isNull();
            });
    assertThat(run.record(RDP, rdpGroup).call())
        .contains("\"FromPort\":3389,\"ToPort\":3389,\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}]")
        .doesNotContain("10.0.0.0/8");
    assertThat(run.record(ALL, allGroup).call())
        .isEqualTo(
            "ec2:RevokeSecurityGroupIngress = aws ec2 revoke-security-group-ingress --region "
                + REGION
                + " --group-id "
                + allGroup
                + " --ip-permissions '[{\"IpProtocol\":\"-1\","
                + "\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}]}]'");
    assertThat(run.record(SSH, rangeGroup))
        .satisfies(
            r -> {
              assertThat(r.state()).isEqualTo(SKIPPED);
              assertThat(r.call()).isNull();
              assertThat(r.message()).contains("wider permission (tcp 20-25 from 0.0.0.0/0)");
            });
    // all traffic is reported (and revoked) once, by the all-ports rule, not by SSH or RDP
    assertThat(run.failing(SSH)).doesNotContain(allGroup);
    assertThat(run.record(IMDS, instance).call())
        .isEqualTo(
            "ec2:ModifyInstanceMetadataOptions = aws ec2 modify-instance-metadata-options --region "
                + REGION
                + " --instance-id "
                + instance
                + " --http-tokens required");
    assertThat(run.record(BUCKET, BUCKET_NAME).call())
        .isEqualTo(
            "s3:PutBucketPublicAccessBlock = aws s3api put-public-access-block --region "
                + REGION
                + " --bucket "
                + BUCKET_NAME
                + " --public-access-block-configuration '{\"BlockPublicAcls\":true,"
                + "\"IgnorePublicAcls\":true,\"BlockPublicPolicy\":true,"
                + "\"RestrictPublicBuckets\":true}'");
    assertThat(run.record(ACCOUNT, MotoServer.ACCOUNT_ID).call())
        .startsWith(
            "s3:PutAccountPublicAccessBlock = aws s3control put-public-access-block --region "
                + REGION
                + " --account-id "
                + MotoServer.ACCOUNT_ID
                + " --public-access-block-configuration '{\"BlockPublicAcls\":true,");
    assertThat(run.record(EBS, run.failing(EBS).get(0)).call())
        .isEqualTo(
            "ec2:EnableEbsEncryptionByDefault = aws ec2 enable-ebs-encryption-by-default --region "
                + REGION);
    assertThat(run.record(KEYS, "old-keys"))
        .satisfies(
            r -> {
              assertThat(r.state()).isEqualTo(PLANNED);
              // the key id is masked on every output path (Redactor), the call is otherwise exact
              assertThat(r.call())
                  .startsWith(
                      "iam:UpdateAccessKey = aws iam update-access-key --user-name old-keys"
                          + " --access-key-id AKIA")
                  .endsWith(" --status Inactive")
                  .doesNotContain(keyId);
            });
    assertThat(run.result().summary().reason()).isEqualTo("Planned");
    assertThat(run.result().events())
        .filteredOn(e -> e.reason().equals("RemediationPlanned"))
        .hasSize(8);

    // the next scan plans the same calls: nothing new to write, no new Events
    var again =
        h.run(RemediationMoto.policy(RemediationMode.DRY_RUN, EVERY_RULE, null, 50), false, null);
    assertThat(again.result().records()).isEmpty();
    assertThat(again.result().events()).isEmpty();
    assertThat(h.state()).isEqualTo(before);
  }

  @Test
  void applyChangesExactlyThePlannedFieldsAndTheFindingsResolve() {
    seedEverything();
    var h = new RemediationMoto(moto, LATER);
    var before = h.state();

    var run =
        h.run(RemediationMoto.policy(RemediationMode.APPLY, EVERY_RULE, null, 50), true, null);

    var after = h.state();
    var ebsKey = "ebs-default/" + REGION;
    assertThat(RemediationMoto.changed(before, after))
        .containsExactlyInAnyOrder(
            "sg/" + REGION + "/" + sshGroup + "/ingress",
            "sg/" + REGION + "/" + rdpGroup + "/ingress",
            "sg/" + REGION + "/" + allGroup + "/ingress",
            "instance/" + instance,
            "bucket/" + BUCKET_NAME + "/pab",
            "account-pab",
            ebsKey,
            "key/old-keys/" + keyId);
    // the other rules and sources of the same groups survive
    assertThat(after.get("sg/" + REGION + "/" + sshGroup + "/ingress"))
        .isEqualTo("tcp 22 from 10.0.0.0/8; tcp 443 from 0.0.0.0/0");
    assertThat(after.get("sg/" + REGION + "/" + rdpGroup + "/ingress"))
        .isEqualTo("tcp 22 from 10.0.0.0/8");
    assertThat(after.get("sg/" + REGION + "/" + allGroup + "/ingress"))
        .isEqualTo("tcp 443 from 0.0.0.0/0");
    assertThat(after.get("sg/" + REGION + "/" + rangeGroup + "/ingress"))
        .isEqualTo("tcp 20-25 from 0.0.0.0/0");
    assertThat(after.get("instance/" + instance)).isEqualTo("HttpTokens=required");
    assertThat(after.get("bucket/" + BUCKET_NAME + "/pab"))
        .contains(
            "BlockPublicAcls=true",
            "IgnorePublicAcls=true",
            "BlockPublicPolicy=true",
            "RestrictPublicBuckets=true");
    assertThat(after.get("account-pab"))
        .contains("BlockPublicAcls=true", "RestrictPublicBuckets=true");
    assertThat(after.get(ebsKey)).isEqualTo("true");
    assertThat(after.get("ebs-default/" + RemediationMoto.OTHER_REGION)).isEqualTo("false");
    assertThat(after.get("key/old-keys/" + keyId)).isEqualTo("Inactive");

    // each applied action is verified by the one rescan; before and after are on the Finding
    assertThat(h.rescans).isEqualTo(1);
    for (var applied :
        List.of(
            Map.entry(SSH, sshGroup),
            Map.entry(RDP, rdpGroup),
            Map.entry(ALL, allGroup),
            Map.entry(IMDS, instance),
            Map.entry(BUCKET, BUCKET_NAME),
            Map.entry(ACCOUNT, MotoServer.ACCOUNT_ID),
            Map.entry(KEYS, "old-keys"))) {
      var r = run.record(applied.getKey(), applied.getValue());
      assertThat(r.state()).as(applied.toString()).isEqualTo(VERIFIED);
      assertThat(r.mode()).isEqualTo("Apply");
      assertThat(r.call()).isNotBlank();
      assertThat(r.before()).isNotBlank();
      assertThat(r.after()).isNotBlank().isNotEqualTo(r.before());
      assertThat(r.at()).isNotBlank();
    }
    assertThat(run.record(SSH, sshGroup).after())
        .isEqualTo("tcp 22 from 10.0.0.0/8; tcp 443 from 0.0.0.0/0");
    // HttpTokens read back; moto drops the options it was not sent (AWS keeps them), see state()
    assertThat(run.record(IMDS, instance).before()).startsWith("HttpTokens optional");
    assertThat(run.record(IMDS, instance).after()).startsWith("HttpTokens required");
    assertThat(run.record(EBS, run.failing(EBS).get(0)).state()).isEqualTo(VERIFIED);
    assertThat(run.record(SSH, rangeGroup).state()).isEqualTo(SKIPPED);
    assertThat(run.result().summary().status()).isEqualTo("True");
    assertThat(run.result().summary().reason()).isEqualTo("Applied");
    assertThat(run.result().events())
        .filteredOn(e -> e.reason().equals("RemediationApplied"))
        .hasSize(8)
        .allSatisfy(e -> assertThat(e.type()).isEqualTo("Normal"));

    // a fresh scan agrees: only what remediation deliberately left is still failing
    var next =
        h.run(RemediationMoto.policy(RemediationMode.DRY_RUN, EVERY_RULE, null, 50), false, null);
    assertThat(next.failing(SSH)).containsExactly(rangeGroup);
    for (var rule : List.of(RDP, ALL, IMDS, BUCKET, ACCOUNT, EBS, KEYS)) {
      assertThat(next.failing(rule)).as(rule).isEmpty();
    }
  }

  @Test
  void excludedResourcesAreNeverTouchedWhateverTheTagSourceAndTheKillSwitchStopsAll() {
    String scanTagged;
    String policyTagged;
    String taggedLater;
    String plain;
    var seed = new AwsSeed(moto);
    try (var ec2 = seed.ec2(REGION)) {
      scanTagged = AwsSeed.securityGroup(ec2, "default-tag", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      ec2.createTags(
          b -> b.resources(scanTagged).tags(t -> t.key("parapet.dev/no-remediate").value("true")));
      policyTagged = AwsSeed.securityGroup(ec2, "policy-tag", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      ec2.createTags(b -> b.resources(policyTagged).tags(t -> t.key("owner").value("platform")));
      taggedLater = AwsSeed.securityGroup(ec2, "later-tag", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      plain = AwsSeed.securityGroup(ec2, "plain", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      AwsSeed.attach(ec2, scanTagged, policyTagged, taggedLater, plain);
    }
    var h = new RemediationMoto(moto, Clock.systemUTC());
    var policy =
        RemediationMoto.policy(RemediationMode.APPLY, List.of(SSH), "owner=platform", null);

    // kill switch first: nothing at all runs, every covered Finding says why
    var before = h.state();
    var stopped = h.run(policy, true, "kill switch: test");
    assertThat(h.state()).isEqualTo(before);
    assertThat(h.rescans).isZero();
    assertThat(stopped.result().records().values())
        .hasSize(4)
        .allSatisfy(
            r -> {
              assertThat(r.state()).isEqualTo(SKIPPED);
              assertThat(r.message()).isEqualTo("kill switch: test");
              assertThat(r.call()).isNull();
            });
    assertThat(stopped.result().summary().reason()).isEqualTo("KillSwitch");
    assertThat(stopped.result().events())
        .extracting(e -> e.reason())
        .containsExactly("RemediationStopped");

    // then Apply: the tag read by the scan, the policy's own tag, and a tag added after the scan
    // (the plan re-reads the group) all exclude; only the plain group changes
    var run =
        h.run(
            policy,
            true,
            null,
            () -> {
              try (var ec2 = seed.ec2(REGION)) {
                ec2.createTags(
                    b ->
                        b.resources(taggedLater)
                            .tags(t -> t.key("parapet.dev/no-remediate").value("true")));
              }
            });
    var after = h.state();
    assertThat(RemediationMoto.changed(before, after))
        .containsExactly("sg/" + REGION + "/" + plain + "/ingress");
    for (var excluded : List.of(scanTagged, policyTagged, taggedLater)) {
      assertThat(run.record(SSH, excluded))
          .satisfies(
              r -> {
                assertThat(r.state()).isEqualTo(SKIPPED);
                assertThat(r.message())
                    .startsWith("excluded")
                    .contains(RemediationSettings.DEFAULT_EXCLUDE, "owner=platform");
              });
    }
    assertThat(run.record(SSH, plain).state()).isEqualTo(VERIFIED);
  }

  @Test
  void theLimitPerScanHoldsAndTheRestWaitsForTheNextScan() {
    var groups = new TreeMap<String, String>();
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      for (var name : List.of("a", "b", "c")) {
        groups.put(
            AwsSeed.securityGroup(
                ec2, name, AwsSeed.tcp(22, 22, "0.0.0.0/0"), AwsSeed.tcp(80, 80, "0.0.0.0/0")),
            name);
      }
      AwsSeed.attach(ec2, groups.keySet().toArray(String[]::new));
    }
    var h = new RemediationMoto(moto, Clock.systemUTC());
    var policy = RemediationMoto.policy(RemediationMode.APPLY, List.of(SSH), null, 2);
    var before = h.state();

    var first = h.run(policy, true, null);

    var changed = RemediationMoto.changed(before, h.state());
    assertThat(changed).hasSize(2);
    var states = groups.keySet().stream().map(g -> first.record(SSH, g).state()).toList();
    assertThat(states).containsExactlyInAnyOrder(VERIFIED, VERIFIED, SKIPPED);
    var waiting =
        groups.keySet().stream()
            .filter(g -> first.record(SSH, g).state() == SKIPPED)
            .findFirst()
            .orElseThrow();
    assertThat(first.record(SSH, waiting).message()).contains("limit of 2 actions per scan");
    assertThat(changed).doesNotContain("sg/" + REGION + "/" + waiting + "/ingress");

    var second = h.run(policy, true, null);
    assertThat(second.record(SSH, waiting).state()).isEqualTo(VERIFIED);
    assertThat(h.state().values()).noneMatch(v -> v.contains("22 from 0.0.0.0/0"));
    assertThat(h.state().entrySet())
        .filteredOn(
            e -> e.getKey().endsWith("/ingress") && groups.containsKey(e.getKey().split("/")[2]))
        .allSatisfy(e -> assertThat(e.getValue()).isEqualTo("tcp 80 from 0.0.0.0/0"));
  }

  @Test
  void applyWithoutAWriteRoleChangesNothingAndSaysWhatIsMissing() {
    String group;
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      group = AwsSeed.securityGroup(ec2, "ssh", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      AwsSeed.attach(ec2, group);
    }
    var h = new RemediationMoto(moto, Clock.systemUTC());
    var before = h.state();

    var run =
        h.run(RemediationMoto.policy(RemediationMode.APPLY, List.of(SSH), null, null), false, null);

    assertThat(h.state()).isEqualTo(before);
    assertThat(run.result().summary().status()).isEqualTo("False");
    assertThat(run.result().summary().reason()).isEqualTo("WriteRoleMissing");
    assertThat(run.result().summary().message())
        .contains("spec.remediation.roleArn", "nothing was changed");
    assertThat(run.record(SSH, group).state()).isEqualTo(SKIPPED);
    assertThat(run.record(SSH, group).message()).contains("spec.remediation.roleArn");
    assertThat(run.result().events())
        .extracting(e -> e.type() + "/" + e.reason())
        .containsExactly("Warning/RemediationWriteRoleMissing");
  }

  @Test
  void aFailureIsRecordedAndRetriedOnlyAfterABackoffNeverInAStorm() {
    var rule =
        OperatorScan.catalog().stream().filter(r -> r.id().equals(SSH)).findFirst().orElseThrow();
    var missing = "sg-0123456789abcdef0"; // no such group in moto
    var result =
        new CheckResult(
            rule,
            rule.severity(),
            REGION,
            "AWS::EC2::SecurityGroup",
            missing,
            "arn",
            "",
            "m",
            Map.of());
    var settings =
        new RemediationSettings(
            new TreeMap<>(Map.of(SSH, RemediationMode.APPLY)),
            new java.util.TreeSet<>(List.of(RemediationSettings.DEFAULT_EXCLUDE)),
            10,
            List.of("p"));
    var account =
        new Remediator.Account(
            MotoServer.ACCOUNT_ID,
            moto.endpoint(),
            REGION,
            moto.credentials(),
            new dev.parapet.operator.aws.collect.CredentialSource.AssumeRole(
                RemediationMoto.WRITE_ROLE, null, "t", 0, moto.credentials()),
            null);
    var t0 = Instant.parse("2026-12-07T08:00:00Z");
    Remediator.Verifier noRescan =
        rules -> {
          throw new AssertionError("nothing was applied, nothing to verify");
        };
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var first =
          new Remediator(factory, Clock.fixed(t0, ZoneOffset.UTC), Duration.ofMinutes(30))
              .run(
                  account, List.of(new Remediator.Item("f", result, null)), settings, 45, noRescan);
      var failed = first.records().get("f");
      assertThat(failed.state()).isEqualTo(FAILED);
      assertThat(failed.failures()).isEqualTo(1);
      assertThat(failed.message()).contains("could not read the resource").contains(missing);
      assertThat(first.summary().reason()).isEqualTo("ActionsFailed");
      assertThat(first.events()).extracting(e -> e.reason()).containsExactly("RemediationFailed");
      assertThat(first.apiCalls()).containsEntry("ec2:DescribeSecurityGroups", 1L);

      // the next scans inside the backoff try nothing: no record, no Event, no AWS call
      var soon =
          new Remediator(
                  factory,
                  Clock.fixed(t0.plusSeconds(29 * 60), ZoneOffset.UTC),
                  Duration.ofMinutes(30))
              .run(
                  account,
                  List.of(new Remediator.Item("f", result, failed)),
                  settings,
                  45,
                  noRescan);
      assertThat(soon.records()).isEmpty();
      assertThat(soon.events()).isEmpty();
      assertThat(soon.apiCalls()).isEmpty();

      // after it, one more attempt; the wait doubles
      var later =
          new Remediator(
                  factory,
                  Clock.fixed(t0.plusSeconds(31 * 60), ZoneOffset.UTC),
                  Duration.ofMinutes(30))
              .run(
                  account,
                  List.of(new Remediator.Item("f", result, failed)),
                  settings,
                  45,
                  noRescan);
      var again = later.records().get("f");
      assertThat(again.state()).isEqualTo(FAILED);
      assertThat(again.failures()).isEqualTo(2);
      var stillWaiting =
          new Remediator(
                  factory,
                  Clock.fixed(t0.plusSeconds(31 * 60 + 59 * 60), ZoneOffset.UTC),
                  Duration.ofMinutes(30))
              .run(
                  account,
                  List.of(new Remediator.Item("f", result, again)),
                  settings,
                  45,
                  noRescan);
      assertThat(stillWaiting.records()).isEmpty();
    }
  }
}
