package dev.parapet.e2e.chart;

import static dev.parapet.e2e.chart.ChartSupport.values;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad values are refused before anything renders, with a message naming the value and the fix. */
class ChartSchemaTest {

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad(values("webhook.replicas", -1), "webhook.replicas: Must be greater than or equal to 1"),
        bad(values("webhook.replicas", 0), "webhook.replicas: Must be greater than or equal to 1"),
        bad(
            values("controller.replicas", -1),
            "controller.replicas: Must be greater than or equal to 0"),
        bad(
            values("controller.shards", 0),
            "controller.shards: Must be greater than or equal to 1"),
        bad(
            values("webhook.failurePolicy", "Maybe"),
            "webhook.failurePolicy must be one of the following: \"Ignore\", \"Fail\""),
        bad(
            values("webhook.timeoutSeconds", 5),
            "webhook.timeoutSeconds: Must be less than or equal to 3"),
        bad(
            values("webhook.timeoutSeconds", 0),
            "webhook.timeoutSeconds: Must be greater than or equal to 1"),
        bad(values("webhook.replica", 2), "webhook: Additional property replica is not allowed"),
        bad(
            values("webhook.tls.mode", "selfSigned"),
            "webhook.tls.mode must be one of the following: \"helm\", \"certManager\", \"secret\""),
        bad(
            values("controller.irsa.roleArn", "my-role"),
            "controller.irsa.roleArn: Does not match"),
        bad(values("image.digest", "latest"), "image.digest: Does not match"),
        bad(
            values("logging.format", "xml"),
            "logging.format must be one of the following: \"json\", \"text\""),
        bad(values("image.pullPolicy", "Sometimes"), "image.pullPolicy must be one of"),
        bad(
            values("webhook.resources.limits.memory", null),
            "webhook.resources.limits: memory is required"),
        bad(values("webhook.pdb.minAvailable", 0), "webhook.pdb.minAvailable"),
        bad(
            values("webhook.excludedNamespaces", List.of("Not_A_Namespace")),
            "webhook.excludedNamespaces.0: Does not match pattern"),
        bad(
            values("webhook.matchConditions.extra", List.of(Map.of("name", "x"))),
            "expression is required"),
        // Checks the schema cannot express are made by the templates, with the fix in the message.
        bad(
            values(
                "webhook.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn",
                "arn:aws:iam::123456789012:role/x"),
            "webhook.serviceAccount.annotations must not set eks.amazonaws.com/role-arn: the"
                + " webhook holds no AWS credentials; set controller.irsa.roleArn instead"),
        bad(
            values(
                "webhook.extraEnv",
                List.of(Map.of("name", "AWS_ACCESS_KEY_ID", "value", "AKIAIOSFODNN7EXAMPLE"))),
            "webhook.extraEnv must not set AWS_ACCESS_KEY_ID"),
        bad(
            values("webhook.tls.mode", "secret", "webhook.tls.secret.name", "mine"),
            "webhook.tls.secret.caBundle is required when webhook.tls.mode=secret"),
        bad(
            values("webhook.tls.mode", "secret", "webhook.tls.secret.caBundle", "Zm9v"),
            "webhook.tls.secret.name is required when webhook.tls.mode=secret"));
  }

  private static Arguments bad(Map<String, Object> values, String message) {
    return Arguments.of(values, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void badValuesAreRejectedWithAClearMessage(Map<String, Object> values, String message) {
    assertThatThrownBy(() -> ChartSupport.template(ChartSupport.NAMESPACE, values))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(message)
        // Never echo a credential back, even one supplied in the wrong place.
        .hasMessageNotContaining("AKIAIOSFODNN7EXAMPLE");
  }
}
