package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.ec2.EbsDefaultEncryption;
import dev.parapet.operator.aws.inventory.ec2.FlowLogs;
import dev.parapet.operator.aws.inventory.ec2.Images;
import dev.parapet.operator.aws.inventory.ec2.Instances;
import dev.parapet.operator.aws.inventory.ec2.NetworkAcls;
import dev.parapet.operator.aws.inventory.ec2.NetworkInterfaces;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.inventory.ec2.SnapshotBlockPublicAccess;
import dev.parapet.operator.aws.inventory.ec2.Snapshots;
import dev.parapet.operator.aws.inventory.ec2.Volumes;
import dev.parapet.operator.aws.inventory.ec2.Vpcs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeFlowLogsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkAclsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInterfacesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsRequest;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SnapshotAttributeName;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * EC2 / VPC / EBS / AMI collectors: one paginated pass per dataset per region with the largest page
 * sizes the API accepts.
 */
public final class Ec2Collector {
  static final int PAGE = 1000;
  static final int VOLUME_PAGE = 500;

  private Ec2Collector() {}

  public static List<Collector<?>> all() {
    return List.of(
        Collector.of(SecurityGroups.class, Ec2Collector::securityGroups),
        Collector.of(NetworkInterfaces.class, Ec2Collector::networkInterfaces),
        Collector.of(Instances.class, Ec2Collector::instances),
        Collector.of(EbsDefaultEncryption.class, Ec2Collector::ebsDefaultEncryption),
        Collector.of(Volumes.class, Ec2Collector::volumes),
        Collector.of(Snapshots.class, Ec2Collector::snapshots),
        Collector.of(SnapshotBlockPublicAccess.class, Ec2Collector::snapshotBlockPublicAccess),
        Collector.of(Images.class, Ec2Collector::images),
        Collector.of(Vpcs.class, Ec2Collector::vpcs),
        Collector.of(FlowLogs.class, Ec2Collector::flowLogs),
        Collector.of(NetworkAcls.class, Ec2Collector::networkAcls));
  }

  static SecurityGroups securityGroups(CollectContext ctx) {
    var ec2 = ctx.session().client(Ec2Client.class, ctx.region());
    var request = DescribeSecurityGroupsRequest.builder().maxResults(PAGE).build();
    var groups =
        ec2.describeSecurityGroupsPaginator(request).securityGroups().stream()
            .map(
                g ->
                    new SecurityGroups.Group(
                        g.groupId(),
                        g.groupName(),
                        g.vpcId(),
                        g.ipPermissions().stream().map(Ec2Collector::permission).toList(),
                        g.ipPermissionsEgress().stream().map(Ec2Collector::permission).toList(),
                        tags(g.tags())))
            .toList();
    return new SecurityGroups(groups);
  }

  private static SecurityGroups.Permission permission(IpPermission p) {
    return new SecurityGroups.Permission(
        p.ipProtocol(),
        p.fromPort(),
        p.toPort(),
        p.ipRanges().stream().map(r -> r.cidrIp()).toList(),
        p.ipv6Ranges().stream().map(r -> r.cidrIpv6()).toList(),
        p.userIdGroupPairs().stream().map(r -> r.groupId()).filter(id -> id != null).toList(),
        p.prefixListIds().stream().map(r -> r.prefixListId()).toList());
  }

  static NetworkInterfaces networkInterfaces(CollectContext ctx) {
    var ec2 = ctx.session().client(Ec2Client.class, ctx.region());
    var request = DescribeNetworkInterfacesRequest.builder().maxResults(PAGE).build();
    var interfaces =
        ec2.describeNetworkInterfacesPaginator(request).networkInterfaces().stream()
            .map(
                i ->
                    new NetworkInterfaces.Interface(
                        i.networkInterfaceId(),
                        i.statusAsString(),
                        i.groups().stream().map(g -> g.groupId()).toList()))
            .toList();
    return new NetworkInterfaces(interfaces);
  }

