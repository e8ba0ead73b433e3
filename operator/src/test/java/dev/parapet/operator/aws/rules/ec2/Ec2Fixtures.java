package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.operator.aws.inventory.ec2.NetworkInterfaces;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups.Group;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups.Permission;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Small builders for EC2 datasets in rule tests. */
final class Ec2Fixtures {
  private Ec2Fixtures() {}

  static Group group(String id, Permission... ingress) {
    return new Group(id, id + "-name", "vpc-1", List.of(ingress), List.of(), Map.of());
  }

  static Group defaultGroup(String id, List<Permission> ingress, List<Permission> egress) {
    return new Group(id, "default", "vpc-1", ingress, egress, Map.of());
  }

  static Permission tcp(int from, int to, String... cidrs) {
    return new Permission("tcp", from, to, v4(cidrs), v6(cidrs), List.of(), List.of());
  }

  static Permission udp(int from, int to, String... cidrs) {
    return new Permission("udp", from, to, v4(cidrs), v6(cidrs), List.of(), List.of());
  }

  static Permission all(String... cidrs) {
    return new Permission("-1", null, null, v4(cidrs), v6(cidrs), List.of(), List.of());
  }

  static SecurityGroups groups(Group... groups) {
    return new SecurityGroups(List.of(groups));
  }

  /** One interface using every given group. */
  static NetworkInterfaces using(String... groupIds) {
    return new NetworkInterfaces(
        List.of(new NetworkInterfaces.Interface("eni-1", "in-use", List.of(groupIds))));
  }

  private static List<String> v4(String... cidrs) {
    return Arrays.stream(cidrs).filter(c -> !c.contains(":")).toList();
  }

  private static List<String> v6(String... cidrs) {
    return Arrays.stream(cidrs).filter(c -> c.contains(":")).toList();
  }
}
