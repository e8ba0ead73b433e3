package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.testing.AwsSeed.allTraffic;
import static dev.parapet.testing.AwsSeed.tcp;
import static dev.parapet.testing.AwsSeed.tcp6;
import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.RuleAction;

/**
 * EC2 / VPC rules end to end against moto: seed a violating resource and its clean twin through the
 * SDK, scan with the real engine, expect exactly one FAIL for the violator and none for the twin.
 * Each test uses its own region, so tests in this class do not see each other's resources. Snapshot
 * rules need the proxy for moto gaps and live in {@code Ec2SnapshotRulesMotoTest}.
 */
@ExtendWith(MotoExtension.class)
class Ec2RulesMotoTest {

  private static ScanReport scan(MotoServer moto, String region, String... rules) {
    return MotoScans.scan(moto, List.of(region), CloudPolicy.only(rules));
  }

  private static void assertOneFailNoneForTwin(
      ScanReport report, String rule, String violator, String twin) {
    assertThat(failedIds(report, rule)).containsOnlyOnce(violator).doesNotContain(twin);
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
  }

  @Test
  void sshOpenToTheInternetFailsOnlyTheOpenGroup(MotoServer moto) {
    var region = "eu-west-1";
    String open;
    String closed;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      open = AwsSeed.securityGroup(ec2, "ssh-open", tcp(22, 22, "0.0.0.0/0"));
      closed = AwsSeed.securityGroup(ec2, "ssh-office", tcp(22, 22, "203.0.113.0/24"));
      AwsSeed.attach(ec2, open, closed);
    }
    var report = scan(moto, region, "aws-ec2-sg-ssh-open");

