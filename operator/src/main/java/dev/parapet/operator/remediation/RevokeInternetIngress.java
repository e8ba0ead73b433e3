package dev.parapet.operator.remediation;

import dev.parapet.operator.aws.collect.AwsSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * Revokes from one security group only the ingress that makes its rule fail: the internet sources
 * (0.0.0.0/0, ::/0) of the offending permissions, sent with exactly those permissions' protocol and
 * ports. Every other rule of the group, and every other source of the same permission (e.g.
 * 10.0.0.0/8 on port 22), stays.
 *
 * <p>For a single port (SSH, RDP), only a permission for exactly that TCP port is revoked. A
 * broader permission that also admits the port (a port range, all traffic) is left alone and the
 * plan says so: revoking it would close more than the rule asks (all traffic is the all-ports
 * action's to revoke).
 */
public final class RevokeInternetIngress implements RemediationAction {
  static final Set<String> INTERNET = Set.of("0.0.0.0/0", "::/0");

  private final String id;
  private final String ruleId;
  private final Integer port; // null: the all-ports action

  private RevokeInternetIngress(String id, String ruleId, Integer port) {
    this.id = id;
    this.ruleId = ruleId;
    this.port = port;
  }

  /** TCP {@code port} from the internet, for {@code ruleId}. */
  public static RevokeInternetIngress port(String id, String ruleId, int port) {
    return new RevokeInternetIngress(id, ruleId, port);
  }

  /** All traffic / all ports from the internet. */
  public static RevokeInternetIngress allPorts(String id, String ruleId) {
    return new RevokeInternetIngress(id, ruleId, null);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String ruleId() {
    return ruleId;
  }

  @Override
  public List<String> iamActions() {
    return List.of("ec2:DescribeSecurityGroups", "ec2:RevokeSecurityGroupIngress");
  }

  @Override
  public String summary() {
    return port == null
        ? "Revokes the all-traffic / TCP-or-UDP 0-65535 ingress permissions' 0.0.0.0/0 and ::/0"
            + " sources; every other rule and source of the group stays."
        : "Revokes the TCP "
            + port
            + " ingress permission's 0.0.0.0/0 and ::/0 sources; every other rule and source of"
            + " the group stays. A wider permission that includes port "
            + port
            + " (a range, all traffic) is left for you.";
  }

  @Override
  public String undo() {
    return "Re-add the revoked rule with AuthorizeSecurityGroupIngress (the before state is on the"
        + " Finding). Rule descriptions and security-group-rule ids of the revoked sources are"
        + " lost; connections that relied on them are cut at once.";
  }

  @Override
  public Plan plan(AwsSession session, Target target) {
    var group =
        session
            .client(Ec2Client.class, target.region())
            .describeSecurityGroups(r -> r.groupIds(target.resourceId()))
            .securityGroups()
            .stream()
            .filter(g -> target.resourceId().equals(g.groupId()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "security group " + target.resourceId() + " was not returned"));
    var tags = tags(group);
    var before = describe(group.ipPermissions());
    var revoke = new ArrayList<IpPermission>();
    var wider = new ArrayList<String>();
    for (var p : group.ipPermissions()) {
      var v4 = p.ipRanges().stream().filter(r -> INTERNET.contains(r.cidrIp())).toList();
      var v6 = p.ipv6Ranges().stream().filter(r -> INTERNET.contains(r.cidrIpv6())).toList();
      if (v4.isEmpty() && v6.isEmpty()) {
        continue;
      }
      if (offending(p)) {
        revoke.add(
            IpPermission.builder()
                .ipProtocol(p.ipProtocol())
                .fromPort(p.fromPort())
                .toPort(p.toPort())
                .ipRanges(
                    v4.stream().map(r -> IpRange.builder().cidrIp(r.cidrIp()).build()).toList())
                .ipv6Ranges(
                    v6.stream()
                        .map(r -> Ipv6Range.builder().cidrIpv6(r.cidrIpv6()).build())
                        .toList())
                .build());
      } else if (port != null && admits(p, port)) {
        wider.add(describe(List.of(p)));
      }
    }
    if (revoke.isEmpty()) {
      return Plan.skip(
          wider.isEmpty()
              ? "no ingress permission admits the rule's traffic from the internet any more"
              : "port "
                  + port
                  + " is open to the internet only through a wider permission ("
                  + String.join("; ", wider)
                  + "); revoking it would close more than port "
                  + port
                  + ", so it is left for you",
          before,
          tags);
    }
    var request =
        RevokeSecurityGroupIngressRequest.builder()
            .groupId(group.groupId())
            .ipPermissions(revoke)
            .build();
    var call =
        Calls.render(
            "ec2:RevokeSecurityGroupIngress",
            "ec2 revoke-security-group-ingress",
            target.region(),
            "group-id",
            group.groupId(),
            "ip-permissions",
            revoke.stream().map(RevokeInternetIngress::wire).toList());
    return Plan.call(call, before, tags, request);
  }

  @Override
  public String apply(AwsSession session, Target target, Plan plan) {
    var request = (RevokeSecurityGroupIngressRequest) plan.request();
    var ec2 = session.client(Ec2Client.class, target.region());
    ec2.revokeSecurityGroupIngress(request);
    var after =
        ec2.describeSecurityGroups(r -> r.groupIds(request.groupId())).securityGroups().get(0);
    return describe(after.ipPermissions());
  }

  private boolean offending(IpPermission p) {
    if (port == null) {
      return allProtocols(p)
          || (tcpOrUdp(p)
              && p.fromPort() != null
              && p.toPort() != null
              && p.fromPort() <= 0
              && p.toPort() >= 65535);
    }
    return tcp(p) && port.equals(p.fromPort()) && port.equals(p.toPort());
  }

  private static boolean admits(IpPermission p, int port) {
    if (allProtocols(p)) {
      return true;
    }
    return tcp(p)
        && (p.fromPort() == null
            || p.toPort() == null
            || (p.fromPort() <= port && port <= p.toPort()));
  }

  private static boolean allProtocols(IpPermission p) {
    return "-1".equals(p.ipProtocol()) || "all".equalsIgnoreCase(p.ipProtocol());
  }

  private static boolean tcp(IpPermission p) {
    return "tcp".equalsIgnoreCase(p.ipProtocol()) || "6".equals(p.ipProtocol());
  }

  private static boolean tcpOrUdp(IpPermission p) {
    return tcp(p) || "udp".equalsIgnoreCase(p.ipProtocol()) || "17".equals(p.ipProtocol());
  }

  static Map<String, String> tags(SecurityGroup g) {
    var m = new LinkedHashMap<String, String>();
    g.tags().forEach(t -> m.put(t.key(), t.value()));
    return m;
  }

  /** The permission as the API takes it (IpProtocol, FromPort, ToPort, IpRanges, Ipv6Ranges). */
  private static Map<String, Object> wire(IpPermission p) {
    var m = Calls.map("IpProtocol", p.ipProtocol());
    if (p.fromPort() != null) {
      m.put("FromPort", p.fromPort());
    }
    if (p.toPort() != null) {
      m.put("ToPort", p.toPort());
    }
    if (!p.ipRanges().isEmpty()) {
      m.put("IpRanges", p.ipRanges().stream().map(r -> Map.of("CidrIp", r.cidrIp())).toList());
    }
    if (!p.ipv6Ranges().isEmpty()) {
      m.put(
          "Ipv6Ranges",
          p.ipv6Ranges().stream().map(r -> Map.of("CidrIpv6", r.cidrIpv6())).toList());
    }
    return m;
  }

  /** Every ingress permission with its sources, e.g. "tcp 22 from 0.0.0.0/0, 10.0.0.0/8". */
  static String describe(List<IpPermission> permissions) {
    if (permissions.isEmpty()) {
      return "no ingress rules";
    }
    return permissions.stream()
        .map(
            p -> {
              var proto = allProtocols(p) ? "all traffic" : p.ipProtocol();
              var ports =
                  allProtocols(p) || p.fromPort() == null
                      ? ""
                      : p.fromPort().equals(p.toPort())
                          ? " " + p.fromPort()
                          : " " + p.fromPort() + "-" + p.toPort();
              var sources = new ArrayList<String>();
              p.ipRanges().forEach(r -> sources.add(r.cidrIp()));
              p.ipv6Ranges().forEach(r -> sources.add(r.cidrIpv6()));
              p.userIdGroupPairs().forEach(g -> sources.add(g.groupId()));
              p.prefixListIds().forEach(l -> sources.add(l.prefixListId()));
              return proto + ports + " from " + String.join(", ", sources);
            })
        .collect(Collectors.joining("; "));
  }
}
