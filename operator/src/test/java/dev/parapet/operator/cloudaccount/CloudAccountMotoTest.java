package dev.parapet.operator.cloudaccount;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static dev.parapet.testing.OperatorMoto.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.operator.findings.FindingNames;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.Conflicts;
import dev.parapet.testing.Crds;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoServer;
import dev.parapet.testing.OperatorMoto;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;

/**
 * End to end with the real AWS engine against moto (through a WireMock proxy that can inject
 * AccessDenied) and the operator on the Fabric8 CRUD mock server.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CloudAccountMotoTest {

  static final String NS = "payments";
  static final String REGION = "eu-central-1";
  static final String ACCOUNT_ID = MotoServer.ACCOUNT_ID;
  static final String SSH = "aws-ec2-sg-ssh-open";
  static final String RDP = "aws-ec2-sg-rdp-open";
  static final Duration WAIT = Duration.ofSeconds(60);

  static MotoServer moto;
  static WireMockServer proxy;
  static String sshGroup;
  static String rdpGroup;

  @KubernetesTestServer KubernetesServer server;
  @Inject KubernetesClient client;

  @BeforeAll
  static void seed() {
    moto = MotoServer.shared();
    moto.reset(); // other test classes share this moto; start from an empty account
    proxy = MotoProxy.recording(moto);
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      sshGroup = AwsSeed.securityGroup(ec2, "e2e-ssh-open", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      rdpGroup = AwsSeed.securityGroup(ec2, "e2e-rdp-open", AwsSeed.tcp(3389, 3389, "0.0.0.0/0"));
      var office =
          AwsSeed.securityGroup(ec2, "e2e-ssh-office", AwsSeed.tcp(22, 22, "203.0.113.0/24"));
      AwsSeed.attach(ec2, sshGroup, rdpGroup, office);
    }
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.stop();
    }
  }

  static void denyEc2(boolean deny) {
    if (deny) {
      proxy.stubFor(
          post(anyUrl())
              .atPriority(1)
              .withRequestBody(containing("Action=DescribeSecurityGroups"))
              .willReturn(
                  aResponse()
                      .withStatus(403)
                      .withHeader("Content-Type", "text/xml")
                      .withBody(
                          "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not"
                              + " authorized to perform this operation.</Message></Error></Errors>"
                              + "<RequestID>e2e</RequestID></Response>")));
    } else {
      proxy.resetAll();
      MotoProxy.forward(proxy, moto);
    }
  }

  static String arn(String group) {
    return "arn:aws:ec2:" + REGION + ":" + ACCOUNT_ID + ":security-group/" + group;
  }

  static String name(String rule, String group) {
    return FindingNames.name(rule, ACCOUNT_ID + "/" + REGION + "/" + arn(group) + "#");
  }

  CloudAccount account() {
    return client.resources(CloudAccount.class).inNamespace(NS).withName("moto").get();
  }

  Finding finding(String name) {
    return client.resources(Finding.class).inNamespace(NS).withName(name).get();
  }

  List<Finding> findings() {
    return client.resources(Finding.class).inNamespace(NS).list().getItems();
  }

  /** Bumps the interval (a spec change) and waits until the status reflects a finished scan. */
  void rescan(String interval) {
    var before = account().getStatus().lastScan().finishedAt();
    Conflicts.retry(
        () ->
            client
                .resources(CloudAccount.class)
                .inNamespace(NS)
                .withName("moto")
                .edit(
                    a -> {
                      a.setSpec(
                          new CloudAccountSpec(
                              a.getSpec().provider(),
                              a.getSpec().accountId(),
                              a.getSpec().regions(),
                              a.getSpec().credentials(),
                              new CloudAccountSpec.Scan(interval, null, null),
                              a.getSpec().endpointOverride()));
                      return a;
                    }));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var a = account();
              return a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration())
                  && !before.equals(a.getStatus().lastScan().finishedAt());
            });
  }

  /** sts:GetCallerIdentity calls that reached the proxy: one per scan. */
  static long identityCalls() {
    return proxy.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getBodyAsString().contains("Action=GetCallerIdentity"))
        .count();
  }

  List<RecordedRequest> drain() throws InterruptedException {
    var out = new ArrayList<RecordedRequest>();
    RecordedRequest r;
    while ((r = server.getKubernetesMockServer().takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  @Test
  void motoAccountLifecycle() throws Exception {
    Crds.apply(client);
    var credentials = OperatorMoto.keys(client, NS);
    OperatorMoto.policy(
        client,
        "moto-baseline",
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                OperatorMoto.selecting("moto"),
                List.of(PosturePolicySpec.Framework.AWS_FSBP),
                new RuleSelection(
                    null,
                    List.of(
                        "aws-ec2-ami-public",
                        "aws-ec2-default-sg-has-rules",
                        // moto's default network ACL allows all traffic (a true finding); it has
                        // its own test
                        "aws-ec2-nacl-admin-ports-open",
                        "aws-ec2-ebs-*",
                        "aws-ec2-imdsv2-not-required",
                        "aws-ec2-snapshot-*",
                        "aws-ec2-sg-sensitive-port-open",
                        "aws-vpc-flow-logs-off",
                        // account-level rules fail on moto's empty account (no trail, no root
                        // user, no password policy); they have their own tests
                        "aws-iam-*",
                        "aws-s3-*",
                        "aws-cloudtrail-*",
                        "aws-kms-*",
                        "aws-rds-*",
                        // no GuardDuty detector on moto's empty account (a true finding per region)
                        "aws-guardduty-*",
                        // CIS v5.0 account services and monitoring: no recorder, hub, analyzer or
                        // alarms on moto's empty account (true findings); they have their own tests
                        "aws-config-*",
                        "aws-securityhub-*",
                        "aws-accessanalyzer-*",
                        "aws-cloudwatch-*",
                        "aws-ec2-instance-no-iam-role")),
                null,
                null),
            null,
            null));
    var a =
        OperatorMoto.account(
            client,
            NS,
            "moto",
            "moto",
            new CloudAccountSpec(
                CloudAccountSpec.Provider.AWS,
                ACCOUNT_ID,
                List.of(REGION),
                credentials,
                new CloudAccountSpec.Scan("6h", null, null),
                proxy.baseUrl()));

    // 1. The exact findings: names, labels, severity, controls, remediation, printer-column fields.
    await()
        .atMost(WAIT)
        .until(
            () ->
                findings().size() == 2 && findings().stream().allMatch(f -> f.getStatus() != null));
    assertThat(findings())
        .extracting(f -> f.getMetadata().getName())
        .containsExactlyInAnyOrder(name(SSH, sshGroup), name(RDP, rdpGroup));
    var ssh = finding(name(SSH, sshGroup));
    assertThat(ssh.getMetadata().getLabels())
        .containsAllEntriesOf(
            Map.of(
                "parapet.dev/severity",
                "high",
                "parapet.dev/rule",
                SSH,
                "parapet.dev/source",
                "aws",
                "parapet.dev/account",
                ACCOUNT_ID,
                "parapet.dev/region",
                REGION));
    assertThat(ssh.getSpec().rule().severity().wireValue()).isEqualTo("high");
    assertThat(ssh.getSpec().rule().compliance())
        .extracting(c -> c.framework() + ":" + c.control())
        .contains("aws-fsbp:EC2.13");
    assertThat(ssh.getSpec().rule().title()).isNotBlank();
    assertThat(ssh.getSpec().remediation().text()).isNotBlank();
    assertThat(ssh.getSpec().remediation().url()).startsWith("https://");
    assertThat(ssh.getSpec().resource().type()).isEqualTo("AWS::EC2::SecurityGroup");
    assertThat(ssh.getSpec().resource().id()).isEqualTo(sshGroup);
    assertThat(ssh.getSpec().resource().arn()).isEqualTo(arn(sshGroup));
    assertThat(ssh.getSpec().message()).contains("22").contains("0.0.0.0/0");
    assertThat(ssh.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(finding(name(RDP, rdpGroup)).getSpec().rule().compliance())
        .extracting(c -> c.framework() + ":" + c.control())
        .contains("aws-fsbp:EC2.14");

    await()
        .atMost(WAIT)
        .until(
            () ->
                condition(account(), "Ready") != null
                    && !"Scanning".equals(condition(account(), "Ready").reason()));
    var status = account().getStatus();
    assertThat(condition(account(), "Ready").status()).isEqualTo(Condition.TRUE);
    assertThat(condition(account(), "CredentialsValid").status()).isEqualTo(Condition.TRUE);
    assertThat(status.identity().accountId()).isEqualTo(ACCOUNT_ID);
    assertThat(status.findings().high()).isEqualTo(2);
    assertThat(status.lastScan().apiCalls()).isPositive();
    assertThat(status.lastScan().regions())
        .anySatisfy(
            r -> {
              assertThat(r.name()).isEqualTo(REGION);
              assertThat(r.state()).isEqualTo("Scanned");
            });
    assertThat(status.requiredPermissions())
        .contains("ec2:DescribeSecurityGroups", "sts:GetCallerIdentity");
    assertThat(account().toString() + client.v1().events().inNamespace(NS).list().getItems())
        .doesNotContain("wJalrXUtnFEMI")
        .doesNotContain("AKIAIOSFODNN7EXAMPLE");

    // 2. AccessDenied on DescribeSecurityGroups: both findings stay Open, status says why.
    var sshVersion = finding(name(SSH, sshGroup)).getMetadata().getResourceVersion();
    denyEc2(true);
    rescan("7h");
    var degraded = condition(account(), "Degraded");
    assertThat(degraded.status()).isEqualTo(Condition.TRUE);
    assertThat(degraded.message()).contains("ec2").contains("AccessDenied");
    assertThat(account().getStatus().lastScan().errors())
        .anySatisfy(
            e -> {
              assertThat(e.service()).isEqualTo("ec2");
              assertThat(e.reason()).isEqualTo("AccessDenied");
            });
    assertThat(finding(name(SSH, sshGroup)).getStatus().state())
        .isEqualTo(FindingStatus.State.OPEN);
    assertThat(finding(name(SSH, sshGroup)).getMetadata().getResourceVersion())
        .isEqualTo(sshVersion);
    assertThat(account().getStatus().findings().high()).isEqualTo(2);

    // 3. Fix the SSH group and lift the fault: SSH resolves, RDP is untouched.
    denyEc2(false);
    var rdpVersion = finding(name(RDP, rdpGroup)).getMetadata().getResourceVersion();
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      ec2.revokeSecurityGroupIngress(
          r ->
              r.groupId(sshGroup)
                  .ipPermissions(
                      IpPermission.builder()
                          .ipProtocol("tcp")
                          .fromPort(22)
                          .toPort(22)
                          .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build())
                          .build()));
    }
    rescan("8h");
    await()
        .atMost(WAIT)
        .until(
            () -> finding(name(SSH, sshGroup)).getStatus().state() == FindingStatus.State.RESOLVED);
    assertThat(finding(name(RDP, rdpGroup)).getMetadata().getResourceVersion())
        .isEqualTo(rdpVersion);
    assertThat(condition(account(), "Degraded").status()).isEqualTo(Condition.FALSE);
    assertThat(account().getStatus().findings().high()).isEqualTo(1);

    // 4. Steady state: an unchanged rescan writes no Finding.
    Thread.sleep(500);
    drain();
    rescan("9h");
    Thread.sleep(1000);
    var writes =
        drain().stream()
            .filter(
                r ->
                    Set.of("POST", "PUT", "PATCH", "DELETE").contains(r.getMethod())
                        && r.getPath().contains("/findings"))
            .map(r -> r.getMethod() + " " + r.getPath())
            .toList();
    assertThat(writes).isEmpty();

    // 4b. Timer rescans of the unchanged account against moto write nothing at all: no Finding,
    // no CloudAccount status (the scan timing is held; see StatusAggregator.holdTiming).
    rescan("2s");
    Thread.sleep(500);
    drain();
    var identityCalls = identityCalls();
    await()
        .atMost(WAIT)
        .until(() -> identityCalls() >= identityCalls + 3); // three timer scans reached AWS
    Thread.sleep(1000); // let the last scan's writes, if any, arrive
    var timerWrites =
        drain().stream()
            .filter(
                r ->
                    Set.of("POST", "PUT", "PATCH", "DELETE").contains(r.getMethod())
                        && (r.getPath().contains("/findings")
                            || r.getPath().contains("/cloudaccounts")))
            .map(r -> r.getMethod() + " " + r.getPath())
            .toList();
    assertThat(timerWrites).isEmpty();

    // 5. Deleting the account removes its findings.
    client.resources(CloudAccount.class).inNamespace(NS).withName("moto").delete();
    await().atMost(WAIT).until(() -> findings().isEmpty());
  }

  static final String SCOPED_NS = "scoped";
  static final String SCOPED_REGION = "eu-west-3";
  static final Pattern SIGNED_SERVICE =
      Pattern.compile("Credential=[^/]+/[0-9]{8}/[a-z0-9-]+/([a-z0-9-]+)/aws4_request");

  /** The AWS services the proxy saw requests for, from the SigV4 credential scope. */
  static Set<String> servicesCalled() {
    return proxy.getAllServeEvents().stream()
        .map(e -> e.getRequest().getHeader("Authorization"))
        .filter(h -> h != null)
        .map(SIGNED_SERVICE::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void serviceScopeCallsOnlyInScopeServicesAndResolvesTheFindingsItTakesOut() {
    Crds.apply(client);
    var credentials = OperatorMoto.keys(client, SCOPED_NS);
    String group;
    try (var ec2 = new AwsSeed(moto).ec2(SCOPED_REGION)) {
      group = AwsSeed.securityGroup(ec2, "scope-ssh-open", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      AwsSeed.attach(ec2, group);
    }
    try (var s3 = new AwsSeed(moto).s3("us-east-1")) {
      s3.createBucket(b -> b.bucket("scope-unversioned"));
    }
    // One rule per service on this account: SSH (ec2), versioning (s3), root MFA (iam; moto has
    // no root MFA, so it fails).
    OperatorMoto.policy(
        client,
        "scope-baseline",
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                OperatorMoto.selecting("scoped"),
                null,
                new RuleSelection(
                    null,
                    List.of(
                        "aws-ec2-sg-rdp-open",
                        "aws-ec2-sg-all-ports-open",
                        "aws-ec2-sg-sensitive-port-open",
                        "aws-ec2-default-sg-has-rules",
                        "aws-ec2-nacl-admin-ports-open",
                        "aws-ec2-imdsv2-not-required",
                        "aws-ec2-ebs-*",
                        "aws-ec2-snapshot-*",
                        "aws-ec2-ami-public",
                        "aws-vpc-flow-logs-off",
                        "aws-s3-account-*",
                        "aws-s3-bucket-public*",
                        "aws-s3-bucket-acls-enabled",
                        "aws-s3-bucket-tls-not-enforced",
                        "aws-iam-root-access-key",
                        "aws-iam-console-user-without-mfa",
                        "aws-iam-unused-credentials",
                        "aws-iam-access-key-not-rotated",
                        "aws-iam-weak-password-policy",
                        "aws-iam-admin-policy-attached",
                        "aws-iam-support-role-missing",
                        // CIS 1.10, 1.21, 2.1.2: their own tests (moto never returns MFADelete)
                        "aws-iam-console-user-unused-key",
                        "aws-iam-cloudshell-full-access",
                        "aws-s3-bucket-mfa-delete-off",
                        "aws-iam-user-direct-policies",
                        "aws-iam-expired-server-certificate",
                        "aws-cloudtrail-*",
                        "aws-kms-*",
                        "aws-rds-*",
                        // no GuardDuty detector on moto's empty account (a true finding per region)
                        "aws-guardduty-*",
                        // CIS v5.0 account services and monitoring: no recorder, hub, analyzer or
                        // alarms on moto's empty account (true findings); they have their own tests
                        "aws-config-*",
                        "aws-securityhub-*",
                        "aws-accessanalyzer-*",
                        "aws-cloudwatch-*",
                        "aws-ec2-instance-no-iam-role")),
                null,
                null),
            null,
            null));
    var a =
        OperatorMoto.account(
            client,
            SCOPED_NS,
            "scoped",
            "scoped",
            new CloudAccountSpec(
                CloudAccountSpec.Provider.AWS,
                ACCOUNT_ID,
                List.of(SCOPED_REGION),
                credentials,
                new CloudAccountSpec.Scan("6h", null, null),
                proxy.baseUrl()));

    var ssh = "aws-ec2-sg-ssh-open";
    var versioning = "aws-s3-bucket-versioning-off";
    var rootMfa = "aws-iam-root-mfa-off";
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(scopedFindings())
                  .extracting(f -> f.getSpec().rule().id())
                  .containsExactlyInAnyOrder(ssh, versioning, rootMfa);
              assertThat(scopedFindings()).allMatch(f -> f.getStatus() != null);
              assertThat(scoped().getStatus()).isNotNull();
              assertThat(scoped().getStatus().lastScan()).isNotNull();
            });
    assertThat(scopedFindings())
        .extracting(f -> f.getSpec().rule().id())
        .containsExactlyInAnyOrder(ssh, versioning, rootMfa);
    assertThat(scoped().getStatus().requiredPermissions())
        .contains("ec2:DescribeSecurityGroups", "s3:GetBucketVersioning", "iam:GetAccountSummary");

    // Narrow to include [ec2, s3], exclude [s3]: exclude wins, only EC2 is scanned.
    var sshFinding = scopedFinding(ssh);
    var before = scoped().getStatus().lastScan().finishedAt();
    proxy.resetRequests();
    Conflicts.retry(
        () ->
            client
                .resources(CloudAccount.class)
                .inNamespace(SCOPED_NS)
                .withName("scoped")
                .edit(
                    x -> {
                      x.setSpec(
                          new CloudAccountSpec(
                              x.getSpec().provider(),
                              x.getSpec().accountId(),
                              x.getSpec().regions(),
                              x.getSpec().credentials(),
                              new CloudAccountSpec.Scan(
                                  "6h",
                                  null,
                                  new CloudAccountSpec.Services(
                                      List.of("ec2", "s3"), List.of("s3"))),
                              x.getSpec().endpointOverride()));
                      return x;
                    }));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var s = scoped();
              return s.getMetadata().getGeneration().equals(s.getStatus().observedGeneration())
                  && !before.equals(s.getStatus().lastScan().finishedAt());
            });
    assertThat(servicesCalled())
        .as("services the scoped scan called")
        .containsExactly("ec2", "sts");
    await()
        .atMost(WAIT)
        .until(
            () ->
                scopedFinding(versioning).getStatus().state() == FindingStatus.State.RESOLVED
                    && scopedFinding(rootMfa).getStatus().state() == FindingStatus.State.RESOLVED);
    assertThat(scopedFinding(ssh).getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(scopedFinding(ssh).getMetadata().getResourceVersion())
        .isEqualTo(sshFinding.getMetadata().getResourceVersion());
    var status = scoped().getStatus();
    assertThat(status.requiredPermissions())
        .contains("ec2:DescribeSecurityGroups", "sts:GetCallerIdentity")
        .allSatisfy(p -> assertThat(p).matches("(ec2|sts):[A-Za-z]+"));
    assertThat(status.findings().high()).isEqualTo(1);
    assertThat(status.findings().critical()).isZero();
    assertThat(status.findings().low()).isZero();
    assertThat(condition(scoped(), "Ready").status()).isEqualTo(Condition.TRUE);

    client.resources(CloudAccount.class).inNamespace(SCOPED_NS).withName("scoped").delete();
    client.resources(PosturePolicy.class).withName("scope-baseline").delete();
    await().atMost(WAIT).until(() -> scopedFindings().isEmpty());
  }

  CloudAccount scoped() {
    return client.resources(CloudAccount.class).inNamespace(SCOPED_NS).withName("scoped").get();
  }

  List<Finding> scopedFindings() {
    return client.resources(Finding.class).inNamespace(SCOPED_NS).list().getItems();
  }

  Finding scopedFinding(String rule) {
    return scopedFindings().stream()
        .filter(f -> f.getSpec().rule().id().equals(rule))
        .findFirst()
        .orElseThrow();
  }
}
