package dev.parapet.operator.findings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FindingNamesTest {

  private static final String DNS_1123 = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  @Test
  void deterministicAndDistinct() {
    var a = FindingNames.name("aws-ec2-sg-ssh-open", "123456789012/eu-west-1/sg-1#");
    assertThat(a)
        .isEqualTo(FindingNames.name("aws-ec2-sg-ssh-open", "123456789012/eu-west-1/sg-1#"));
    assertThat(a).startsWith("aws-ec2-sg-ssh-open-").matches(DNS_1123);
    assertThat(a)
        .isNotEqualTo(FindingNames.name("aws-ec2-sg-ssh-open", "123456789012/eu-west-1/sg-2#"));
  }

  @Test
  void longAndOddRuleIdsStayValid() {
    var name = FindingNames.name("AWS_Very.Long-rule-id-" + "x".repeat(80) + "--", "id");
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches(DNS_1123);
  }

  @Test
  void labelValuesAreTrimmedToTheLabelSyntax() {
    assertThat(FindingNames.labelValue("-eu/west:1-")).isEqualTo("eu-west-1");
    assertThat(FindingNames.labelValue("a".repeat(80))).hasSize(63);
  }
}
