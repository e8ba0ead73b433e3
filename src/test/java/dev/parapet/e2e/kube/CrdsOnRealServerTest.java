package dev.parapet.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's CRDs on a real kube-apiserver: every validation rule of the schema exercised with an
 * invalid object and the server's own message asserted, as `kubectl apply` prints it; the examples
 * accepted; `kubectl explain`, printer columns and the `posture` category read with the real
 * kubectl.
 */
class CrdsOnRealServerTest {

  private static final String NS = "crd-tests";
  private static KubeCluster cluster;

  @BeforeAll
  static void installCrds() {
    cluster = KubeCluster.shared();
    RealChart.applyCrds(cluster);
    cluster.kubectl("create", "namespace", NS);
    cluster.kubectl("create", "namespace", "parapet-system");
  }

  static Stream<Arguments> invalidObjects() {
    var account =
        """
        apiVersion: parapet.dev/v1alpha1
        kind: CloudAccount
        metadata: {name: bad, namespace: crd-tests}
        spec:
        """;
    var policy =
        """
        apiVersion: parapet.dev/v1alpha1
        kind: PosturePolicy
        metadata: {name: bad}
        spec:
        """;
    var finding =
        """
        apiVersion: parapet.dev/v1alpha1
        kind: Finding
        metadata: {name: bad, namespace: crd-tests}
        spec:
          resource: {type: x, id: y}
        """;
    return Stream.of(
        Arguments.of(
            "accountId not 12 digits",
            account + "  accountId: \"12345\"\n",
            "spec.accountId in body should match '^[0-9]{12}$'"),
        Arguments.of(
            "accountId missing",
            account + "  regions: [us-east-1]\n",
            "spec.accountId: Required value"),
        Arguments.of(
            "provider other than aws",
            account + "  accountId: \"123456789012\"\n  provider: gcp\n",
            "spec.provider: Unsupported value: \"gcp\": supported values: \"aws\""),
        Arguments.of(
            "assumeRole and secretRef together",
            account
                + """
                  accountId: "123456789012"
                  credentials:
                    assumeRole: {roleArn: "arn:aws:iam::123456789012:role/scan"}
                    secretRef: {name: keys}
                """,
            "set at most one of assumeRole and secretRef"),
        Arguments.of(
            "externalId and externalIdSecretRef together",
            account
                + """
                  accountId: "123456789012"
                  credentials:
                    assumeRole:
                      roleArn: "arn:aws:iam::123456789012:role/scan"
                      externalId: abc
                      externalIdSecretRef: {name: s, key: k}
                """,
            "set at most one of externalId and externalIdSecretRef"),
        Arguments.of(
            "roleArn not an IAM role ARN",
            account
                + "  accountId: \"123456789012\"\n  credentials:\n    assumeRole: {roleArn: \"arn:aws:iam::1:user/x\"}\n",
            "spec.credentials.assumeRole.roleArn in body should match"),
        Arguments.of(
            "roleArn missing",
            account
                + "  accountId: \"123456789012\"\n  credentials:\n    assumeRole: {sessionName: ab}\n",
            "spec.credentials.assumeRole.roleArn: Required value"),
        Arguments.of(
            "durationSeconds below 900",
            account
                + "  accountId: \"123456789012\"\n  credentials:\n    assumeRole: {roleArn: \"arn:aws:iam::123456789012:role/scan\", durationSeconds: 60}\n",
            "spec.credentials.assumeRole.durationSeconds: Invalid value: 60: spec.credentials.assumeRole.durationSeconds in body should be greater than or equal to 900"),
        Arguments.of(
            "durationSeconds above 43200",
            account
                + "  accountId: \"123456789012\"\n  credentials:\n    assumeRole: {roleArn: \"arn:aws:iam::123456789012:role/scan\", durationSeconds: 50000}\n",
            "should be less than or equal to 43200"),
        Arguments.of(
            "sessionName too short",
            account
                + "  accountId: \"123456789012\"\n  credentials:\n    assumeRole: {roleArn: \"arn:aws:iam::123456789012:role/scan\", sessionName: a}\n",
            "spec.credentials.assumeRole.sessionName in body should match"),
        Arguments.of(
            "externalIdSecretRef without key",
            account
                + "  accountId: \"123456789012\"\n  credentials:\n    assumeRole: {roleArn: \"arn:aws:iam::123456789012:role/scan\", externalIdSecretRef: {name: s}}\n",
            "spec.credentials.assumeRole.externalIdSecretRef.key: Required value"),
        Arguments.of(
            "secretRef without name",
            account
                + "  accountId: \"123456789012\"\n  credentials:\n    secretRef: {accessKeyIdKey: id}\n",
            "spec.credentials.secretRef.name: Required value"),
        Arguments.of(
            "scan target without key",
            account
                + "  accountId: \"123456789012\"\n  scan: {targets: {include: [{values: [prod]}]}}\n",
            "spec.scan.targets.include[0].key: Required value"),
        Arguments.of(
            "scan target with an empty key",
            account
                + "  accountId: \"123456789012\"\n  scan: {targets: {exclude: [{key: \"\"}]}}\n",
            "spec.scan.targets.exclude[0].key: Invalid value"),
        Arguments.of(
            "scan target value over 256 characters",
            account
                + "  accountId: \"123456789012\"\n  scan: {targets: {include: [{key: env, values: [\""
                + "v".repeat(257)
                + "\"]}]}}\n",
            "a tag value is at most 256 characters"),
        Arguments.of(
            "endpointOverride not http(s)",
            account + "  accountId: \"123456789012\"\n  endpointOverride: ftp://moto\n",
            "spec.endpointOverride in body should match '^https?://.+'"),
        Arguments.of(
            "interval in words",
            account + "  accountId: \"123456789012\"\n  scan: {interval: 6 hours}\n",
            "spec.scan.interval in body should match"),
        Arguments.of(
            "interval empty",
            account + "  accountId: \"123456789012\"\n  scan: {interval: \"\"}\n",
            "interval must be at least 1m"),
        Arguments.of(
            "interval zero",
            account + "  accountId: \"123456789012\"\n  scan: {interval: 0s}\n",
            "interval must be at least 1m"),
        Arguments.of(
            "interval under a minute",
            account + "  accountId: \"123456789012\"\n  scan: {interval: 59s}\n",
            "interval must be at least 1m"),
        Arguments.of(
            "unknown service",
            account + "  accountId: \"123456789012\"\n  scan: {services: {include: [vpc]}}\n",
            "spec.scan.services.include[0]: Unsupported value: \"vpc\""),
        Arguments.of(
            "unknown excluded service",
            account
                + "  accountId: \"123456789012\"\n  scan: {services: {exclude: [cloudfront]}}\n",
            "spec.scan.services.exclude[0]: Unsupported value: \"cloudfront\""),
        Arguments.of(
            "enforcement not Deny|Warn|Audit",
            policy + "  admission: {enforcement: Block}\n",
            "spec.admission.enforcement: Unsupported value: \"Block\""),
        Arguments.of(
            "rule enforcement not Deny|Warn|Audit",
            policy + "  admission: {ruleEnforcement: {host-network: Maybe}}\n",
            "spec.admission.ruleEnforcement.host-network: Unsupported value: \"Maybe\""),
        Arguments.of(
            "existingViolationsOnUpdate unknown",
            policy + "  admission: {existingViolationsOnUpdate: Sometimes}\n",
            "spec.admission.existingViolationsOnUpdate: Unsupported value: \"Sometimes\""),
        Arguments.of(
            "port above 65535",
            policy + "  admission: {forbiddenPorts: [{port: 70000}]}\n",
            "spec.admission.forbiddenPorts[0].port in body should be less than or equal to 65535"),
        Arguments.of(
            "port 0",
            policy + "  admission: {forbiddenPorts: [{port: 0}]}\n",
            "spec.admission.forbiddenPorts[0].port in body should be greater than or equal to 1"),
        Arguments.of(
            "port missing",
            policy + "  admission: {forbiddenPorts: [{protocol: TCP}]}\n",
            "spec.admission.forbiddenPorts[0].port: Required value"),
        Arguments.of(
            "endPort before port",
            policy + "  admission: {forbiddenPorts: [{port: 2376, endPort: 2375}]}\n",
            "endPort must be greater than or equal to port"),
        Arguments.of(
            "protocol ICMP",
            policy + "  admission: {forbiddenPorts: [{port: 22, protocol: ICMP}]}\n",
            "spec.admission.forbiddenPorts[0].protocol in body should match '^(TCP|UDP|SCTP)$'"),
        Arguments.of(
            "credential scan location unknown",
            policy + "  admission: {credentials: {scan: [files]}}\n",
            "spec.admission.credentials.scan[0]: Unsupported value: \"files\""),
        Arguments.of(
            "namespaceSelector operator unknown",
            policy
                + "  admission: {namespaceSelector: {matchExpressions: [{key: team, operator: Like}]}}\n",
            "spec.admission.namespaceSelector.matchExpressions[0].operator in body should match"),
        Arguments.of(
            "framework unknown",
            policy + "  cloud: {frameworks: [pci-dss]}\n",
            "spec.cloud.frameworks[0]: Unsupported value: \"pci-dss\""),
        Arguments.of(
            "severity override unknown",
            policy + "  cloud: {severityOverrides: {aws-s3-bucket-versioning-off: urgent}}\n",
            "spec.cloud.severityOverrides.aws-s3-bucket-versioning-off: Unsupported value: \"urgent\""),
        Arguments.of(
            "maxAccessKeyAgeDays 0",
            policy + "  cloud: {parameters: {maxAccessKeyAgeDays: 0}}\n",
            "spec.cloud.parameters.maxAccessKeyAgeDays in body should be greater than or equal to 1"),
        Arguments.of(
            "unusedCredentialDays 0",
            policy + "  cloud: {parameters: {unusedCredentialDays: 0}}\n",
            "spec.cloud.parameters.unusedCredentialDays in body should be greater than or equal to 1"),
        Arguments.of(
            "accountSelector operator unknown",
            policy
                + "  cloud: {accountSelector: {matchExpressions: [{key: env, operator: Equals}]}}\n",
            "spec.cloud.accountSelector.matchExpressions[0].operator in body should match"),
        Arguments.of(
            "exception without reason",
            policy + "  exceptions: [{name: x, rules: [port-forbidden]}]\n",
            "spec.exceptions[0].reason: Required value"),
        Arguments.of(
            "finding severity unknown",
            finding + "  source: aws\n  rule: {id: r, severity: urgent}\n",
            "spec.rule.severity: Unsupported value: \"urgent\""),
        Arguments.of(
            "finding source unknown",
            finding + "  source: gcp\n  rule: {id: r, severity: high}\n",
            "spec.source: Unsupported value: \"gcp\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidObjects")
  void theServerRejectsAnInvalidObjectWithTheRulesMessage(
      String what, String yaml, String expected) {
    // A name per case: an object left by another case would be updated, and the server ratchets
    // (lets an unchanged invalid field through on update).
    var named = yaml.replace("name: bad", "name: bad-" + Integer.toHexString(what.hashCode()));
    var result = cluster.kubectlWithInput(named, "create", "-f", "-");
    assertThat(result.exit()).as(what + ": " + result.all()).isNotZero();
    assertThat(result.stderr()).as(what).contains("is invalid").contains(expected);
  }

  @Test
  void theExamplesAreAcceptedAsWritten() {
    var result =
        cluster.kubectl(
            "apply",
            "--dry-run=server",
            "-f",
            KubeCluster.repoRoot().resolve("examples").toString());
    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.stdout())
        .contains("cloudaccount.parapet.dev/production created (server dry run)")
        .contains("posturepolicy.parapet.dev/baseline created (server dry run)");
  }

  @Test
  void aValidIntervalOfAMinuteOrMoreIsAccepted() {
    for (var interval : new String[] {"1m", "90s", "1h30m", "6h"}) {
      var yaml =
          """
          apiVersion: parapet.dev/v1alpha1
          kind: CloudAccount
          metadata: {name: ok, namespace: crd-tests}
          spec: {accountId: "123456789012", scan: {interval: "%s"}}
          """
              .formatted(interval);
      var result = cluster.kubectlWithInput(yaml, "apply", "--dry-run=server", "-f", "-");
      assertThat(result.exit()).as(interval + ": " + result.all()).isZero();
    }
  }

  @Test
  void scanTargetsByTagAreAccepted() {
    var yaml =
        """
        apiVersion: parapet.dev/v1alpha1
        kind: CloudAccount
        metadata: {name: targets-ok, namespace: crd-tests}
        spec:
          accountId: "123456789012"
          scan:
            targets:
              include: [{key: env, values: [prod, staging]}, {key: team}]
              exclude: [{key: parapet.dev/skip}]
        """;
    var result = cluster.kubectlWithInput(yaml, "apply", "--dry-run=server", "-f", "-");
    assertThat(result.exit()).as(result.all()).isZero();
  }

  @Test
  void explainAnswersFromTheSchemaDescriptions() {
    var result = cluster.kubectl("explain", "cloudaccount.spec.credentials.assumeRole");
    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.stdout())
        .contains("GROUP:      parapet.dev")
        .contains("KIND:       CloudAccount")
        .contains("roleArn")
        .contains("externalIdSecretRef")
        .contains("durationSeconds");
    var finding = cluster.kubectl("explain", "finding.spec.rule.severity");
    assertThat(finding.exit()).as(finding.all()).isZero();
    assertThat(finding.stdout()).contains("ENUM:").contains("critical").contains("informational");
  }