    assertThat(failedIds(report, "aws-ec2-sg-ssh-open")).containsExactly(open);
    assertThat(passedIds(report, "aws-ec2-sg-ssh-open")).contains(closed);
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    var fail = report.failures().get(0);
    assertThat(fail.resource().arn())
        .isEqualTo(
            "arn:aws:ec2:" + region + ":" + MotoServer.ACCOUNT_ID + ":security-group/" + open);
    assertThat(fail.evidence()).contains("port 22").contains("0.0.0.0/0");
  }

  @Test
  void rdpOpenOverIpv6FailsOnlyTheOpenGroup(MotoServer moto) {
    var region = "eu-west-2";
    String open;
    String closed;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      open = AwsSeed.securityGroup(ec2, "rdp-open", tcp6(3389, 3389, "::/0"));
      closed = AwsSeed.securityGroup(ec2, "rdp-vpn", tcp(3389, 3389, "10.0.0.0/8"));
      AwsSeed.attach(ec2, open, closed);
    }
    var report = scan(moto, region, "aws-ec2-sg-rdp-open");
    assertOneFailNoneForTwin(report, "aws-ec2-sg-rdp-open", open, closed);
    assertThat(report.failures().get(0).evidence()).contains("::/0");
  }

  @Test
  void cifsOpenToTheInternetFailsAndItsTrustedTwinPasses(MotoServer moto) {
    // CIS 5.1.2: a range containing 445 from ::/0 fails; 445 from a private range passes.
    var region = "ap-south-1";
    String open;
    String closed;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      open = AwsSeed.securityGroup(ec2, "smb-open", tcp6(440, 450, "::/0"));
      closed = AwsSeed.securityGroup(ec2, "smb-office", tcp(445, 445, "10.0.0.0/8"));
      AwsSeed.attach(ec2, open, closed);
    }
    var rule = "aws-ec2-sg-cifs-open";
    var report = scan(moto, region, rule);
    assertOneFailNoneForTwin(report, rule, open, closed);
    assertThat(passedIds(report, rule)).contains(closed);
    assertThat(report.failures().get(0).evidence()).contains("port 445").contains("::/0");
  }

  @Test
  void allTrafficFromTheInternetFailsAndHidesThePerPortDuplicates(MotoServer moto) {
    var region = "eu-west-3";
    String open;
    String closed;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      open = AwsSeed.securityGroup(ec2, "wide-open", allTraffic("0.0.0.0/0"));
      closed = AwsSeed.securityGroup(ec2, "internal", allTraffic("10.0.0.0/8"));
      AwsSeed.attach(ec2, open, closed);
    }
    var report =
        scan(
            moto,
            region,
            "aws-ec2-sg-all-ports-open",
            "aws-ec2-sg-ssh-open",
            "aws-ec2-sg-rdp-open",
            "aws-ec2-sg-sensitive-port-open",
            "aws-ec2-sg-cifs-open");
    assertOneFailNoneForTwin(report, "aws-ec2-sg-all-ports-open", open, closed);
    // The same group also opens 22, 3389, 445 and every sensitive port: reported once, not five
    // times.
    assertThat(report.failures()).hasSize(1);
  }

  @Test
  void allTrafficHidesNothingWhenTheAllPortsRuleIsNotEnabled(MotoServer moto) {
    var region = "eu-south-1";
    String open;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      open = AwsSeed.securityGroup(ec2, "wide-open", allTraffic("0.0.0.0/0"));
      AwsSeed.attach(ec2, open);
    }
    var report = scan(moto, region, "aws-ec2-sg-ssh-open");
    assertThat(failedIds(report, "aws-ec2-sg-ssh-open")).containsExactly(open);
  }

  @Test
  void sensitivePortsComeFromThePolicy(MotoServer moto) {
    var region = "eu-central-1";
    String mysql;
    String https;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      mysql = AwsSeed.securityGroup(ec2, "db", tcp(3306, 3306, "0.0.0.0/0"));
      https = AwsSeed.securityGroup(ec2, "web", tcp(443, 443, "0.0.0.0/0"));
      AwsSeed.attach(ec2, mysql, https);
    }
    var rule = "aws-ec2-sg-sensitive-port-open";
    var report = scan(moto, region, rule);
    assertOneFailNoneForTwin(report, rule, mysql, https);
    assertThat(report.failures().get(0).evidence()).contains("port 3306");

    var custom =
        MotoScans.scan(
            moto,
            List.of(region),
            CloudPolicy.only(rule)
                .withParameters(RuleParameters.defaults().withSensitivePorts(Set.of(443))));
    assertThat(failedIds(custom, rule)).containsExactly(https);
  }

  @Test
  void unattachedGroupsAreSkippedUnlessThePolicyAsks(MotoServer moto) {
    var region = "eu-central-2";
    String unused;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      unused = AwsSeed.securityGroup(ec2, "forgotten", tcp(22, 22, "0.0.0.0/0"));
    }
    var rule = "aws-ec2-sg-ssh-open";
    assertThat(failedIds(scan(moto, region, rule), rule)).isEmpty();
    var all =
        MotoScans.scan(
            moto,
            List.of(region),
            CloudPolicy.only(rule)
                .withParameters(RuleParameters.defaults().withIncludeUnusedSecurityGroups(true)));
    assertThat(failedIds(all, rule)).containsExactly(unused);
  }

  @Test
  void defaultGroupWithRulesFailsAndEmptiedDefaultGroupPasses(MotoServer moto) {
    var violatorRegion = "eu-north-1";
    var twinRegion = "eu-south-2";
    String violator;
    String twin;
    try (var seed = new AwsSeed(moto).ec2(violatorRegion);
        var seed2 = new AwsSeed(moto).ec2(twinRegion)) {
      violator = AwsSeed.defaultSecurityGroup(seed);
      AwsSeed.attach(seed, violator);
      twin = AwsSeed.defaultSecurityGroup(seed2);
      emptyGroup(seed2, twin);
      AwsSeed.attach(seed2, twin);
    }
    var rule = "aws-ec2-default-sg-has-rules";
    var report = MotoScans.scan(moto, List.of(violatorRegion, twinRegion), CloudPolicy.only(rule));
    assertOneFailNoneForTwin(report, rule, violator, twin);
    assertThat(passedIds(report, rule)).containsExactly(twin);
  }

  private static void emptyGroup(Ec2Client ec2, String groupId) {
    var group = ec2.describeSecurityGroups(b -> b.groupIds(groupId)).securityGroups().get(0);
    if (!group.ipPermissions().isEmpty()) {
      ec2.revokeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(group.ipPermissions()));
    }
    if (!group.ipPermissionsEgress().isEmpty()) {
      ec2.revokeSecurityGroupEgress(
          b -> b.groupId(groupId).ipPermissions(group.ipPermissionsEgress()));
    }
  }

  @Test
  void instanceWithoutImdsv2FailsAndTokenRequiredTwinPasses(MotoServer moto) {
    var region = "ap-northeast-1";
    String optional;
    String required;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      var image = AwsSeed.anyImage(ec2);
      optional =
          ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1))
              .instances()
              .get(0)
              .instanceId();
      required =
          ec2.runInstances(
                  b ->
                      b.imageId(image)
                          .minCount(1)
                          .maxCount(1)
                          .metadataOptions(
                              m ->
                                  m.httpTokens(HttpTokensState.REQUIRED)
                                      .httpEndpoint(InstanceMetadataEndpointState.ENABLED)))
              .instances()
              .get(0)
              .instanceId();
    }
    var rule = "aws-ec2-imdsv2-not-required";
    var report = scan(moto, region, rule);
    assertOneFailNoneForTwin(report, rule, optional, required);
    assertThat(passedIds(report, rule)).contains(required);
  }

  @Test
  void ebsDefaultEncryptionOffFailsTheRegionAndOnPasses(MotoServer moto) {
    var off = "ap-northeast-2";
    var on = "ap-northeast-3";
    try (var ec2 = new AwsSeed(moto).ec2(on)) {
      ec2.enableEbsEncryptionByDefault(b -> {});
    }
    var rule = "aws-ec2-ebs-default-encryption-off";
    var report = MotoScans.scan(moto, List.of(off, on), CloudPolicy.only(rule));
    var fails = report.failures();
    assertThat(fails).hasSize(1);
    assertThat(fails.get(0).region()).isEqualTo(off);
    assertThat(fails.get(0).resource().id()).isEqualTo(MotoServer.ACCOUNT_ID);
    assertThat(report.withStatus(ResultStatus.PASS))
        .singleElement()
        .satisfies(r -> assertThat(r.region()).isEqualTo(on));
  }

  @Test
  void attachedUnencryptedVolumeFailsAndEncryptedTwinPasses(MotoServer moto) {
    var region = "ap-southeast-1";
    String plain;
    String encrypted;
    String detached;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      var instance =
          ec2.runInstances(b -> b.imageId(AwsSeed.anyImage(ec2)).minCount(1).maxCount(1))
              .instances()
              .get(0);
      var az = instance.placement().availabilityZone();
      plain = ec2.createVolume(b -> b.availabilityZone(az).size(1)).volumeId();
      encrypted = ec2.createVolume(b -> b.availabilityZone(az).size(1).encrypted(true)).volumeId();
      detached = ec2.createVolume(b -> b.availabilityZone(az).size(1)).volumeId();
      ec2.attachVolume(b -> b.volumeId(plain).instanceId(instance.instanceId()).device("/dev/sdf"));
      ec2.attachVolume(
          b -> b.volumeId(encrypted).instanceId(instance.instanceId()).device("/dev/sdg"));
    }
    var rule = "aws-ec2-ebs-volume-unencrypted";
    var report = scan(moto, region, rule);
    assertOneFailNoneForTwin(report, rule, plain, encrypted);
    assertThat(passedIds(report, rule)).contains(encrypted);
    assertThat(failedIds(report, rule)).doesNotContain(detached);
  }

  @Test
  void publicAmiFailsAndPrivateTwinPasses(MotoServer moto) {
    var region = "us-west-1";
    String publicImage;
    String privateImage;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      var instance =
          ec2.runInstances(b -> b.imageId(AwsSeed.anyImage(ec2)).minCount(1).maxCount(1))
              .instances()
              .get(0)
              .instanceId();
      publicImage = ec2.createImage(b -> b.instanceId(instance).name("shared")).imageId();
      privateImage = ec2.createImage(b -> b.instanceId(instance).name("private")).imageId();
      ec2.modifyImageAttribute(
          b -> b.imageId(publicImage).launchPermission(l -> l.add(p -> p.group("all"))));
    }
    var rule = "aws-ec2-ami-public";
    var report = scan(moto, region, rule);
    assertOneFailNoneForTwin(report, rule, publicImage, privateImage);
    assertThat(passedIds(report, rule)).containsExactly(privateImage);
  }

  @Test
  void vpcWithoutFlowLogFailsAndLoggedTwinPasses(MotoServer moto) {
    var region = "us-west-2";
    String bare;
    String logged;
    try (var ec2 = new AwsSeed(moto).ec2(region);
        var s3 = new AwsSeed(moto).s3(region)) {
      bare = ec2.createVpc(b -> b.cidrBlock("10.1.0.0/16")).vpc().vpcId();
      logged = ec2.createVpc(b -> b.cidrBlock("10.2.0.0/16")).vpc().vpcId();
      s3.createBucket(
          b ->
              b.bucket("flow-logs-bucket")
                  .createBucketConfiguration(c -> c.locationConstraint(region)));
      ec2.createFlowLogs(
          b ->
              b.resourceIds(logged)
                  .resourceType("VPC")
                  .trafficType("ALL")
                  .logDestinationType("s3")
                  .logDestination("arn:aws:s3:::flow-logs-bucket"));
    }
    var rule = "aws-vpc-flow-logs-off";
    var report = scan(moto, region, rule);
    assertOneFailNoneForTwin(report, rule, bare, logged);
    assertThat(passedIds(report, rule)).containsExactly(logged);
  }

  @Test
  void networkAclAdmittingSshFailsAndAclDenyingItFirstPasses(MotoServer moto) {
    var region = "ca-central-1";
    String open;
    String closed;
    String defaultAcl;
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      var vpc = AwsSeed.defaultVpc(ec2);
      open = ec2.createNetworkAcl(b -> b.vpcId(vpc)).networkAcl().networkAclId();
      closed = ec2.createNetworkAcl(b -> b.vpcId(vpc)).networkAcl().networkAclId();
      // Open: TCP 3380-3390 from ::/0 (covers RDP over IPv6).
      aclEntry(ec2, open, 100, "6", RuleAction.ALLOW, null, "::/0", 3380, 3390);
      // Closed: the same allow-all as a default ACL, but lower-numbered DENYs for both ports and
      // both families come first; SSH from a known range is fine.
      aclEntry(ec2, closed, 40, "6", RuleAction.ALLOW, "203.0.113.0/24", null, 22, 22);
      aclEntry(ec2, closed, 50, "6", RuleAction.DENY, "0.0.0.0/0", null, 22, 22);
      aclEntry(ec2, closed, 60, "6", RuleAction.DENY, "0.0.0.0/0", null, 3389, 3389);
      aclEntry(ec2, closed, 70, "-1", RuleAction.DENY, null, "::/0", null, null);
      aclEntry(ec2, closed, 100, "-1", RuleAction.ALLOW, "0.0.0.0/0", null, null, null);
      aclEntry(ec2, closed, 110, "-1", RuleAction.ALLOW, null, "::/0", null, null);
      defaultAcl =
          ec2.describeNetworkAcls(
                  b ->
                      b.filters(
                          f -> f.name("vpc-id").values(vpc), f -> f.name("default").values("true")))
              .networkAcls()
              .get(0)
              .networkAclId();
    }
    var rule = "aws-ec2-nacl-admin-ports-open";
    var report = scan(moto, region, rule);
    assertOneFailNoneForTwin(report, rule, open, closed);
    assertThat(passedIds(report, rule)).containsExactly(closed);
    // The default ACL's entry 100 allows all traffic from 0.0.0.0/0: a true finding, as in AWS.
    assertThat(failedIds(report, rule)).containsExactlyInAnyOrder(open, defaultAcl);
    var fail =
        report.failures().stream()
            .filter(f -> f.resource().id().equals(open))
            .findFirst()
            .orElseThrow();
    assertThat(fail.evidence()).contains("TCP 3389 from ::/0 (entry 100: allow tcp 3380-3390)");
    assertThat(fail.resource().arn())
        .isEqualTo("arn:aws:ec2:" + region + ":" + MotoServer.ACCOUNT_ID + ":network-acl/" + open);
  }

  private static void aclEntry(
      Ec2Client ec2,
      String aclId,
      int number,
      String protocol,
      RuleAction action,
      String cidr,
      String ipv6Cidr,
      Integer from,
      Integer to) {
    ec2.createNetworkAclEntry(
        b -> {
          b.networkAclId(aclId)
              .ruleNumber(number)
              .protocol(protocol)
              .ruleAction(action)
              .egress(false)
              .cidrBlock(cidr)
              .ipv6CidrBlock(ipv6Cidr);
          if (from != null) {
            b.portRange(p -> p.from(from).to(to));
          }
        });
  }
}
