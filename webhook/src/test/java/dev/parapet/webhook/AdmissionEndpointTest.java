package dev.parapet.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /validate} over the AdmissionReview fixtures in {@code admission/} with the policies
 * of {@code admission/policies.yaml}: prod = Deny, staging = Warn, sandbox = Audit.
 */
@QuarkusTest
class AdmissionEndpointTest {
  static final Path FIXTURES = Path.of("src/test/resources/admission");
  static final ObjectMapper JSON = new ObjectMapper();

  static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(FIXTURES.resolve(name + ".json"));
  }

  static String uid(String name) throws IOException {
    return new ObjectMapper().readTree(fixture(name)).path("request").path("uid").asText();
  }

  static Stream<Arguments> decisions() {
    return Stream.of(
        arguments("configmap/allowed", true, null, null, List.of()),
        arguments("configmap/audited", true, null, null, List.of()),
        arguments(
            "configmap/denied",
            false,
            403,
            "ConfigMap prod/app-config: key \"credentials\" (binaryData['credentials']) holds a literal AWS access key id AKIA************HDSV [rule configmap-credentials, policy prod-deny]: move the value to a Secret and rotate the credential; ConfigMap prod/app-config: key \"credentials\" (binaryData['credentials']) holds a literal AWS secret access key (40-char secret redacted) paired with AKIA************HDSV [rule configmap-credentials, policy prod-deny]: move the value to a Secret and rotate the credential; ConfigMap prod/app-config: key \"tls.key\" (data['tls.key']) holds a literal private key -----BEGIN RSA PRIVATE KEY----- (body redacted) [rule configmap-credentials, policy prod-deny]: move the value to a Secret and rotate the credential",
            List.of()),
        arguments(
            "configmap/warned",
            true,
            null,
            null,
            List.of(
                "ConfigMap staging/app-config: key \"credentials\" (binaryData['credentials']) holds a literal AWS access key id AKIA************HDSV [rule configmap-credentials, policy staging-warn]: move the value to a Secret and rotate the credential",
                "ConfigMap staging/app-config: key \"credentials\" (binaryData['credentials']) holds a literal AWS secret access key (40-char secret redacted) paired with AKIA************HDSV [rule configmap-credentials, policy staging-warn]: move the value to a Secret and rotate the credential",
                "ConfigMap staging/app-config: key \"tls.key\" (data['tls.key']) holds a literal private key -----BEGIN RSA PRIVATE KEY----- (body redacted) [rule configmap-credentials, policy staging-warn]: move the value to a Secret and rotate the credential")),
        arguments("cronjob/allowed", true, null, null, List.of()),
        arguments("cronjob/audited", true, null, null, List.of()),
        arguments(
            "cronjob/denied",
            false,
            403,
            "CronJob prod/report: container \"report\" (spec.jobTemplate.spec.template.spec.containers[0].env[0].value) env SLACK_WEBHOOK_TOKEN holds a literal Slack token xoxb-…(56 chars redacted) [rule credential-token, policy prod-deny]: store it in a Secret and reference it with valueFrom.secretKeyRef, then rotate it",
            List.of()),
        arguments(
            "cronjob/warned",
            true,
            null,
            null,
            List.of(
                "CronJob staging/report: container \"report\" (spec.jobTemplate.spec.template.spec.containers[0].env[0].value) env SLACK_WEBHOOK_TOKEN holds a literal Slack token xoxb-…(56 chars redacted) [rule credential-token, policy staging-warn]: store it in a Secret and reference it with valueFrom.secretKeyRef, then rotate it")),
        arguments("daemonset/allowed", true, null, null, List.of()),
        arguments("daemonset/audited", true, null, null, List.of()),
        arguments(
            "daemonset/denied",
            false,
            403,
            "DaemonSet prod/node-agent: container \"agent\" (spec.template.spec.containers[0].ports[0].hostPort) exposes forbidden host port 10250/TCP [rule port-forbidden, policy prod-deny]: remove the port or add an exception",
            List.of()),
        arguments(
            "daemonset/warned",
            true,
            null,
            null,
            List.of(
                "DaemonSet staging/node-agent: container \"agent\" (spec.template.spec.containers[0].ports[0].hostPort) exposes forbidden host port 10250/TCP [rule port-forbidden, policy staging-warn]: remove the port or add an exception")),
        arguments("deployment/allowed", true, null, null, List.of()),
        arguments("deployment/audited", true, null, null, List.of()),
        arguments(
            "deployment/denied",
            false,
            403,
            "Deployment prod/api: container \"api\" (spec.template.spec.containers[0].env[1].value) env AWS_ACCESS_KEY_ID holds a literal AWS access key id AKIA************HDSV [rule aws-access-key-id, policy prod-deny]: store it in a Secret and reference it with valueFrom.secretKeyRef, then rotate it; Deployment prod/api: container \"api\" (spec.template.spec.containers[0].env[2].value) env AWS_SECRET_ACCESS_KEY holds a literal AWS secret access key (40-char secret redacted) paired with AKIA************HDSV [rule aws-secret-access-key, policy prod-deny]: store it in a Secret and reference it with valueFrom.secretKeyRef, then rotate it",
            List.of()),
        arguments(
            "deployment/warned",
            true,
            null,
            null,
            List.of(
                "Deployment staging/api: container \"api\" (spec.template.spec.containers[0].env[1].value) env AWS_ACCESS_KEY_ID holds a literal AWS access key id AKIA************HDSV [rule aws-access-key-id, policy staging-warn]: store it in a Secret and reference it with valueFrom.secretKeyRef, then rotate it",
                "Deployment staging/api: container \"api\" (spec.template.spec.containers[0].env[2].value) env AWS_SECRET_ACCESS_KEY holds a literal AWS secret access key (40-char secret redacted) paired with AKIA************HDSV [rule aws-secret-access-key, policy staging-warn]: store it in a Secret and reference it with valueFrom.secretKeyRef, then rotate it")),
        arguments("job/allowed", true, null, null, List.of()),
        arguments("job/audited", true, null, null, List.of()),
        arguments(
            "job/denied",
            false,
            403,
            "Job prod/migrate: container \"setup\" (spec.template.spec.initContainers[0].ports[0]) exposes forbidden port 23/TCP [rule port-forbidden, policy prod-deny]: remove the port or add an exception",
            List.of()),
        arguments(
            "job/warned",
            true,
            null,
            null,
            List.of(
                "Job staging/migrate: container \"setup\" (spec.template.spec.initContainers[0].ports[0]) exposes forbidden port 23/TCP [rule port-forbidden, policy staging-warn]: remove the port or add an exception")),
        arguments("pod/allowed", true, null, null, List.of()),
        arguments("pod/audited", true, null, null, List.of()),
        arguments(
            "pod/denied",
            false,
            403,
            "Pod prod/web: container \"web\" (spec.containers[0].ports[1]) exposes forbidden port 22/TCP [rule port-forbidden, policy prod-deny]: remove the port or add an exception",
            List.of()),
        arguments(
            "pod/warned",
            true,
            null,
            null,
            List.of(
                "Pod staging/web: container \"web\" (spec.containers[0].ports[1]) exposes forbidden port 22/TCP [rule port-forbidden, policy staging-warn]: remove the port or add an exception")),
        arguments("replicaset/allowed", true, null, null, List.of()),
        arguments("replicaset/audited", true, null, null, List.of()),
        arguments(
            "replicaset/denied",
            false,
            403,
            "ReplicaSet prod/worker: container \"worker\" (spec.template.spec.containers[0].env[0].value) env DB_PASSWORD holds a literal value (20 chars redacted) [rule env-secret-literal, policy prod-deny]: use valueFrom.secretKeyRef instead of a literal value",
            List.of()),
        arguments(
            "replicaset/warned",
            true,
            null,
            null,
            List.of(
                "ReplicaSet staging/worker: container \"worker\" (spec.template.spec.containers[0].env[0].value) env DB_PASSWORD holds a literal value (20 chars redacted) [rule env-secret-literal, policy staging-warn]: use valueFrom.secretKeyRef instead of a literal value")),
        arguments("replicationcontroller/allowed", true, null, null, List.of()),
        arguments("replicationcontroller/audited", true, null, null, List.of()),
        arguments(
            "replicationcontroller/denied",
            false,
            403,
            "ReplicationController prod/rc-web: container \"web\" (spec.template.spec.containers[0].args[1]) holds a literal GitHub token ghp_…(40 chars redacted) [rule credential-token, policy prod-deny]: store it in a Secret and reference it with valueFrom.secretKeyRef, then rotate it",
            List.of()),
        arguments(
            "replicationcontroller/warned",
            true,
            null,
            null,
            List.of(
                "ReplicationController staging/rc-web: container \"web\" (spec.template.spec.containers[0].args[1]) holds a literal GitHub token ghp_…(40 chars redacted) [rule credential-token, policy staging-warn]: store it in a Secret and reference it with valueFrom.secretKeyRef, then rotate it")),
        arguments("service/allowed", true, null, null, List.of()),
        arguments("service/audited", true, null, null, List.of()),
        arguments(
            "service/denied",
            false,
            403,
            "Service prod/web: service (spec.type) is of type NodePort [rule service-nodeport, policy prod-deny]: use type ClusterIP behind an Ingress or an internal load balancer, or add an exception",
            List.of()),
        arguments(
            "service/warned",
            true,
            null,
            null,
            List.of(
                "Service staging/web: service (spec.type) is of type NodePort [rule service-nodeport, policy staging-warn]: use type ClusterIP behind an Ingress or an internal load balancer, or add an exception")),
        arguments("special/delete", true, null, null, List.of()),
        arguments("special/exception-active", true, null, null, List.of()),
        arguments(
            "special/exception-expired",
            false,
            403,
            "Pod prod/old-ssh: container \"web\" (spec.containers[0].ports[1]) exposes forbidden port 22/TCP [rule port-forbidden, policy prod-deny]: remove the port or add an exception",
            List.of()),
        arguments("special/excluded-namespace", true, null, null, List.of()),
        arguments("special/exempt-kube-system", true, null, null, List.of()),
        arguments("special/exempt-own-namespace", true, null, null, List.of()),
        arguments(
            "special/many-violations",
            false,
            403,
            "Deployment prod/api: container \"api\" (spec.template.spec.containers[0].ports[0]) exposes forbidden port 22/TCP [rule port-forbidden, policy prod-deny]: remove the port or add an exception; Deployment prod/api: container \"api\" (spec.template.spec.containers[0].ports[1]) exposes forbidden port 23/TCP [rule port-forbidden, policy prod-deny]: remove the port or add an exception; Deployment prod/api: container \"api\" (spec.template.spec.containers[0].ports[2]) exposes forbidden port 2375/TCP [rule port-forbidden, policy prod-deny]: remove the port or add an exception; Deployment prod/api: container \"api\" (spec.template.spec.containers[0].ports[3]) exposes forbidden port 2376/TCP [rule port-forbidden, policy prod-deny]: remove the port or add an exception; Deployment prod/api: container \"api\" (spec.template.spec.containers[0].ports[4]) exposes forbidden port 3389/TCP [rule port-forbidden, policy prod-deny]: remove the port or add an exception; and 3 more violation(s)",
            List.of()),
        arguments("special/null-containers", true, null, null, List.of()),
        arguments("special/unknown-kind", true, null, null, List.of()),
        arguments(
            "special/update-new-violation",
            false,
            403,
            "Pod prod/web: container \"web\" (spec.containers[0].ports[1]) exposes forbidden port 22/TCP [rule port-forbidden, policy prod-deny]: remove the port or add an exception",
            List.of()),
        arguments(
            "special/update-preexisting-block",
            false,
            403,
            "Pod strict/web: container \"web\" (spec.containers[0].ports[1]) exposes forbidden port 22/TCP [rule port-forbidden, policy strict-updates]: remove the port or add an exception",
            List.of()),
        arguments(
            "special/update-preexisting",
            true,
            null,
            null,
            List.of(
                "Pod prod/web: container \"web\" (spec.containers[0].ports[1]) exposes forbidden port 22/TCP [rule port-forbidden, policy prod-deny]: remove the port or add an exception (present before this update; not blocking it)")),
        arguments("statefulset/allowed", true, null, null, List.of()),
        arguments("statefulset/audited", true, null, null, List.of()),
        arguments(
            "statefulset/denied",
            false,
            403,
            "StatefulSet prod/db: pod (spec.template.spec.hostNetwork) sets hostNetwork: true [rule host-network, policy prod-deny]: remove hostNetwork or add an exception",
            List.of()),
        arguments(
            "statefulset/warned",
            true,
            null,
            null,
            List.of(
                "StatefulSet staging/db: pod (spec.template.spec.hostNetwork) sets hostNetwork: true [rule host-network, policy staging-warn]: remove hostNetwork or add an exception")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void decides(String name, boolean allowed, Integer code, String message, List<String> warnings)
      throws IOException {
    var response =
        given()
            .contentType("application/json")
            .body(fixture(name))
            .post("/validate")
            .then()
            .statusCode(200)
            .body("apiVersion", equalTo("admission.k8s.io/v1"))
            .body("kind", equalTo("AdmissionReview"))
            .body("response.uid", equalTo(uid(name)))
            .body("response.allowed", equalTo(allowed))
            .body("response.status.code", equalTo(code))
            .body("response.status.message", equalTo(message));
    if (warnings.isEmpty()) {
      response.body("response.warnings", nullValue());
    } else {
      response.body("response.warnings", equalTo(warnings));
    }
  }

  static Stream<Arguments> rejections() {
    return Stream.of(
        arguments("special/missing-request", 400, "missing request"),
        arguments(
            "special/wrong-api-version",
            400,
            "unsupported apiVersion \"admission.k8s.io/v1beta1\" (expected admission.k8s.io/v1)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejections")
  void rejectsBadRequestsWithAClearReason(String name, int status, String message)
      throws IOException {
    given()
        .contentType("application/json")
        .body(fixture(name))
        .post("/validate")
        .then()
        .statusCode(status)
        .body("code", equalTo(status))
        .body("message", equalTo(message));
  }

  @Test
  void aMalformedBodyWithAReadableUidGetsAnAdmissionReviewThatFailsClosed() throws IOException {
    // No namespace was read: every policy applies, and prod-deny can deny.
    given()
        .contentType("application/json")
        .body(fixture("special/malformed"))
        .post("/validate")
        .then()
        .statusCode(200)
        .body("response.uid", equalTo("x"))
        .body("response.allowed", equalTo(false))
        .body("response.status.code", equalTo(400))
        .body(
            "response.status.message",
            equalTo("Parapet could not check this object: malformed JSON at line 2, column 1"));
    given()
        .contentType("application/json")
        .body("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{")
        .post("/validate")
        .then()
        .statusCode(400)
        .body("code", equalTo(400))
        .body("message", equalTo("malformed JSON at line 1, column 73"));
  }

  /** A fixture moved to another namespace (request and object), then edited. */
  static byte[] in(String name, String namespace, Consumer<ObjectNode> editObject)
      throws IOException {
    var review = (ObjectNode) JSON.readTree(fixture(name));
    var request = (ObjectNode) review.get("request");
    request.put("namespace", namespace);
    var object = (ObjectNode) request.get("object");
    ((ObjectNode) object.get("metadata")).put("namespace", namespace);
    editObject.accept(object);
    return JSON.writeValueAsBytes(review);
  }

  static Stream<Arguments> invalidObjects() {
    var reason =
        "Parapet could not check this object: request.object is not a valid Pod at spec.containers";
    return Stream.of(
        // A Deny policy selects prod: fail closed, with the reason and a 400 status code.
        arguments("prod", false, 400, reason, null),
        // Only Warn / Audit policies: allowed, the reason comes back as a warning.
        arguments("staging", true, null, null, List.of(reason)),
        arguments("sandbox", true, null, null, List.of(reason)),
        // Nothing would be checked there: allowed as exempt.
        arguments("kube-system", true, null, null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidObjects")
  void aRequestWithAKnownUidIsAnsweredWithAnAdmissionReview(
      String namespace, boolean allowed, Integer code, String message, List<String> warnings)
      throws IOException {
    given()
        .contentType("application/json")
        .body(in("special/wrong-object-type", namespace, o -> {}))
        .post("/validate")
        .then()
        .statusCode(200)
        .body("apiVersion", equalTo("admission.k8s.io/v1"))
        .body("kind", equalTo("AdmissionReview"))
        .body("response.uid", equalTo("uid-bad-type"))
        .body("response.allowed", equalTo(allowed))
        .body("response.status.code", equalTo(code))
        .body("response.status.message", equalTo(message))
        .body("response.warnings", equalTo(warnings));
  }

  @Test
  void aMissingObjectIsAnsweredForItsUid() throws IOException {
    var review = (ObjectNode) JSON.readTree(fixture("pod/denied"));
    ((ObjectNode) review.get("request")).remove("object");
    given()
        .contentType("application/json")
        .body(JSON.writeValueAsBytes(review))
        .post("/validate")
        .then()
        .statusCode(200)
        .body("response.uid", equalTo("uid-pod-denied"))
        .body("response.allowed", equalTo(false))
        .body("response.status.code", equalTo(400))
        .body(
            "response.status.message",
            equalTo("Parapet could not check this object: missing request.object for CREATE"));
  }

  @Test
  void perRuleOverridesApplyAtTheEndpoint() throws IOException {
    // Policy "overrides": Deny, but host-network only warns. pod/denied exposes port 22.
    var hostNetworkWarning =
        "Pod overrides/web: pod (spec.hostNetwork) sets hostNetwork: true [rule host-network,"
            + " policy overrides]: remove hostNetwork or add an exception";
    given()
        .contentType("application/json")
        .body(
            in(
                "pod/denied",
                "overrides",
                o -> ((ObjectNode) o.get("spec")).put("hostNetwork", true)))
        .post("/validate")
        .then()
        .statusCode(200)
        .body("response.allowed", equalTo(false))
        .body("response.status.code", equalTo(403))
        .body(
            "response.status.message",
            equalTo(
                "Pod overrides/web: container \"web\" (spec.containers[0].ports[1]) exposes"
                    + " forbidden port 22/TCP [rule port-forbidden, policy overrides]: remove the"
                    + " port or add an exception"))
        .body("response.warnings", equalTo(List.of(hostNetworkWarning)));
    given()
        .contentType("application/json")
        .body(
            in(
                "pod/allowed",
                "overrides",
                o -> ((ObjectNode) o.get("spec")).put("hostNetwork", true)))
        .post("/validate")
        .then()
        .statusCode(200)
        .body("response.allowed", equalTo(true))
        .body("response.status", nullValue())
        .body("response.warnings", equalTo(List.of(hostNetworkWarning)));
  }

  @Test
  void rejectsAnEmptyBody() {
    given()
        .contentType("application/json")
        .post("/validate")
        .then()
        .statusCode(400)
        .body("message", equalTo("empty body: expected an AdmissionReview"));
  }

  @Test
  void rejectsARequestOverTheSizeBoundWith413() {
    var big = new byte[3 * 1024 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    given()
        .contentType("application/json")
        .body(big)
        .post("/validate")
        .then()
        .statusCode(413)
        .body(
            "message",
            equalTo(
                "request of 3145729 bytes exceeds the limit of 3145728 bytes"
                    + " (parapet.webhook.max-request-bytes)"));
  }

  @Test
  void aBodyOverEveryLimitStillGetsTheJsonBody() {
    // 11 MiB: past the HTTP layer's own 10 MiB limit too; rejected from the declared length.
    var huge = new byte[11 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    given()
        .contentType("application/json")
        .body(huge)
        .post("/validate")
        .then()
        .statusCode(413)
        .body("code", equalTo(413))
        .body(
            "message",
            equalTo(
                "request of 11534336 bytes exceeds the limit of 3145728 bytes"
                    + " (parapet.webhook.max-request-bytes)"));
  }

  @Test
  void aNonJsonContentTypeGets415() throws IOException {
    given()
        .contentType("text/plain")
        .body(fixture("pod/denied"))
        .post("/validate")
        .then()
        .statusCode(415)
        .body("code", equalTo(415))
        .body(
            "message",
            equalTo("Content-Type \"text/plain\" is not supported: send application/json"));
    given()
        .contentType("application/json; charset=utf-8")
        .body(fixture("pod/denied"))
        .post("/validate")
        .then()
        .statusCode(200);
  }

  @Test
  void noopBaselineParsesAndAllowsEverything() throws IOException {
    given()
        .contentType("application/json")
        .body(fixture("pod/denied"))
        .post("/validate-noop")
        .then()
        .statusCode(200)
        .body("response.uid", equalTo("uid-pod-denied"))
        .body("response.allowed", equalTo(true));
    given()
        .contentType("application/json")
        .body(fixture("special/malformed"))
        .post("/validate-noop")
        .then()
        .statusCode(400);
  }

  static double requests(String decision, String kind) {
    var m =
        Pattern.compile(
                "^parapet_webhook_requests_total\\{decision=\""
                    + decision
                    + "\",kind=\""
                    + kind
                    + "\"[^}]*\\} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(given().get("/q/metrics").asString());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static Stream<Arguments> auditedFixtures() {
    return Stream.of(
        arguments("configmap/audited", "ConfigMap"),
        arguments("cronjob/audited", "CronJob"),
        arguments("daemonset/audited", "DaemonSet"),
        arguments("deployment/audited", "Deployment"),
        arguments("job/audited", "Job"),
        arguments("pod/audited", "Pod"),
        arguments("replicaset/audited", "ReplicaSet"),
        arguments("replicationcontroller/audited", "ReplicationController"),
        arguments("service/audited", "Service"),
        arguments("statefulset/audited", "StatefulSet"));
  }

  /** An audited request answers like a plain allow; only the metric tells them apart. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("auditedFixtures")
  void auditedFixturesAreCountedAsAudited(String name, String kind) throws IOException {
    var audited = requests("audited", kind);
    var allowed = requests("allowed", kind);
    given()
        .contentType("application/json")
        .body(fixture(name))
        .post("/validate")
        .then()
        .statusCode(200)
        .body("response.allowed", equalTo(true));
    assertThat(requests("audited", kind)).isEqualTo(audited + 1);
    assertThat(requests("allowed", kind)).isEqualTo(allowed);
  }

  @Test
  void countsRequestsAndRuleDecisionsInMetrics() throws IOException {
    for (var name : List.of("pod/denied", "pod/warned", "pod/audited", "pod/allowed")) {
      given().contentType("application/json").body(fixture(name)).post("/validate");
    }
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("parapet_webhook_requests_total{decision=\"denied\",kind=\"Pod\""))
        .body(containsString("parapet_webhook_requests_total{decision=\"audited\",kind=\"Pod\""))
        .body(
            containsString(
                "parapet_webhook_request_duration_seconds_bucket{decision=\"warned\",kind=\"Pod\""))
        .body(
            containsString(
                "parapet_webhook_rule_decisions_total{enforcement=\"Audit\",rule=\"port-forbidden\""))
        .body(
            containsString(
                "parapet_webhook_rule_decisions_total{enforcement=\"Deny\",rule=\"port-forbidden\""));
  }
}
