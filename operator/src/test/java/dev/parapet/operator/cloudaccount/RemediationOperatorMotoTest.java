package dev.parapet.operator.cloudaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.cloudscan.OperatorScan;
import dev.parapet.operator.findings.FindingNames;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.Conflicts;
import dev.parapet.testing.Crds;
import dev.parapet.testing.MotoServer;
import dev.parapet.testing.OperatorMoto;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Remediation through the running operator (Fabric8 CRUD mock server, moto): a PosturePolicy in
 * Apply mode revokes the open SSH rule with the CloudAccount's write role, the rescan resolves the
 * Finding, whose status.remediation holds the call, before and after; the account has a Remediation
 * condition and a RemediationApplied Event. Then the account's kill-switch annotation stops the
 * next action: the new Finding stays Open and says why, moto is unchanged.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class RemediationOperatorMotoTest {
  static final String NS = "remediation";
  static final String REGION = "ap-northeast-1";
  static final String SSH = "aws-ec2-sg-ssh-open";
  static final Duration WAIT = Duration.ofSeconds(90);

  @Inject KubernetesClient client;

  static String name(String group) {
    var arn = "arn:aws:ec2:" + REGION + ":" + MotoServer.ACCOUNT_ID + ":security-group/" + group;
    return FindingNames.name(SSH, MotoServer.ACCOUNT_ID + "/" + REGION + "/" + arn + "#");
  }

  Finding finding(String name) {
    return client.resources(Finding.class).inNamespace(NS).withName(name).get();
  }

  CloudAccount account() {
    return client.resources(CloudAccount.class).inNamespace(NS).withName("moto").get();
  }

  static Condition condition(CloudAccount a, String type) {
    if (a == null || a.getStatus() == null || a.getStatus().conditions() == null) {
      return null;
    }
    return a.getStatus().conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElse(null);
  }

  static String ingress(MotoServer moto, String group) {
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      return ec2
          .describeSecurityGroups(b -> b.groupIds(group))
          .securityGroups()
          .get(0)
          .ipPermissions()
          .stream()
          .map(p -> p.fromPort() + ":" + p.ipRanges().stream().map(r -> r.cidrIp()).toList())
          .sorted()
          .toList()
          .toString();
    }
  }

  @Test
  void applyRevokesVerifiesAndResolvesThenTheAnnotationStopsEverything() {
    var moto = MotoServer.shared();
    moto.reset();
    String group;
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      group =
          AwsSeed.securityGroup(
              ec2, "web", AwsSeed.tcp(22, 22, "0.0.0.0/0"), AwsSeed.tcp(443, 443, "0.0.0.0/0"));
      AwsSeed.attach(ec2, group);
    }
    Crds.apply(client);
    var credentials = OperatorMoto.keys(client, NS);
    var others =
        OperatorScan.catalog().stream()
            .map(RuleMetadata::id)
            .filter(id -> !id.equals(SSH))
            .toList();
    OperatorMoto.policy(
        client,
        "remediate-ssh",
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                OperatorMoto.selecting("remediation"),
                null,
                new RuleSelection(null, others),
                null,
                null),
            null,
            null,
            null,
            new PosturePolicySpec.Remediation(
                PosturePolicySpec.RemediationMode.APPLY, List.of(SSH), null, null, null)));
    var a =
        OperatorMoto.account(
            client,
            NS,
            "moto",
            "remediation",
            new CloudAccountSpec(
                CloudAccountSpec.Provider.AWS,
                MotoServer.ACCOUNT_ID,
                List.of(REGION),
                credentials,
                new CloudAccountSpec.Scan("6h", null, null),
                moto.endpoint().toString(),
                null,
                new CloudAccountSpec.Remediation(
                    "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/parapet-remediate")));

    await()
        .atMost(WAIT)
        .until(
            () -> {
              var f = finding(name(group));
              return f != null
                  && f.getStatus() != null
                  && f.getStatus().remediation() != null
                  && f.getStatus().remediation().state()
                      != FindingStatus.RemediationState.NOT_RESOLVED;
            });
    var fixed = finding(name(group));
    assertThat(fixed.getStatus().state()).isEqualTo(FindingStatus.State.RESOLVED);
    var r = fixed.getStatus().remediation();
    assertThat(r.state()).isEqualTo(FindingStatus.RemediationState.VERIFIED);
    assertThat(r.mode()).isEqualTo("Apply");
    assertThat(r.action()).isEqualTo("ec2-revoke-ssh-ingress");
    assertThat(r.call())
        .startsWith("ec2:RevokeSecurityGroupIngress = aws ec2 revoke-security-group-ingress")
        .contains("--group-id " + group);
    assertThat(r.before()).contains("tcp 22 from 0.0.0.0/0");
    assertThat(r.after()).isEqualTo("tcp 443 from 0.0.0.0/0");
    assertThat(ingress(moto, group)).isEqualTo("[443:[0.0.0.0/0]]");
    await().atMost(WAIT).until(() -> condition(account(), StatusAggregator.REMEDIATION) != null);
    assertThat(condition(account(), StatusAggregator.REMEDIATION))
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo(Condition.TRUE);
              assertThat(c.reason()).isEqualTo("Applied");
            });
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("RemediationApplied");
              assertThat(e.getMessage()).contains(group);
            });

    // kill switch: annotate, open a new hole, rescan (a spec change): nothing is revoked
    String second;
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      second = AwsSeed.securityGroup(ec2, "admin", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      AwsSeed.attach(ec2, second);
    }
    Conflicts.retry(
        () ->
            client
                .resources(CloudAccount.class)
                .inNamespace(NS)
                .withName("moto")
                .edit(
                    x -> {
                      var annotations =
                          new java.util.HashMap<String, String>(
                              x.getMetadata().getAnnotations() == null
                                  ? Map.of()
                                  : x.getMetadata().getAnnotations());
                      annotations.put(CloudAccount.ANNOTATION_REMEDIATION_STOP, "true");
                      x.getMetadata().setAnnotations(annotations);
                      x.setSpec(
                          new CloudAccountSpec(
                              x.getSpec().provider(),
                              x.getSpec().accountId(),
                              x.getSpec().regions(),
                              x.getSpec().credentials(),
                              new CloudAccountSpec.Scan("5h", null, null),
                              x.getSpec().endpointOverride(),
                              x.getSpec().export(),
                              x.getSpec().remediation()));
                      return x;
                    }));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var f = finding(name(second));
              return f != null && f.getStatus() != null && f.getStatus().remediation() != null;
            });
    var stopped = finding(name(second));
    assertThat(stopped.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(stopped.getStatus().remediation().state())
        .isEqualTo(FindingStatus.RemediationState.SKIPPED);
    assertThat(stopped.getStatus().remediation().message())
        .contains("parapet.dev/remediation-stop=true");
    assertThat(ingress(moto, second)).isEqualTo("[22:[0.0.0.0/0]]");
    await()
        .atMost(WAIT)
        .until(
            () ->
                condition(account(), StatusAggregator.REMEDIATION) != null
                    && "KillSwitch"
                        .equals(condition(account(), StatusAggregator.REMEDIATION).reason()));
  }
}
