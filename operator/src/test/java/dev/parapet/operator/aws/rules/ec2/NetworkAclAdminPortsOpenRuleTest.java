package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.rules.InventoryFixture.failed;
import static dev.parapet.operator.aws.rules.InventoryFixture.passed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.NetworkAcls;
import dev.parapet.operator.aws.inventory.ec2.NetworkAcls.Acl;
import dev.parapet.operator.aws.inventory.ec2.NetworkAcls.Entry;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkAclAdminPortsOpenRuleTest {
  private final NetworkAclAdminPortsOpenRule rule = new NetworkAclAdminPortsOpenRule();

  private static Acl acl(String id, String owner, Entry... entries) {
    return new Acl(id, "vpc-0example", owner, false, List.of(entries), List.of(), Map.of());
  }

  private static Acl acl(String id, Entry... entries) {
    return acl(id, InventoryFixture.ACCOUNT, entries);
  }

  private static Entry in(
      int n, String protocol, String action, String cidr, Integer from, Integer to) {
    var v6 = cidr.contains(":");
    return new Entry(n, protocol, action, false, v6 ? null : cidr, v6 ? cidr : null, from, to);
  }

  private static Entry out(int n, String action, String cidr) {
    return new Entry(n, "-1", action, true, cidr, null, null, null);
  }

  /** The two entries every ACL ends with. */
  private static Entry denyRest() {
    return in(32767, "-1", "deny", "0.0.0.0/0", null, null);
  }

  private List<String> failedOf(Acl... acls) {
    var inv = InventoryFixture.regions().with(new NetworkAcls(List.of(acls))).build();
    return failed(rule.evaluate(inv, RuleParameters.defaults()));
  }

  @Test
  void anAllowCoveringAnAdminPortFromTheInternetFails() {
    assertThat(
            failedOf(
                acl("acl-all", in(100, "-1", "allow", "0.0.0.0/0", null, null), denyRest()),
                acl("acl-range", in(100, "6", "allow", "0.0.0.0/0", 3380, 3390), denyRest()),
                acl("acl-v6", in(100, "6", "allow", "::/0", 22, 22), denyRest()),
                acl("acl-noports", in(100, "6", "allow", "0.0.0.0/0", null, null), denyRest())))
        .containsExactly("acl-all", "acl-range", "acl-v6", "acl-noports");
  }

  @Test
  void otherPortsProtocolsSourcesAndDirectionsPass() {
    var inv =
        InventoryFixture.regions()
            .with(
                new NetworkAcls(
                    List.of(
                        acl("acl-https", in(100, "6", "allow", "0.0.0.0/0", 443, 443), denyRest()),
                        acl("acl-udp", in(100, "17", "allow", "0.0.0.0/0", 0, 65535), denyRest()),
                        acl("acl-office", in(100, "-1", "allow", "203.0.113.0/24", null, null)),
                        acl("acl-egress", out(100, "allow", "0.0.0.0/0"), denyRest()))))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(failed(results)).isEmpty();
    assertThat(passed(results)).containsExactly("acl-https", "acl-udp", "acl-office", "acl-egress");
  }

  @Test
  void entriesAreJudgedInRuleNumberOrderNotListOrder() {
    // A lower-numbered DENY closes the port; listed after the ALLOW, it still comes first.
    var closed =
        acl(
            "acl-closed",
            in(100, "-1", "allow", "0.0.0.0/0", null, null),
            in(100, "-1", "allow", "::/0", null, null),
            in(60, "6", "deny", "0.0.0.0/0", 3389, 3389),
            in(50, "6", "deny", "0.0.0.0/0", 0, 1023),
            in(40, "-1", "deny", "::/0", null, null),
            denyRest());
    // A DENY numbered after the ALLOW closes nothing.
    var late =
        acl(
            "acl-late",
            in(200, "6", "deny", "0.0.0.0/0", 22, 22),
            in(100, "6", "allow", "0.0.0.0/0", 22, 22),
            denyRest());
    // A DENY of a narrower source leaves the rest of the internet open.
    var narrow =
        acl(
            "acl-narrow",
            in(50, "-1", "deny", "198.51.100.0/24", null, null),
            in(100, "6", "allow", "0.0.0.0/0", 22, 22),
            denyRest());
    // Only 3389 denied first: 22 stays open.
    var half =
        acl(
            "acl-half",
            in(50, "6", "deny", "0.0.0.0/0", 3389, 3389),
            in(100, "-1", "allow", "0.0.0.0/0", null, null),
            denyRest());
    var inv =
        InventoryFixture.regions()
            .with(new NetworkAcls(List.of(closed, late, narrow, half)))
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(failed(results)).containsExactly("acl-late", "acl-narrow", "acl-half");
    assertThat(passed(results)).containsExactly("acl-closed");
    var evidence =
        results.stream()
            .filter(r -> r.resource().id().equals("acl-half"))
            .findFirst()
            .orElseThrow();
    assertThat(evidence.evidence())
        .contains("TCP 22 from 0.0.0.0/0 (entry 100: allow all traffic)")
        .doesNotContain("3389");
  }

  @Test
  void anotherAccountsAclIsNotJudged() {
    assertThat(
            failedOf(
                acl("acl-shared", "111122223333", in(100, "-1", "allow", "0.0.0.0/0", null, null)),
                acl("acl-own", in(100, "-1", "allow", "0.0.0.0/0", null, null))))
        .containsExactly("acl-own");
  }

  @Test
  void unreadableAclsMeanUnknown() {
    var inv =
        InventoryFixture.regions().unknown(NetworkAcls.class, UnknownReason.AccessDenied).build();
    assertThat(rule.evaluate(inv, RuleParameters.defaults()))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN));
  }
}
