package dev.parapet.operator.aws.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parsing the Prowler comparison relies on, on small samples shaped like Prowler's files. */
class ProwlerOutputTest {

  static final String OCSF =
      """
      [
        {"metadata": {"event_code": "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22",
                      "product": {"name": "Prowler"}},
         "status_code": "FAIL", "status": "New"},
        {"metadata": {"event_code": "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22"},
         "status_code": "PASS"},
        {"metadata": {"event_code": "vpc_flow_logs_enabled"}, "status_code": "FAIL"},
        {"metadata": {"event_code": "account_maintain_current_contact_details"},
         "status_code": "MANUAL"}
      ]
      """;

  static final String CIS =
      """
      {"Framework": "CIS", "Version": "5.0", "Requirements": [
        {"Id": "1.1", "Checks": ["account_maintain_current_contact_details"],
         "Attributes": [{"AssessmentStatus": "Manual"}]},
        {"Id": "3.7", "Checks": ["vpc_flow_logs_enabled"],
         "Attributes": [{"AssessmentStatus": "Automated"}]},
        {"Id": "5.3", "Checks": ["ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22",
                                 "ec2_securitygroup_allow_ingress_from_internet_to_port_3389"],
         "Attributes": [{"AssessmentStatus": "Automated"}]},
        {"Id": "5.10", "Checks": ["ec2_instance_imdsv2_enabled"],
         "Attributes": [{"AssessmentStatus": "Automated"}]},
        {"Id": "5.2", "Checks": [], "Attributes": [{"AssessmentStatus": "Automated"}]}
      ]}
      """;

  @Test
  void findingsAreCheckIdAndStatus() {
    var findings = ProwlerOutput.findings(OCSF);
    assertThat(findings).hasSize(4);
    assertThat(findings.get(2))
        .isEqualTo(new ProwlerOutput.Finding("vpc_flow_logs_enabled", "FAIL"));
    assertThat(findings.stream().filter(ProwlerOutput.Finding::judged)).hasSize(3);
    assertThat(ProwlerOutput.checks(findings)).hasSize(3);
    assertThat(ProwlerOutput.findings("  ")).isEmpty();
    assertThatThrownBy(() -> ProwlerOutput.findings("[{\"status_code\": \"PASS\"}]"))
        .hasMessageContaining("event_code");
  }

  @Test
  void aRequirementIsJudgedWhenOneOfItsChecksPassedOrFailed() {
    var reqs = ProwlerOutput.requirements(CIS);
    assertThat(reqs).containsOnlyKeys("1.1", "3.7", "5.3", "5.10", "5.2");
    assertThat(reqs.get("1.1").automated()).isFalse();
    assertThat(reqs.get("5.3").checks()).hasSize(2);
    assertThat(ProwlerOutput.judged(reqs, ProwlerOutput.findings(OCSF)))
        .as("MANUAL does not count; a check without findings does not count")
        .containsExactly("3.7", "5.3");
  }

  @Test
  void executedChecksIgnoresColours() {
    assertThat(
            ProwlerOutput.executedChecks(
                "foo\n\u001B[1mExecuting 220 checks, please wait...\u001B[0m\nbar"))
        .hasValue(220);
    assertThat(ProwlerOutput.executedChecks("Executing 1 check, please wait...")).hasValue(1);
    assertThat(ProwlerOutput.executedChecks("nothing")).isEmpty();
  }

  @Test
  void servicesListAndTheMappingFromParapetsServices() {
    var known =
        ProwlerOutput.services(
            "- accessanalyzer\n- awslambda\n- ec2\n- elb\n- elbv2\n- vpc\n- s3\n\nThere are 7 available"
                + " services.\n");
    assertThat(known)
        .containsExactly("accessanalyzer", "awslambda", "ec2", "elb", "elbv2", "s3", "vpc");
    assertThat(
            ProwlerOutput.prowlerServices(
                List.of("ec2", "s3", "lambda", "elb", "access-analyzer", "sts", "nosuch"), known))
        .containsExactly("accessanalyzer", "awslambda", "ec2", "elb", "elbv2", "s3", "vpc");
  }

  @Test
  void cisIdsSortNumerically() {
    var ids = new java.util.ArrayList<>(List.of("5.10", "1.2", "4.16", "1.10", "4.2", "2.1.1"));
    ids.sort(ProwlerOutput.CIS_ORDER);
    assertThat(ids).containsExactly("1.2", "1.10", "2.1.1", "4.2", "4.16", "5.10");
  }
}
