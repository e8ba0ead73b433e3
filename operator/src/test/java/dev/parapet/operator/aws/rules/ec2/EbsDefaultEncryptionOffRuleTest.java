package dev.parapet.operator.aws.rules.ec2;

import static dev.parapet.operator.aws.rules.InventoryFixture.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.ec2.EbsDefaultEncryption;
import dev.parapet.operator.aws.rules.InventoryFixture;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import org.junit.jupiter.api.Test;

class EbsDefaultEncryptionOffRuleTest {
  private final EbsDefaultEncryptionOffRule rule = new EbsDefaultEncryptionOffRule();

  @Test
  void oneResultPerRegionFailPassUnknown() {
    var inv =
        InventoryFixture.regions("eu-west-1", "us-east-1", "ap-south-1")
            .with("eu-west-1", new EbsDefaultEncryption(false))
            .with("us-east-1", new EbsDefaultEncryption(true))
            .unknown(EbsDefaultEncryption.class, "ap-south-1", UnknownReason.AccessDenied)
            .build();
    var results = rule.evaluate(inv, RuleParameters.defaults());
    assertThat(statuses(results))
        .containsExactly(ResultStatus.FAIL, ResultStatus.PASS, ResultStatus.UNKNOWN);
    assertThat(results.get(0).resource().arn())
        .isEqualTo("arn:aws:ec2:eu-west-1:123456789012:ebs-encryption-by-default");
  }
}
