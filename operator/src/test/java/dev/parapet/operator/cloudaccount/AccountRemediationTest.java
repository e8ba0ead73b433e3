package dev.parapet.operator.cloudaccount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.cloudscan.ScanInput;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.scan.ScanCredentials;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two kill switches (the chart's value, the CloudAccount's annotation) and the write role's
 * credentials: the scan's ExternalId, and the scan Secret's keys as the base identity.
 */
class AccountRemediationTest {

  @Test
  void theChartValueAndTheAnnotationEachStopEverything() {
    var off = remediation(false);
    assertThat(off.stop(account(Map.of()))).isNull();
    assertThat(off.stop(account(Map.of(CloudAccount.ANNOTATION_REMEDIATION_STOP, "false"))))
        .isNull();
    assertThat(off.stop(account(Map.of(CloudAccount.ANNOTATION_REMEDIATION_STOP, "true"))))
        .contains("annotated parapet.dev/remediation-stop=true");
    assertThat(remediation(true).stop(account(Map.of())))
        .contains("remediation.killSwitch is true");
  }

  @Test
  void theWriteRoleUsesTheScansExternalIdAndBaseIdentity() {
    var noRole = input(null, null);
    assertThat(AccountRemediation.writeRole(noRole)).isNull();

    var role = "arn:aws:iam::123456789012:role/parapet-remediate";
    var withKeys =
        AccountRemediation.writeRole(
            input(role, new CloudAccountSpec.SecretRef("keys", null, null, null)));
    assertThat(withKeys)
        .isInstanceOfSatisfying(
            CredentialSource.AssumeRole.class,
            r -> {
              assertThat(r.roleArn()).isEqualTo(role);
              assertThat(r.externalId()).isEqualTo("ext-id");
              assertThat(r.sessionName()).isEqualTo("parapet-remediate-123456789012");
              assertThat(r.base())
                  .isEqualTo(new CredentialSource.StaticKeys("AKID", "SECRET", null));
            });
    var fromChain = (CredentialSource.AssumeRole) AccountRemediation.writeRole(input(role, null));
    assertThat(fromChain.base()).isNull(); // the operator's own identity (default chain)
  }

  private static ScanInput input(String role, CloudAccountSpec.SecretRef secret) {
    var spec =
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            "123456789012",
            null,
            secret == null ? null : new CloudAccountSpec.Credentials(null, secret),
            null,
            null,
            null,
            role == null ? null : new CloudAccountSpec.Remediation(role));
    return new ScanInput(
        "ns", "a", spec, new ScanCredentials("AKID", "SECRET", null, "ext-id"), null);
  }

  private static CloudAccount account(Map<String, String> annotations) {
    var a = new CloudAccount();
    a.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("ns")
            .withName("a")
            .withAnnotations(annotations)
            .build());
    return a;
  }

  private static AccountRemediation remediation(boolean killSwitch) {
    var settings =
        (ParapetConfig.Remediation)
            Proxy.newProxyInstance(
                ParapetConfig.class.getClassLoader(),
                new Class<?>[] {ParapetConfig.Remediation.class},
                (p, m, args) ->
                    switch (m.getName()) {
                      case "killSwitch" -> killSwitch;
                      case "failureBackoff" -> Duration.ofMinutes(30);
                      default -> throw new UnsupportedOperationException(m.getName());
                    });
    var config =
        (ParapetConfig)
            Proxy.newProxyInstance(
                ParapetConfig.class.getClassLoader(),
                new Class<?>[] {ParapetConfig.class},
                (p, m, args) -> {
                  if (m.getName().equals("remediation")) {
                    return settings;
                  }
                  throw new UnsupportedOperationException(m.getName());
                });
    return new AccountRemediation(null, null, null, null, null, config);
  }
}
