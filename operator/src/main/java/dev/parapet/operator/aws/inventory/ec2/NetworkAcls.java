package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;

/**
 * The network ACLs of one region owned by the scanned account (judged on the returned {@code
 * OwnerId}: a VPC shared into the account brings its owner's ACLs, which are not this account's to
 * change), with every entry as DescribeNetworkAcls returns it.
 */
@DatasetSpec(service = "ec2", actions = "ec2:DescribeNetworkAcls")
public record NetworkAcls(List<Acl> acls) implements Dataset {

  public NetworkAcls {
    acls = List.copyOf(acls);
  }

  @Override
  public int resourceCount() {
    return acls.size();
  }

  /** One network ACL and the subnets associated with it. */
  public record Acl(
      String networkAclId,
      String vpcId,
      String ownerId,
      boolean isDefault,
      List<Entry> entries,
      List<String> subnetIds,
      Map<String, String> tags) {
    public Acl {
      entries = List.copyOf(entries);
      subnetIds = List.copyOf(subnetIds);
      tags = Tags.copy(tags);
    }
  }

  /**
   * One entry: rule number, protocol as AWS reports it ({@code -1} = all, {@code 6} = TCP, ...),
   * {@code allow} or {@code deny}, direction, the IPv4 or IPv6 CIDR (the other is null), and the
   * port range (null when the protocol has none).
   */
  public record Entry(
      int ruleNumber,
      String protocol,
      String ruleAction,
      boolean egress,
      String cidrBlock,
      String ipv6CidrBlock,
      Integer fromPort,
      Integer toPort) {}
}
