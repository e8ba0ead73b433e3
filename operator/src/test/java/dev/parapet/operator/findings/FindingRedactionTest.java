package dev.parapet.operator.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.operator.scan.CheckResult;
import dev.parapet.operator.scan.TestRules;
import dev.parapet.webhook.Violation;
import dev.parapet.webhook.rules.NotFullyCheckedRule;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Finding's evidence (its message) passes through the one redactor on both paths that build it,
 * cloud and workload, even when the text handed over still holds a credential.
 */
class FindingRedactionTest {
  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String RAW = "found " + KEY_ID + " and aws_secret_access_key=" + SECRET;

  @Test
  void cloudFindingEvidenceIsRedacted() {
    var r =
        new CheckResult(
            TestRules.SSH,
            TestRules.SSH.severity(),
            "eu-west-1",
            "AWS::EC2::SecurityGroup",
            "sg-1",
            "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1",
            "",
            RAW,
            Map.of());
    var message = CloudFindings.spec("123456789012", r, 1024).message();
    assertThat(message).doesNotContain(KEY_ID, SECRET).contains("AKIA************MPLE");
  }

  @Test
  void workloadFindingEvidenceIsRedacted() {
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("shop")
            .withUid("u-1")
            .endMetadata()
            .build();
    pod.setApiVersion("v1");
    pod.setKind("Pod");
    var v =
        new Violation(
            NotFullyCheckedRule.METADATA,
            Enforcement.DENY,
            "p",
            "Pod",
            "shop",
            "web",
            null,
            null,
            "k",
            RAW,
            null);
    var message = WorkloadFindings.desired(pod, v).spec().message();
    assertThat(message)
        .startsWith("Pod shop/web: found AKIA************MPLE")
        .doesNotContain(KEY_ID, SECRET);
  }
}
