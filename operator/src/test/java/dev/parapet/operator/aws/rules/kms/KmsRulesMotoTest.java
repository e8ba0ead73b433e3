package dev.parapet.operator.aws.rules.kms;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * KMS rotation (check 27) against moto. moto lists no AWS-managed keys (its aws/* aliases point at
 * keys ListKeys does not return), so skipping them is covered by {@link KmsRulesTest}.
 */
class KmsRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  @Test
  void customerKeyWithoutRotationFailsAndItsRotatingTwinPasses() {
    var moto = MOTO.server();
    var region = "eu-central-1";
    String norotate;
    String rotates;
    try (var kms = new AwsSeed(moto).kms(region)) {
      norotate = kms.createKey(b -> b.description("no rotation")).keyMetadata().keyId();
      rotates = kms.createKey(b -> b.description("rotates")).keyMetadata().keyId();
      kms.enableKeyRotation(b -> b.keyId(rotates));
      kms.createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY));
      var disabled = kms.createKey(b -> b.description("disabled")).keyMetadata().keyId();
      kms.disableKey(b -> b.keyId(disabled));
    }
    var report = MotoScans.scan(moto, List.of(region), CloudPolicy.only("aws-kms-rotation-off"));

    assertThat(failedIds(report, "aws-kms-rotation-off")).containsExactly(norotate);
    assertThat(passedIds(report, "aws-kms-rotation-off")).containsExactly(rotates);
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    // ListKeys once, DescribeKey per key (4), rotation status only for the 2 keys it applies to,
    // and their tags (ListResourceTags, read for exceptions) only for those 2 judged keys.
    assertThat(report.apiCalls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "sts:GetCallerIdentity", 1L,
                "kms:ListKeys", 1L,
                "kms:DescribeKey", 4L,
                "kms:GetKeyRotationStatus", 2L,
                "kms:ListResourceTags", 2L));
  }
}
