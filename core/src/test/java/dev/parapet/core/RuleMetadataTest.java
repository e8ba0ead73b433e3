package dev.parapet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleMetadataTest {

  @Test
  void severityIsOrderedFromMostToLeastSevereWithLowerCaseWireValues() {
    assertThat(Severity.values())
        .extracting(Severity::wireValue)
        .containsExactly("critical", "high", "medium", "low", "informational");
    assertThat(Severity.HIGH.atLeast(Severity.MEDIUM)).isTrue();
    assertThat(Severity.HIGH.atLeast(Severity.HIGH)).isTrue();
    assertThat(Severity.LOW.atLeast(Severity.HIGH)).isFalse();
  }

  @Test
  void aCloudRuleKeepsItsControlsInOrderAndIsTaggedUnlessAccountLevel() {
    var bucket =
        RuleMetadata.builder("aws-s3-x", RuleMetadata.Source.AWS)
            .title("t", "タ")
            .severity(Severity.HIGH)
            .resourceType("AWS::S3::Bucket")
            .controls(RuleMetadata.CIS_AWS, "2.1.1")
            .controls(RuleMetadata.AWS_FSBP, "S3.5", "S3.2")
            .requiredActions(List.of("s3:ListAllMyBuckets"))
            .services(List.of("s3"))
            .build();
    assertThat(bucket.cis()).containsExactly("2.1.1");
    assertThat(bucket.fsbp()).containsExactly("S3.5", "S3.2");
    assertThat(bucket.inFramework("cis-aws")).isTrue();
    assertThat(bucket.inFramework("nist")).isFalse();
    assertThat(bucket.resourcesTagged()).isTrue();
    assertThat(bucket.appliesTo()).isEmpty();

    var account =
        RuleMetadata.builder("aws-iam-y", RuleMetadata.Source.AWS)
            .severity(Severity.CRITICAL)
            .resourceType(RuleMetadata.ACCOUNT)
            .build();
    assertThat(account.resourcesTagged()).isFalse();
    assertThat(account.compliance()).isEmpty();
  }

  @Test
  void aWorkloadRuleAppliesToKindsCarriesNoTagsAndNoCloudData() {
    var m =
        RuleMetadata.workload(
            "host-pid", "en", "ja", "fix", "直す", Severity.HIGH, RuleMetadata.POD_KINDS);
    assertThat(m.source()).isEqualTo(RuleMetadata.Source.KUBERNETES);
    assertThat(m.appliesTo()).contains("Pod", "Deployment", "CronJob").hasSize(8);
    assertThat(m.resourcesTagged()).isFalse();
    assertThat(m.requiredActions()).isEmpty();
    assertThat(m.services()).isEmpty();
    assertThat(m.remediationUrl()).isNull();
  }

  @Test
  void collectionsAreCopiedAndIdSourceAndSeverityRequired() {
    var kinds = new java.util.HashSet<>(Set.of("Pod"));
    var actions = new ArrayList<>(List.of("ec2:DescribeVpcs"));
    var m =
        RuleMetadata.builder("r", RuleMetadata.Source.AWS)
            .severity(Severity.LOW)
            .appliesTo(kinds)
            .requiredActions(actions)
            .build();
    kinds.add("Job");
    actions.add("ec2:DescribeFlowLogs");
    assertThat(m.appliesTo()).containsExactly("Pod");
    assertThat(m.requiredActions()).containsExactly("ec2:DescribeVpcs");
    assertThatThrownBy(() -> RuleMetadata.builder("r", RuleMetadata.Source.AWS).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("severity");
    assertThatThrownBy(() -> RuleMetadata.builder(null, RuleMetadata.Source.AWS).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("id");
  }
}