  static Instances instances(CollectContext ctx) {
    var ec2 = ctx.session().client(Ec2Client.class, ctx.region());
    var request = DescribeInstancesRequest.builder().maxResults(PAGE).build();
    var instances =
        ec2.describeInstancesPaginator(request).reservations().stream()
            .flatMap(r -> r.instances().stream())
            .filter(i -> i.state() == null || !"terminated".equals(i.state().nameAsString()))
            .map(
                i ->
                    new Instances.Instance(
                        i.instanceId(),
                        i.state() == null ? "unknown" : i.state().nameAsString(),
                        i.metadataOptions() == null
                            ? "optional"
                            : i.metadataOptions().httpTokensAsString(),
                        i.metadataOptions() == null
                            ? "enabled"
                            : i.metadataOptions().httpEndpointAsString(),
                        i.iamInstanceProfile() == null ? null : i.iamInstanceProfile().arn(),
                        tags(i.tags())))
            .toList();
    return new Instances(instances);
  }

  static EbsDefaultEncryption ebsDefaultEncryption(CollectContext ctx) {
    var response =
        ctx.session().client(Ec2Client.class, ctx.region()).getEbsEncryptionByDefault(b -> {});
    return new EbsDefaultEncryption(Boolean.TRUE.equals(response.ebsEncryptionByDefault()));
  }

  static Volumes volumes(CollectContext ctx) {
    var ec2 = ctx.session().client(Ec2Client.class, ctx.region());
    var request = DescribeVolumesRequest.builder().maxResults(VOLUME_PAGE).build();
    var volumes =
        ec2.describeVolumesPaginator(request).volumes().stream()
            .map(
                v ->
                    new Volumes.Volume(
                        v.volumeId(),
                        Boolean.TRUE.equals(v.encrypted()),
                        v.attachments().stream().map(a -> a.instanceId()).toList(),
                        tags(v.tags())))
            .toList();
    return new Volumes(volumes);
  }

  /**
   * Two list calls per region, plus one DescribeSnapshotAttribute per candidate: the owned
   * snapshots, then the candidates for public ones ({@code RestorableByUserIds=all}, which AWS
   * filters server-side, so on AWS only the public snapshots). Neither filter is trusted: a
   * snapshot another account owns is dropped whatever the request asked, and a candidate is public
   * only when its createVolumePermission names the group {@code all}. An endpoint that ignores the
   * filters makes every owned snapshot a candidate (more calls, never a false verdict).
   */
  static Snapshots snapshots(CollectContext ctx) {
    var ec2 = ctx.session().client(Ec2Client.class, ctx.region());
    var owned =
        ec2
            .describeSnapshotsPaginator(
                DescribeSnapshotsRequest.builder().ownerIds("self").maxResults(PAGE).build())
            .snapshots()
            .stream()
            .filter(s -> Ownership.ownedBy(s.ownerId(), ctx.accountId()))
            .toList();
    var candidates = new LinkedHashSet<String>();
    ec2.describeSnapshotsPaginator(
            DescribeSnapshotsRequest.builder()
                .ownerIds("self")
                .restorableByUserIds("all")
                .maxResults(PAGE)
                .build())
        .snapshots()
        .forEach(s -> candidates.add(s.snapshotId()));
    var out = new ArrayList<Snapshots.Snapshot>();
    RuntimeException first = null;
    var failures = 0;
    var asked = 0;
    for (var s : owned) {
      Fact<Boolean> publicRestore;
      if (!candidates.contains(s.snapshotId())) {
        publicRestore = Fact.known(false);
      } else {
        asked++;
        try {
          publicRestore = Fact.known(createVolumeIsPublic(ec2, s.snapshotId()));
        } catch (RuntimeException e) {
          failures++;
          first = first == null ? e : first;
          var error = Failures.classify(e, "ec2", ctx.region(), "DescribeSnapshotAttribute");
          publicRestore =
              Fact.unknown(
                  new CollectionError(
                      error.service(),
                      error.region(),
                      error.operation(),
                      error.reason(),
                      "snapshot " + s.snapshotId() + ": " + error.message()));
        }
      }
      out.add(
          new Snapshots.Snapshot(
              s.snapshotId(),
              s.ownerId(),
              s.volumeId(),
              Boolean.TRUE.equals(s.encrypted()),
              publicRestore,
              tags(s.tags())));
    }
    if (failures > 0 && failures == asked) {
      throw first; // every candidate refused the same way: the region's verdict is unknown
    }
    return new Snapshots(out);
  }

