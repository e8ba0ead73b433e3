package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.operator.aws.inventory.ec2.NetworkInterfaces;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups.Group;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups.Permission;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Shared, pure reading of security-group ingress: which ports are open to the internet. */
final class InternetExposure {
  static final Set<String> INTERNET = Set.of("0.0.0.0/0", "::/0");

  private InternetExposure() {}

  /** Groups the security-group rules judge: in-use ones, or all when the policy asks. */
  static List<Group> groupsToJudge(
      List<Group> groups, NetworkInterfaces interfaces, RuleParameters parameters) {
    if (parameters.includeUnusedSecurityGroups()) {
      return groups;
    }
    var inUse = interfaces.groupsInUse();
    return groups.stream().filter(g -> inUse.contains(g.groupId())).toList();
  }

  /** Internet CIDRs (0.0.0.0/0, ::/0) a permission admits. */
  static List<String> internetSources(Permission p) {
    var out = new ArrayList<String>();
    p.ipv4Ranges().stream().filter(INTERNET::contains).forEach(out::add);
    p.ipv6Ranges().stream().filter(INTERNET::contains).forEach(out::add);
    return out;
  }

  static boolean allProtocols(Permission p) {
    return "-1".equals(p.protocol()) || "all".equalsIgnoreCase(p.protocol());
  }

  /** True for protocol -1, or TCP/UDP over the whole 0-65535 range. */
  static boolean allPorts(Permission p) {
    if (allProtocols(p)) {
      return true;
    }
    return isTcpOrUdp(p)
        && p.fromPort() != null
        && p.toPort() != null
        && p.fromPort() <= 0
        && p.toPort() >= 65535;
  }

  /** True when the permission admits the TCP port (protocol -1 counts). */
  static boolean admitsTcp(Permission p, int port) {
    if (allProtocols(p)) {
      return true;
    }
    if (!isTcp(p)) {
      return false;
    }
    if (p.fromPort() == null || p.toPort() == null) {
      return true;
    }
    return p.fromPort() <= port && port <= p.toPort();
  }

  /** Describes the internet-facing permission for evidence, e.g. "tcp 22 from 0.0.0.0/0". */
  static String describe(Permission p, List<String> sources) {
    var ports =
        allProtocols(p)
            ? "all traffic"
            : p.protocol()
                + " "
                + (p.fromPort() != null && p.fromPort().equals(p.toPort())
                    ? String.valueOf(p.fromPort())
                    : p.fromPort() + "-" + p.toPort());
    return ports + " from " + String.join(", ", sources);
  }

  private static boolean isTcp(Permission p) {
    return "tcp".equalsIgnoreCase(p.protocol()) || "6".equals(p.protocol());
  }

  private static boolean isTcpOrUdp(Permission p) {
    return isTcp(p) || "udp".equalsIgnoreCase(p.protocol()) || "17".equals(p.protocol());
  }
}
