package dev.parapet.operator.securityhub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.CloudAccountSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The export's opt-in, its region default, and what the status says on misuse. */
class SecurityHubExportSpecTest {

  static CloudAccountSpec spec(List<String> regions, CloudAccountSpec.SecurityHubExport export) {
    return new CloudAccountSpec(
        CloudAccountSpec.Provider.AWS,
        "123456789012",
        regions,
        null,
        null,
        null,
        export == null ? null : new CloudAccountSpec.Export(export));
  }

  @Test
  void theExportIsOffUnlessEnabled() {
    assertThat(SecurityHubExport.settings(spec(null, null))).isNull();
    assertThat(
            SecurityHubExport.settings(
                spec(null, new CloudAccountSpec.SecurityHubExport(null, null))))
        .isNull();
    assertThat(
            SecurityHubExport.settings(
                spec(null, new CloudAccountSpec.SecurityHubExport(false, null))))
        .isNull();
    assertThat(
            SecurityHubExport.settings(
                spec(null, new CloudAccountSpec.SecurityHubExport(true, null))))
        .isNotNull();
  }

  @Test
  void theRegionDefaultsToTheScansHomeRegion() {
    var on = new CloudAccountSpec.SecurityHubExport(true, null);
    assertThat(SecurityHubExport.region(spec(List.of("eu-west-1", "us-east-1"), on), on))
        .isEqualTo("eu-west-1");
    assertThat(SecurityHubExport.region(spec(null, on), on)).isEqualTo("us-east-1");
    var pinned = new CloudAccountSpec.SecurityHubExport(true, "ap-northeast-1");
    assertThat(SecurityHubExport.region(spec(List.of("eu-west-1"), pinned), pinned))
        .isEqualTo("ap-northeast-1");
  }

  @Test
  void misuseIsNamedWithTheFieldAndTheFix() {
    assertThat(SecurityHubExport.problem(spec(null, null))).isNull();
    assertThat(
            SecurityHubExport.problem(
                spec(null, new CloudAccountSpec.SecurityHubExport(true, "ap-northeast-1"))))
        .isNull();
    assertThat(
            SecurityHubExport.problem(
                spec(null, new CloudAccountSpec.SecurityHubExport(false, "ap-northeast-1"))))
        .contains("spec.export.securityHub.region")
        .contains("enabled: true");
    assertThat(
            SecurityHubExport.problem(
                spec(null, new CloudAccountSpec.SecurityHubExport(true, "Tokyo"))))
        .contains("'Tokyo' is not an AWS region name")
        .contains("Findings are kept");
  }
}