  /**
   * Public only when the permission says so: the group {@code all} is in createVolumePermission.
   */
  private static boolean createVolumeIsPublic(Ec2Client ec2, String snapshotId) {
    return ec2
        .describeSnapshotAttribute(
            b -> b.snapshotId(snapshotId).attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION))
        .createVolumePermissions()
        .stream()
        .anyMatch(p -> "all".equals(p.groupAsString()));
  }

  static SnapshotBlockPublicAccess snapshotBlockPublicAccess(CollectContext ctx) {
    var response =
        ctx.session()
            .client(Ec2Client.class, ctx.region())
            .getSnapshotBlockPublicAccessState(b -> {});
    return new SnapshotBlockPublicAccess(response.stateAsString());
  }

  static Images images(CollectContext ctx) {
    var ec2 = ctx.session().client(Ec2Client.class, ctx.region());
    var request = DescribeImagesRequest.builder().owners("self").maxResults(PAGE).build();
    var images =
        ec2.describeImagesPaginator(request).images().stream()
            .filter(i -> Ownership.ownedBy(i.ownerId(), ctx.accountId()))
            .map(
                i ->
                    new Images.Image(
                        i.imageId(),
                        i.ownerId(),
                        i.name(),
                        Boolean.TRUE.equals(i.publicLaunchPermissions()),
                        tags(i.tags())))
            .toList();
    return new Images(images);
  }

  static Vpcs vpcs(CollectContext ctx) {
    var ec2 = ctx.session().client(Ec2Client.class, ctx.region());
    var request = DescribeVpcsRequest.builder().maxResults(PAGE).build();
    var vpcs =
        ec2.describeVpcsPaginator(request).vpcs().stream()
            .map(v -> new Vpcs.Vpc(v.vpcId(), Boolean.TRUE.equals(v.isDefault()), tags(v.tags())))
            .toList();
    return new Vpcs(vpcs);
  }

  static FlowLogs flowLogs(CollectContext ctx) {
    var ec2 = ctx.session().client(Ec2Client.class, ctx.region());
    var request = DescribeFlowLogsRequest.builder().maxResults(PAGE).build();
    var logs =
        ec2.describeFlowLogsPaginator(request).flowLogs().stream()
            .map(f -> new FlowLogs.FlowLog(f.flowLogId(), f.resourceId(), f.flowLogStatus()))
            .toList();
    return new FlowLogs(logs);
  }

  /**
   * One paginated DescribeNetworkAcls per region; entries and subnet associations come back with
   * each ACL, so no per-ACL call. ACLs another account owns (a shared VPC's) are dropped on the
   * returned {@code OwnerId}.
   */
  static NetworkAcls networkAcls(CollectContext ctx) {
    var ec2 = ctx.session().client(Ec2Client.class, ctx.region());
    var request = DescribeNetworkAclsRequest.builder().maxResults(PAGE).build();
    var acls =
        ec2.describeNetworkAclsPaginator(request).networkAcls().stream()
            .filter(a -> Ownership.ownedBy(a.ownerId(), ctx.accountId()))
            .map(
                a ->
                    new NetworkAcls.Acl(
                        a.networkAclId(),
                        a.vpcId(),
                        a.ownerId(),
                        Boolean.TRUE.equals(a.isDefault()),
                        a.entries().stream()
                            .filter(e -> e.ruleNumber() != null)
                            .map(
                                e ->
                                    new NetworkAcls.Entry(
                                        e.ruleNumber(),
                                        e.protocol(),
                                        e.ruleActionAsString(),
                                        Boolean.TRUE.equals(e.egress()),
                                        e.cidrBlock(),
                                        e.ipv6CidrBlock(),
                                        e.portRange() == null ? null : e.portRange().from(),
                                        e.portRange() == null ? null : e.portRange().to()))
                            .toList(),
                        a.associations().stream()
                            .map(s -> s.subnetId())
                            .filter(id -> id != null)
                            .toList(),
                        tags(a.tags())))
            .toList();
    return new NetworkAcls(acls);
  }

  private static Map<String, String> tags(List<Tag> tags) {
    var out = new HashMap<String, String>();
    if (tags != null) {
      tags.forEach(t -> out.put(t.key(), t.value()));
    }
    return out;
  }
}
