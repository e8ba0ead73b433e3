package dev.parapet.operator.cloudaccount;

import static dev.parapet.testing.OperatorMoto.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.api.v1alpha1.Selector;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.findings.FindingNames;
import dev.parapet.operator.scan.CheckResult;
import dev.parapet.operator.scan.RuleRegion;
import dev.parapet.operator.scan.TestRules;
import dev.parapet.testing.Conflicts;
import dev.parapet.testing.Crds;
import dev.parapet.testing.ScriptedScanner;
import dev.parapet.testing.ScriptedScannerProfile;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller on the Fabric8 CRUD mock server, with the AWS engine replaced by a scripted twin:
 * Finding lifecycle, status, events, exceptions, degraded scans, steady state, suspend and delete.
 */
@QuarkusTest
@TestProfile(ScriptedScannerProfile.class)
@WithKubernetesTestServer(crud = true)
class CloudAccountReconcilerTest {

  /** Each test gets its own namespace, so no test sees another's CloudAccounts or policies. */
  private static final java.util.concurrent.atomic.AtomicInteger NAMESPACES =
      new java.util.concurrent.atomic.AtomicInteger();

  final String ns = "team-a-" + NAMESPACES.incrementAndGet();
  static final String ACCOUNT_ID = "123456789012";
  static final Duration WAIT = Duration.ofSeconds(30);

  @KubernetesTestServer KubernetesServer server;
  @Inject KubernetesClient client;
  @Inject ScriptedScanner scanner;
  @Inject MeterRegistry registry;

  private static boolean crdsApplied;

  @BeforeEach
  void crds() {
    if (!crdsApplied) {
      Crds.apply(client);
      crdsApplied = true;
    }
  }

  static String arn(String sg) {
    return "arn:aws:ec2:eu-west-1:" + ACCOUNT_ID + ":security-group/" + sg;
  }

  static CheckResult sg(RuleMetadata rule, String sg, String message) {
    return new CheckResult(
        rule,
        rule.severity(),
        "eu-west-1",
        "AWS::EC2::SecurityGroup",
        sg,
        arn(sg),
        "",
        message,
        Map.of());
  }

  static CheckResult bucket(String name) {
    var r = TestRules.S3_VERSIONING;
    return new CheckResult(
        r,
        r.severity(),
        "global",
        "AWS::S3::Bucket",
        name,
        "arn:aws:s3:::" + name,
        "",
        "versioning is Suspended",
        Map.of());
  }

  static CheckResult rootMfa() {
    var r = TestRules.ROOT_MFA;
    return new CheckResult(
        r,
        r.severity(),
        "global",
        "AWS::IAM::Root",
        ACCOUNT_ID,
        "arn:aws:iam::" + ACCOUNT_ID + ":root",
        "",
        "the root user has no MFA device",
        Map.of());
  }

  /**
   * The AWS account id of the CloudAccount this test created last: one id per CloudAccount, because
   * two CloudAccounts of one AWS account in a namespace are held back as duplicates
   * (DuplicateAccounts). Finding names derive from it; the scripted results keep ACCOUNT_ID. An
   * instance field: JUnit makes one instance per test, so no test reads another's.
   */
  String specAccountId = ACCOUNT_ID;

  static String accountIdOf(String cloudAccountName) {
    return String.format("%012d", Math.floorMod(cloudAccountName.hashCode(), 1_000_000_000_000L));
  }

  String expectedName(CheckResult r) {
    return FindingNames.name(r.rule().id(), specAccountId + "/" + r.region() + "/" + r.arn() + "#");
  }

  CloudAccount create(String name, Map<String, String> labels) {
    return create(name, labels, "6h");
  }

