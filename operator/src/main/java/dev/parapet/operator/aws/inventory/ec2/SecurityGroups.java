package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;

/** The security groups of one region with their ingress rules. */
@DatasetSpec(service = "ec2", actions = "ec2:DescribeSecurityGroups")
public record SecurityGroups(List<Group> groups) implements Dataset {

  public SecurityGroups {
    groups = List.copyOf(groups);
  }

  @Override
  public int resourceCount() {
    return groups.size();
  }

  /** One security group. */
  public record Group(
      String groupId,
      String groupName,
      String vpcId,
      List<Permission> ingress,
      List<Permission> egress,
      Map<String, String> tags) {
    public Group {
      ingress = List.copyOf(ingress);
      egress = List.copyOf(egress);
      tags = Tags.copy(tags);
    }

    public boolean isDefault() {
      return "default".equals(groupName);
    }
  }

  /**
   * One permission: protocol as AWS reports it ({@code -1} = all, {@code tcp}, {@code udp}, a
   * number), port range (null for all), and its sources.
   */
  public record Permission(
      String protocol,
      Integer fromPort,
      Integer toPort,
      List<String> ipv4Ranges,
      List<String> ipv6Ranges,
      List<String> sourceGroups,
      List<String> prefixLists) {
    public Permission {
      ipv4Ranges = List.copyOf(ipv4Ranges);
      ipv6Ranges = List.copyOf(ipv6Ranges);
      sourceGroups = List.copyOf(sourceGroups);
      prefixLists = List.copyOf(prefixLists);
    }
  }
}