  @Test
  void printerColumnsAndTheCategoryAreWhatTheReadmeShows() {
    var apply =
        cluster.kubectlWithInput(
            """
            apiVersion: parapet.dev/v1alpha1
            kind: CloudAccount
            metadata: {name: columns, namespace: crd-tests}
            spec: {accountId: "123456789012"}
            ---
            apiVersion: parapet.dev/v1alpha1
            kind: PosturePolicy
            metadata: {name: columns}
            spec: {admission: {enforcement: Warn}}
            ---
            apiVersion: parapet.dev/v1alpha1
            kind: Finding
            metadata:
              name: columns
              namespace: crd-tests
              labels: {parapet.dev/triage: acknowledged, parapet.dev/owner: team-net}
            spec:
              source: aws
              rule: {id: aws-ec2-sg-ssh-open, severity: high, title: SSH open}
              resource: {type: AWS::EC2::SecurityGroup, id: sg-0123, accountId: "123456789012", region: eu-west-1}
            """,
            "apply",
            "-f",
            "-");
    assertThat(apply.exit()).as(apply.all()).isZero();

    var accounts = cluster.kubectl("get", "cloudaccounts", "-n", NS, "columns");
    assertThat(accounts.stdout().lines().findFirst().orElse(""))
        .matches("NAME\\s+ACCOUNT\\s+READY\\s+CRITICAL\\s+HIGH\\s+LAST-SCAN\\s+AGE\\s*");
    assertThat(accounts.stdout()).contains("123456789012");

    var policies = cluster.kubectl("get", "ppol", "columns");
    assertThat(policies.stdout().lines().findFirst().orElse(""))
        .matches("NAME\\s+ENFORCEMENT\\s+ACCEPTED\\s+AGE\\s*");
    assertThat(policies.stdout()).contains("Warn");

    var findings = cluster.kubectl("get", "fnd", "-n", NS, "-o", "wide");
    assertThat(findings.stdout().lines().findFirst().orElse(""))
        .matches(
            "NAME\\s+SEVERITY\\s+RULE\\s+RESOURCE\\s+STATE\\s+TRIAGE\\s+AGE\\s+ACCOUNT\\s+REGION\\s+TITLE\\s*");
    assertThat(findings.stdout()).contains("aws-ec2-sg-ssh-open").contains("sg-0123");
    // The TRIAGE column reads the label through the escaped-dot JSONPath the API server accepted.
    assertThat(findings.stdout().lines().filter(l -> l.startsWith("columns ")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .matches("columns\\s+high\\s+aws-ec2-sg-ssh-open\\s+sg-0123\\s+acknowledged\\s+.*");
    var triaged = cluster.kubectl("get", "fnd", "-n", NS, "-l", "parapet.dev/triage=acknowledged");
    assertThat(triaged.exit()).as(triaged.all()).isZero();
    assertThat(triaged.stdout()).contains("columns");
    var other = cluster.kubectl("get", "fnd", "-n", NS, "-l", "parapet.dev/triage=in-progress");
    assertThat(other.stdout()).doesNotContain("columns");

    var posture = cluster.kubectl("get", "posture", "-A");
    assertThat(posture.exit()).as(posture.all()).isZero();
    assertThat(posture.stdout())
        .contains("cloudaccount.parapet.dev/columns")
        .contains("posturepolicy.parapet.dev/columns")
        .contains("finding.parapet.dev/columns");
  }
}
