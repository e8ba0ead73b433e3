package dev.parapet.operator.aws.rules.ec2;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.ec2.NetworkAcls;
import dev.parapet.operator.aws.inventory.ec2.NetworkAcls.Acl;
import dev.parapet.operator.aws.inventory.ec2.NetworkAcls.Entry;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A network ACL admits TCP 22 or 3389 from 0.0.0.0/0 or ::/0. The inbound entries are judged as AWS
 * evaluates them: in rule-number order, the first entry whose source is the whole internet and
 * whose protocol and ports cover the traffic decides, so a lower-numbered DENY closes a port that a
 * later ALLOW opens. Entries with narrower sources neither open nor close the port to the internet.
 * Every ACL the account owns is judged, the default ones included (their allow-all entry 100 fails,
 * as CIS 5.2 and FSBP EC2.21 do).
 */
public final class NetworkAclAdminPortsOpenRule extends RegionalRule {

  static final List<Integer> ADMIN_PORTS = List.of(22, 3389);
  static final List<String> INTERNET = List.of("0.0.0.0/0", "::/0");

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-ec2-nacl-admin-ports-open")
          .title(
              "Network ACL allows SSH or RDP (TCP 22, 3389) from the internet",
              "ネットワーク ACL がインターネットからの SSH または RDP (TCP 22, 3389) を許可しています")
          .remediation(
              "Add inbound DENY entries for TCP 22 and 3389 from 0.0.0.0/0 and ::/0 numbered below"
                  + " the ALLOW entries that admit them (or narrow those entries to known CIDRs),"
                  + " and reach instances through Session Manager or a VPN.",
              "0.0.0.0/0 と ::/0 からの TCP 22 と 3389 を拒否するインバウンドエントリを、それらを許可する"
                  + " ALLOW エントリより小さいルール番号で追加するか (または ALLOW エントリを既知の CIDR に絞り)、"
                  + "インスタンスには Session Manager または VPN 経由で接続してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::EC2::NetworkAcl")
          .cis("5.2")
          .fsbp("EC2.21")
          .reads(NetworkAcls.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var acl : view.get(NetworkAcls.class).acls()) {
      if (!Ownership.ownedBy(acl.ownerId(), view.accountId())) {
        continue; // a shared VPC's ACL: its owner's to judge
      }
      var resource =
          view.resource(
              "AWS::EC2::NetworkAcl",
              acl.networkAclId(),
              "ec2",
              "network-acl/" + acl.networkAclId(),
              acl.tags());
      var evidence = openings(acl);
      if (evidence.isEmpty()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource,
                "Network ACL "
                    + acl.networkAclId()
                    + " of "
                    + acl.vpcId()
                    + " allows "
                    + String.join("; ", evidence)));
      }
    }
  }

  /** One line per admin port and internet source whose deciding inbound entry is an ALLOW. */
  static List<String> openings(Acl acl) {
    var inbound =
        acl.entries().stream()
            .filter(e -> !e.egress())
            .sorted(Comparator.comparingInt(Entry::ruleNumber))
            .toList();
    var out = new ArrayList<String>();
    for (var port : ADMIN_PORTS) {
      for (var source : INTERNET) {
        deciding(inbound, port, source)
            .filter(e -> "allow".equalsIgnoreCase(e.ruleAction()))
            .ifPresent(
                e ->
                    out.add(
                        "TCP "
                            + port
                            + " from "
                            + source
                            + " (entry "
                            + e.ruleNumber()
                            + ": "
                            + describe(e)
                            + ")"));
      }
    }
    return out;
  }

  /** The first entry, in rule-number order, that matches TCP {@code port} from {@code source}. */
  static Optional<Entry> deciding(List<Entry> inbound, int port, String source) {
    return inbound.stream()
        .filter(e -> source.equals(e.cidrBlock()) || source.equals(e.ipv6CidrBlock()))
        .filter(e -> coversTcp(e, port))
        .findFirst();
  }

  static boolean coversTcp(Entry e, int port) {
    var protocol = e.protocol();
    if ("-1".equals(protocol) || "all".equalsIgnoreCase(protocol)) {
      return true;
    }
    if (!"6".equals(protocol) && !"tcp".equalsIgnoreCase(protocol)) {
      return false;
    }
    if (e.fromPort() == null || e.toPort() == null) {
      return true;
    }
    return e.fromPort() <= port && port <= e.toPort();
  }

  private static String describe(Entry e) {
    if ("-1".equals(e.protocol()) || "all".equalsIgnoreCase(e.protocol())) {
      return "allow all traffic";
    }
    if (e.fromPort() == null || e.toPort() == null) {
      return "allow tcp all ports";
    }
    return "allow tcp "
        + (e.fromPort().equals(e.toPort()) ? e.fromPort() : e.fromPort() + "-" + e.toPort());
  }
}
