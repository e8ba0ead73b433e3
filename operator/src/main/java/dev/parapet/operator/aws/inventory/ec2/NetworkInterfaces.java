package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The network interfaces of one region; a security group is in use when an interface uses it. */
@DatasetSpec(service = "ec2", actions = "ec2:DescribeNetworkInterfaces")
public record NetworkInterfaces(List<Interface> interfaces) implements Dataset {

  public NetworkInterfaces {
    interfaces = List.copyOf(interfaces);
  }

  @Override
  public int resourceCount() {
    return interfaces.size();
  }

  /** Ids of every security group attached to at least one interface. */
  public Set<String> groupsInUse() {
    var used = new HashSet<String>();
    interfaces.forEach(i -> used.addAll(i.groupIds()));
    return used;
  }

  /** One elastic network interface. */
  public record Interface(String interfaceId, String status, List<String> groupIds) {
    public Interface {
      groupIds = List.copyOf(groupIds);
    }
  }
}