  CloudAccount create(String name, Map<String, String> labels, String interval) {
    var a = new CloudAccount();
    a.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(ns).withLabels(labels).build());
    specAccountId = accountIdOf(name);
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            specAccountId,
            List.of("eu-west-1"),
            null,
            new CloudAccountSpec.Scan(interval, null, null),
            null));
    return client.resource(a).create();
  }

  CloudAccount get(String name) {
    return client.resources(CloudAccount.class).inNamespace(ns).withName(name).get();
  }

  /**
   * Changes the spec (a new interval) so that the account is rescanned, and waits for that scan.
   */
  void rescan(String name, String interval) {
    var before = scanner.calls(name);
    Conflicts.retry(
        () ->
            client
                .resources(CloudAccount.class)
                .inNamespace(ns)
                .withName(name)
                .edit(
                    a -> {
                      a.setSpec(
                          new CloudAccountSpec(
                              a.getSpec().provider(),
                              a.getSpec().accountId(),
                              a.getSpec().regions(),
                              null,
                              new CloudAccountSpec.Scan(
                                  interval, a.getSpec().scan().suspend(), null),
                              null));
                      return a;
                    }));
    await().atMost(WAIT).until(() -> scanner.calls(name) > before);
    awaitStatusSettled(name);
  }

  /**
   * Sets spec.scan.services (a spec change: the account is reconciled and, if valid, rescanned).
   */
  void setServices(String name, CloudAccountSpec.Services services) {
    Conflicts.retry(
        () ->
            client
                .resources(CloudAccount.class)
                .inNamespace(ns)
                .withName(name)
                .edit(
                    a -> {
                      var scan = a.getSpec().scan();
                      a.setSpec(
                          new CloudAccountSpec(
                              a.getSpec().provider(),
                              a.getSpec().accountId(),
                              a.getSpec().regions(),
                              null,
                              new CloudAccountSpec.Scan(scan.interval(), scan.suspend(), services),
                              null));
                      return a;
                    }));
  }

  void awaitStatusSettled(String name) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var a = get(name);
              return a.getStatus() != null
                  && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration())
                  && a.getStatus().lastScan() != null
                  && condition(a, "Ready") != null
                  && !"Scanning".equals(condition(a, "Ready").reason());
            });
  }

  List<Finding> findings(String account) {
    return client.resources(Finding.class).inNamespace(ns).list().getItems().stream()
        .filter(
            f ->
                f.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> o.getName().equals(account)))
        .toList();
  }

  Finding finding(String name) {
    return client.resources(Finding.class).inNamespace(ns).withName(name).get();
  }

  List<RecordedRequest> drainRequests() throws InterruptedException {
    var out = new ArrayList<RecordedRequest>();
    var mock = server.getKubernetesMockServer();
    RecordedRequest r;
    while ((r = mock.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  static boolean isWrite(RecordedRequest r) {
    return Set.of("POST", "PUT", "PATCH", "DELETE").contains(r.getMethod());
  }

  @Test
  void scanWritesExactFindingsThenResolvesTheFixedOneAndAnUnchangedRescanWritesNothing()
      throws Exception {
    var ssh = sg(TestRules.SSH, "sg-0aa1", "sg-0aa1 allows tcp/22 from 0.0.0.0/0");
    var all =
        sg(
            TestRules.ALL_PORTS,
            "sg-0bb2",
            "sg-0bb2 allows all traffic from ::/0; user data holds AKIAIOSFODNN7EXAMPLE");
    scanner.script(
        "e2e", in -> ScriptedScanner.outcome(in, List.of(ssh, all), Set.of(), List.of()));
    create("e2e", Map.of("env", "prod"));

    await().atMost(WAIT).until(() -> findings("e2e").size() == 2);
    var f = finding(expectedName(ssh));
    assertThat(f.getMetadata().getName()).matches("^aws-ec2-sg-ssh-open-[0-9a-f]{12}$");
    assertThat(f.getMetadata().getLabels())
        .containsEntry("parapet.dev/severity", "high")
        .containsEntry("parapet.dev/rule", "aws-ec2-sg-ssh-open")
        .containsEntry("parapet.dev/source", "aws")
        .containsEntry("parapet.dev/account", specAccountId)
        .containsEntry("parapet.dev/region", "eu-west-1");
    assertThat(f.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("CloudAccount");
              assertThat(o.getUid()).isEqualTo(get("e2e").getMetadata().getUid());
            });
    assertThat(f.getSpec().rule().severity().wireValue()).isEqualTo("high");
    assertThat(f.getSpec().rule().title()).isEqualTo("Security group allows SSH from the internet");
    assertThat(f.getSpec().rule().compliance())
        .extracting(c -> c.framework() + ":" + c.control())
        .containsExactly("cis-aws:5.3", "aws-fsbp:EC2.13");
    assertThat(f.getSpec().remediation().text()).isEqualTo("Remove the 0.0.0.0/0 rule for TCP 22.");
    assertThat(f.getSpec().remediation().url()).contains("ec2-13");
    assertThat(f.getSpec().resource().id()).isEqualTo("sg-0aa1");
    assertThat(f.getSpec().resource().region()).isEqualTo("eu-west-1");
    assertThat(f.getSpec().resource().accountId()).isEqualTo(specAccountId);
    assertThat(f.getSpec().message()).isEqualTo("sg-0aa1 allows tcp/22 from 0.0.0.0/0");
    await().atMost(WAIT).until(() -> finding(expectedName(ssh)).getStatus() != null);
    assertThat(finding(expectedName(ssh)).getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    var allPorts = finding(expectedName(all));
    assertThat(allPorts.getSpec().message())
        .contains("AKIA************MPLE")
        .doesNotContain("AKIAIOSFODNN7EXAMPLE");

    awaitStatusSettled("e2e");
    var account = get("e2e");
    assertThat(condition(account, "Ready").status()).isEqualTo(Condition.TRUE);
    assertThat(condition(account, "CredentialsValid").message())
        .contains("arn:aws:iam::" + specAccountId + ":role/parapet-scan");
    assertThat(condition(account, "ScanSucceeded").status()).isEqualTo(Condition.TRUE);
    assertThat(account.getStatus().findings())
        .isEqualTo(new CloudAccountStatus.FindingCounts(1, 1, 0, 0, 0, 0, 2, 0));
    assertThat(account.getStatus().identity().accountId()).isEqualTo(specAccountId);
    assertThat(account.getStatus().lastScan().apiCalls()).isEqualTo(42);
    assertThat(account.getStatus().requiredPermissions())
        .contains(
            "ec2:DescribeSecurityGroups",
            "sts:GetCallerIdentity",
            "ec2:DescribeRegions",
            "iam:GetAccountSummary");
    assertThat(Instant.parse(account.getStatus().nextScanAt()))
        .isAfter(Instant.now().plus(Duration.ofHours(5)));
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.v1().events().inNamespace(ns).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "NewFindings".equals(e.getReason())
                                && "e2e".equals(e.getInvolvedObject().getName())
                                && e.getMessage()
                                    .startsWith("2 new critical/high findings (1 critical)")));

    // Fix the SSH group: that finding resolves, the other one is not written at all.
    var untouchedVersion = finding(expectedName(all)).getMetadata().getResourceVersion();
    scanner.script("e2e", in -> ScriptedScanner.outcome(in, List.of(all), Set.of(), List.of()));
    rescan("e2e", "7h");
    await()
        .atMost(WAIT)
        .until(
            () -> finding(expectedName(ssh)).getStatus().state() == FindingStatus.State.RESOLVED);
    var resolved = finding(expectedName(ssh)).getStatus();
    assertThat(resolved.resolvedAt()).isNotNull();
    assertThat(resolved.firstSeen()).isNotEqualTo(resolved.resolvedAt());
    assertThat(finding(expectedName(all)).getMetadata().getResourceVersion())
        .isEqualTo(untouchedVersion);
    await().atMost(WAIT).until(() -> get("e2e").getStatus().findings().high() == 0);
    assertThat(get("e2e").getStatus().findings().critical()).isEqualTo(1);

    // Steady state: the same results again must not write a single Finding.
    Thread.sleep(500);
    drainRequests();
    var resolvedVersion = finding(expectedName(ssh)).getMetadata().getResourceVersion();
    rescan("e2e", "8h");
    Thread.sleep(1000);
    var requests = drainRequests();
    var findingWrites =
        requests.stream().filter(r -> isWrite(r) && r.getPath().contains("/findings")).toList();
    assertThat(findingWrites).as("Finding writes on an unchanged rescan").isEmpty();
    var statusWrites =
        requests.stream()
            .filter(r -> isWrite(r) && r.getPath().contains("/cloudaccounts/e2e/status"))
            .map(r -> r.getBody().readUtf8())
            .toList();
    // The rescan was requested by a spec edit: observedGeneration moved, so exactly one status
    // change. A timer-driven rescan writes none (timerRescansOfAnUnchangedAccountWriteNothing).
    // Under heavy load the mock server's watch can hand the reconciler its cached copy from before
    // that write, and the same patch is sent again: one distinct body, at most twice.
    assertThat(statusWrites).hasSizeBetween(1, 2);
    assertThat(new java.util.HashSet<>(statusWrites)).hasSize(1);
    assertThat(finding(expectedName(ssh)).getMetadata().getResourceVersion())
        .isEqualTo(resolvedVersion);
    assertThat(finding(expectedName(all)).getMetadata().getResourceVersion())
        .isEqualTo(untouchedVersion);
  }

  @Test
  void exceptionSuppressesAndItsExpiryReopens() {
    var ssh = sg(TestRules.SSH, "sg-0ee9", "sg-0ee9 allows tcp/22 from 0.0.0.0/0");
    scanner.script("exc", in -> ScriptedScanner.outcome(in, List.of(ssh), Set.of(), List.of()));
    create("exc", Map.of("team", "exc"));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var f = finding(expectedName(ssh));
              return f != null
                  && f.getStatus() != null
                  && f.getStatus().state() == FindingStatus.State.OPEN;
            });

    var expires = Instant.now().plusSeconds(12).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    var policy = new PosturePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("exc-policy").build());
    policy.setSpec(
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                new Selector(Map.of("team", "exc"), null), null, null, null, null),
            null,
            List.of(
                new PosturePolicySpec.PolicyException(
                    "bastion",
                    List.of("aws-ec2-sg-ssh-open"),
                    new PosturePolicySpec.Match(
                        List.of(specAccountId),
                        null,
                        List.of(arn("sg-0ee9")),
                        null,
                        null,
                        null,
                        null),
                    "bastion host behind a VPN",
                    "net-team",
                    expires.toString()),
                new PosturePolicySpec.PolicyException(
                    "never-used",
                    List.of("aws-s3-*"),
                    new PosturePolicySpec.Match(
                        List.of("999999999999"), null, null, null, null, null, null),
                    "other account",
                    null,
                    null))));
    client.resource(policy).create();

    await()
        .atMost(WAIT)
        .until(
            () -> finding(expectedName(ssh)).getStatus().state() == FindingStatus.State.SUPPRESSED);
    var by = finding(expectedName(ssh)).getStatus().suppressedBy();
    assertThat(by.policy()).isEqualTo("exc-policy");
    assertThat(by.exception()).isEqualTo("bastion");
    assertThat(by.reason()).isEqualTo("bastion host behind a VPN");
    assertThat(Instant.parse(by.expiresAt())).isEqualTo(expires);
    await().atMost(WAIT).until(() -> get("exc").getStatus().findings().suppressed() == 1);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var s =
                  client.resources(PosturePolicy.class).withName("exc-policy").get().getStatus();
              return s != null
                  && s.unusedExceptions() != null
                  && s.unusedExceptions().equals(List.of("never-used"));
            });
    var status = client.resources(PosturePolicy.class).withName("exc-policy").get().getStatus();
    assertThat(status.conditions())
        .singleElement()
        .satisfies(c -> assertThat(c.status()).isEqualTo(Condition.TRUE));
    assertThat(status.matchedAccounts()).containsExactly(ns + "/exc");
    assertThat(status.enabledRules()).contains("aws-ec2-sg-ssh-open");

    // The exception expires: the finding reopens without anyone touching the objects.
    await()
        .atMost(Duration.ofSeconds(45))
        .until(() -> finding(expectedName(ssh)).getStatus().state() == FindingStatus.State.OPEN);
    assertThat(finding(expectedName(ssh)).getStatus().suppressedBy()).isNull();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var s =
                  client.resources(PosturePolicy.class).withName("exc-policy").get().getStatus();
              return s.expiredExceptions() != null && s.expiredExceptions().contains("bastion");
            });
    client.resources(PosturePolicy.class).withName("exc-policy").delete();
  }

  @Test
  void accessDeniedKeepsThatServiceFindingsOpenAndDegradesWithTheCause() {
    var ssh = sg(TestRules.SSH, "sg-0dd5", "sg-0dd5 allows tcp/22 from 0.0.0.0/0");
    var b = bucket("logs-bucket");
    scanner.script("deg", in -> ScriptedScanner.outcome(in, List.of(ssh, b), Set.of(), List.of()));
    create("deg", Map.of());
    await()
        .atMost(WAIT)
        .until(
            () ->
                findings("deg").size() == 2
                    && findings("deg").stream().allMatch(f -> f.getStatus() != null));
    var sshVersion = finding(expectedName(ssh)).getMetadata().getResourceVersion();

    var denied =
        new CloudAccountStatus.ScanError(
            "ec2",
            "eu-west-1",
            "AccessDenied",
            "not authorized to perform ec2:DescribeSecurityGroups");
    scanner.script(
        "deg",
        in ->
            ScriptedScanner.outcome(
                in,
                List.of(b),
                Set.of(
                    new RuleRegion("aws-ec2-sg-ssh-open", "eu-west-1"),
                    new RuleRegion("aws-ec2-sg-all-ports-open", "eu-west-1")),
                List.of(denied)));
    rescan("deg", "7h");
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var d = condition(get("deg"), "Degraded");
              return d != null && Condition.TRUE.equals(d.status());
            });
    var account = get("deg");
    assertThat(condition(account, "Degraded").message())
        .contains("ec2 in eu-west-1: AccessDenied")
        .contains("ec2:DescribeSecurityGroups");
    assertThat(account.getStatus().lastScan().errors()).containsExactly(denied);
    assertThat(condition(account, "Ready").status()).isEqualTo(Condition.TRUE);
    var f = finding(expectedName(ssh));
    assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(f.getMetadata().getResourceVersion()).isEqualTo(sshVersion);
    assertThat(account.getStatus().findings().high()).isEqualTo(1);
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.v1().events().inNamespace(ns).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "ScanDegraded".equals(e.getReason())
                                && "deg".equals(e.getInvolvedObject().getName())));
  }

  @Test
  void suspendStopsScanningAndDeletingTheAccountRemovesItsFindings() throws Exception {
    var ssh = sg(TestRules.SSH, "sg-0ff7", "sg-0ff7 allows tcp/22 from 0.0.0.0/0");
    scanner.script("gone", in -> ScriptedScanner.outcome(in, List.of(ssh), Set.of(), List.of()));
    create("gone", Map.of());
    await().atMost(WAIT).until(() -> findings("gone").size() == 1);
    awaitStatusSettled("gone");

    Conflicts.retry(
        () ->
            client
                .resources(CloudAccount.class)
                .inNamespace(ns)
                .withName("gone")
                .edit(
                    a -> {
                      a.setSpec(
                          new CloudAccountSpec(
                              a.getSpec().provider(),
                              a.getSpec().accountId(),
                              a.getSpec().regions(),
                              null,
                              new CloudAccountSpec.Scan("7h", true, null),
                              null));
                      return a;
                    }));
    await().atMost(WAIT).until(() -> "Suspended".equals(condition(get("gone"), "Ready").reason()));
    var calls = scanner.calls("gone");
    Thread.sleep(1500);
    assertThat(scanner.calls("gone")).isEqualTo(calls);
    assertThat(get("gone").getStatus().nextScanAt()).isNull();
    assertThat(findings("gone")).hasSize(1);

    client.resources(CloudAccount.class).inNamespace(ns).withName("gone").delete();
    await().atMost(WAIT).until(() -> findings("gone").isEmpty() && get("gone") == null);
  }

  @Test
  void invalidPolicyIsRejectedNamingTheFieldAndTheFix() {
    var policy = new PosturePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("typo").build());
    policy.setSpec(
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                null, null, new RuleSelection(List.of("aws-ec2-sg-shh-open"), null), null, null),
            null,
            null));
    client.resource(policy).create();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var s = client.resources(PosturePolicy.class).withName("typo").get().getStatus();
              return s != null && s.conditions() != null && !s.conditions().isEmpty();
            });
    var c =
        client
            .resources(PosturePolicy.class)
            .withName("typo")
            .get()
            .getStatus()
            .conditions()
            .get(0);
    assertThat(c.type()).isEqualTo("Accepted");
    assertThat(c.status()).isEqualTo(Condition.FALSE);
    assertThat(c.reason()).isEqualTo("InvalidSpec");
    assertThat(c.message())
        .contains("spec.cloud.rules.include[0]")
        .contains("did you mean aws-ec2-sg-ssh-open");
    client.resources(PosturePolicy.class).withName("typo").delete();
  }

  Double lastFinishedGauge(String account) {
    var g =
        registry
            .find("parapet_scan_last_finished_timestamp_seconds")
            .tags("namespace", ns, "account", account)
            .gauge();
    return g == null ? null : g.value();
  }

  @Test
  void timerRescansOfAnUnchangedAccountWriteNothing() throws Exception {
    var ssh = sg(TestRules.SSH, "sg-0ff1", "sg-0ff1 allows tcp/22 from 0.0.0.0/0");
    scanner.script("steady", in -> ScriptedScanner.outcome(in, List.of(ssh), Set.of(), List.of()));
    create("steady", Map.of(), "2s");
    await()
        .atMost(WAIT)
        .until(
            () ->
                finding(expectedName(ssh)) != null
                    && finding(expectedName(ssh)).getStatus() != null);
    awaitStatusSettled("steady");
    var status = get("steady").getStatus();
    var findingVersion = finding(expectedName(ssh)).getMetadata().getResourceVersion();
    Thread.sleep(500);
    drainRequests();
    var before = scanner.calls("steady");
    var freshness = lastFinishedGauge("steady");
    assertThat(freshness).isNotNull();

    // No spec or policy change: only the 2s timer rescans, with the same results each time.
    await().atMost(WAIT).until(() -> scanner.calls("steady") >= before + 3);
    await().atMost(WAIT).until(() -> lastFinishedGauge("steady") > freshness);
    Thread.sleep(500);
    var writes =
        drainRequests().stream()
            .filter(CloudAccountReconcilerTest::isWrite)
            .filter(
                r ->
                    r.getPath().contains("/findings/" + expectedName(ssh))
                        || r.getPath().contains("/cloudaccounts/steady"))
            .map(r -> r.getMethod() + " " + r.getPath())
            .toList();
    assertThat(writes).as("writes to Findings and CloudAccounts during timer rescans").isEmpty();
    assertThat(get("steady").getStatus()).isEqualTo(status);
    assertThat(finding(expectedName(ssh)).getMetadata().getResourceVersion())
        .isEqualTo(findingVersion);

    // A change in the results is written at once, with fresh timing.
    scanner.script("steady", in -> ScriptedScanner.outcome(in, List.of(), Set.of(), List.of()));
    await()
        .atMost(WAIT)
        .until(
            () -> finding(expectedName(ssh)).getStatus().state() == FindingStatus.State.RESOLVED);
    await().atMost(WAIT).until(() -> get("steady").getStatus().findings().high() == 0);
    assertThat(Instant.parse(get("steady").getStatus().lastScan().finishedAt()))
        .isAfter(Instant.parse(status.lastScan().finishedAt()));

    client.resources(CloudAccount.class).inNamespace(ns).withName("steady").delete();
    await().atMost(WAIT).until(() -> get("steady") == null);
    await().atMost(WAIT).until(() -> lastFinishedGauge("steady") == null);
  }

  @Test
  void serviceScopeRunsOnlyInScopeRulesAndResolvesFindingsOfRulesItTakesOut() {
    var ssh = sg(TestRules.SSH, "sg-05c0", "sg-05c0 allows tcp/22 from 0.0.0.0/0");
    var b = bucket("scoped-bucket");
    var root = rootMfa();
    scanner.script(
        "scoped", in -> ScriptedScanner.outcome(in, List.of(ssh, b, root), Set.of(), List.of()));
    create("scoped", Map.of("team", "scoped"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                findings("scoped").size() == 3
                    && findings("scoped").stream().allMatch(f -> f.getStatus() != null));
    awaitStatusSettled("scoped");
    assertThat(get("scoped").getStatus().requiredPermissions())
        .contains("s3:GetBucketVersioning", "iam:GetAccountSummary");

    // The existing behaviour when a PosturePolicy stops enabling a rule: the rescan that the
    // policy change triggers no longer runs it, so its findings are resolved.
    var policy = new PosturePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("scoped-no-root").build());
    policy.setSpec(
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                new Selector(Map.of("team", "scoped"), null),
                null,
                new RuleSelection(null, List.of("aws-iam-root-mfa-off")),
                null,
                null),
            null,
            null));
    client.resource(policy).create();
    await()
        .atMost(WAIT)
        .until(
            () -> finding(expectedName(root)).getStatus().state() == FindingStatus.State.RESOLVED);
    var byPolicy = finding(expectedName(root)).getStatus();
    awaitStatusSettled("scoped");

    // The account's scope: include [ec2, s3] but exclude [s3] (exclude wins) = EC2 only.
    var sshVersion = finding(expectedName(ssh)).getMetadata().getResourceVersion();
    var before = scanner.calls("scoped");
    setServices("scoped", new CloudAccountSpec.Services(List.of("ec2", "s3"), List.of("s3")));
    await().atMost(WAIT).until(() -> scanner.calls("scoped") > before);
    await()
        .atMost(WAIT)
        .until(() -> finding(expectedName(b)).getStatus().state() == FindingStatus.State.RESOLVED);
    awaitStatusSettled("scoped");
    var input = scanner.lastInput("scoped");
    assertThat(input.policy().enabledRules())
        .containsExactly("aws-ec2-sg-all-ports-open", "aws-ec2-sg-ssh-open");
    assertThat(input.policy().severities().keySet())
        .containsExactly("aws-ec2-sg-all-ports-open", "aws-ec2-sg-ssh-open");
    assertThat(input.policy().scope().include()).containsExactly("ec2", "s3");
    assertThat(input.policy().scope().exclude()).containsExactly("s3");
    var account = get("scoped");
    assertThat(account.getStatus().requiredPermissions())
        .containsExactly(
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeRegions",
            "ec2:DescribeSecurityGroups",
            "sts:GetCallerIdentity");
    // Out of scope: resolved exactly like the finding of the rule the policy stopped enabling.
    var byScope = finding(expectedName(b)).getStatus();
    for (var resolved : List.of(byPolicy, byScope)) {
      assertThat(resolved.state()).isEqualTo(FindingStatus.State.RESOLVED);
      assertThat(resolved.resolvedAt()).isNotNull();
      assertThat(resolved.lastTransitionTime()).isEqualTo(resolved.resolvedAt());
      assertThat(resolved.firstSeen()).isNotEqualTo(resolved.resolvedAt());
      assertThat(resolved.suppressedBy()).isNull();
    }
    assertThat(finding(expectedName(root)).getStatus()).isEqualTo(byPolicy);
    // In scope and still failing: untouched.
    assertThat(finding(expectedName(ssh)).getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(finding(expectedName(ssh)).getMetadata().getResourceVersion()).isEqualTo(sshVersion);
    assertThat(account.getStatus().findings())
        .isEqualTo(new CloudAccountStatus.FindingCounts(0, 1, 0, 0, 0, 0, 1, 0));
    assertThat(condition(account, "Ready").status()).isEqualTo(Condition.TRUE);

    // Widening the scope again runs the S3 rule again: its finding reopens.
    var widened = scanner.calls("scoped");
    setServices("scoped", null);
    await().atMost(WAIT).until(() -> scanner.calls("scoped") > widened);
    await()
        .atMost(WAIT)
        .until(() -> finding(expectedName(b)).getStatus().state() == FindingStatus.State.OPEN);
    assertThat(scanner.lastInput("scoped").policy().enabledRules())
        .contains("aws-s3-versioning-off")
        .doesNotContain("aws-iam-root-mfa-off");
    client.resources(PosturePolicy.class).withName("scoped-no-root").delete();
  }

  @Test
  void unknownServiceIsReportedInStatusNothingIsScannedAndFindingsAreKept() {
    var ssh = sg(TestRules.SSH, "sg-07d1", "sg-07d1 allows tcp/22 from 0.0.0.0/0");
    scanner.script(
        "typo-svc", in -> ScriptedScanner.outcome(in, List.of(ssh), Set.of(), List.of()));
    create("typo-svc", Map.of());
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var f = finding(expectedName(ssh));
              return f != null && f.getStatus() != null;
            });
    awaitStatusSettled("typo-svc");
    var version = finding(expectedName(ssh)).getMetadata().getResourceVersion();
    var permissions = get("typo-svc").getStatus().requiredPermissions();
    var calls = scanner.calls("typo-svc");

    // The mock API server does not enforce the CRD schema, like an old CRD without the enum.
    setServices("typo-svc", new CloudAccountSpec.Services(List.of("ec2", "ec3"), null));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var a = get("typo-svc");
              var ready = condition(a, "Ready");
              return a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration())
                  && ready != null
                  && "InvalidSpec".equals(ready.reason());
            });
    var account = get("typo-svc");
    var ready = condition(account, "Ready");
    assertThat(ready.status()).isEqualTo(Condition.FALSE);
    assertThat(ready.message())
        .contains("spec.scan.services.include[1]: unknown service 'ec3'")
        .contains(
            "valid values: accessanalyzer, cloudtrail, cloudwatch, config, ec2, ecr, efs, eks, elb, guardduty, iam, kms, lambda, rds, s3, secretsmanager, securityhub, sns, sqs")
        .contains("No scans run");
    assertThat(account.getStatus().nextScanAt()).isNull();
    assertThat(account.getStatus().requiredPermissions()).isEqualTo(permissions);
    assertThat(scanner.calls("typo-svc")).isEqualTo(calls);
    assertThat(finding(expectedName(ssh)).getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(finding(expectedName(ssh)).getMetadata().getResourceVersion()).isEqualTo(version);

    // Fixing the value scans again, within the scope.
    setServices("typo-svc", new CloudAccountSpec.Services(List.of("ec2"), null));
    await().atMost(WAIT).until(() -> scanner.calls("typo-svc") > calls);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var a = get("typo-svc");
              return a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration())
                  && "Scanned".equals(condition(a, "Ready").reason());
            });
    assertThat(scanner.lastInput("typo-svc").policy().enabledRules())
        .containsExactly("aws-ec2-sg-all-ports-open", "aws-ec2-sg-ssh-open");
    assertThat(finding(expectedName(ssh)).getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
  }
}
