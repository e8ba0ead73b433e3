package dev.parapet.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.Severity;
import dev.parapet.e2e.chart.ChartController;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;

/**
 * Issue 4's restart case, as a pod kill on the real API server: the packaged controller (the chart
 * installed by Helm, its ServiceAccount's token and RBAC, leader election on, server-side apply on)
 * is killed with SIGKILL while the first scan of a CloudAccount is running, and a new controller
 * process (a new pod: another pod name) takes over. Moto sits behind a WireMock proxy that delays
 * every AWS call, so the scan of two regions lasts several seconds and the kill lands inside it.
 * After the second process finishes its scan, every Finding the same scan yields in a clean single
 * run exists exactly once, Open, and the account's status counts match the Findings.
 *
 * <p>The killed process never releases the Lease. Its duration is JOSDK's default (15 s; the
 * operator does not make it configurable), so the new process waits that out before it reconciles;
 * the test allows for it rather than shortening it.
 */
class ControllerRestartOnRealServerTest {

  private static final String NS = RealController.NS;
  private static final String TEAM = "team-restart";
  private static final String ACCOUNT = "moto-restart";
  private static final String POLICY = "restart-ec2";
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
  private static final int LATENCY_MILLIS = 400;
  private static final String FIRST_POD = "parapet-controller-7d9f-first";
  private static final String SECOND_POD = "parapet-controller-7d9f-second";

  private static RealControllers chart;
  private static KubernetesClient client;
  private static MotoProxy proxy;
  private static Set<String> seeded;
  private static Set<String> expected;

  @BeforeAll
  static void seedAndInstall() throws Exception {
    chart = RealControllers.install(List.of(TEAM));
    client = chart.client();

    // AWS, in two regions: groups open to SSH / RDP from anywhere, each in use, and an instance
    // that allows IMDSv1.
    var moto = MotoServer.shared();
    moto.reset();
    seeded = new TreeSet<>();
    var seed = new AwsSeed(moto);
    try (var ec2 = seed.ec2("us-east-1")) {
      var ssh = AwsSeed.securityGroup(ec2, "restart-ssh", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      var rdp = AwsSeed.securityGroup(ec2, "restart-rdp", AwsSeed.tcp(3389, 3389, "0.0.0.0/0"));
      var both =
          AwsSeed.securityGroup(
              ec2,
              "restart-both",
              AwsSeed.tcp(22, 22, "0.0.0.0/0"),
              AwsSeed.tcp(3389, 3389, "0.0.0.0/0"));
      AwsSeed.attach(ec2, ssh, rdp, both);
      var imdsV1 =
          ec2.runInstances(
                  b ->
                      b.imageId(AwsSeed.anyImage(ec2))
                          .minCount(1)
                          .maxCount(1)
                          .metadataOptions(m -> m.httpTokens(HttpTokensState.OPTIONAL)))
              .instances()
              .get(0)
              .instanceId();
      seeded.add(key("aws-ec2-sg-ssh-open", "us-east-1", ssh));
      seeded.add(key("aws-ec2-sg-ssh-open", "us-east-1", both));
      seeded.add(key("aws-ec2-sg-rdp-open", "us-east-1", rdp));
      seeded.add(key("aws-ec2-sg-rdp-open", "us-east-1", both));
      seeded.add(key("aws-ec2-imdsv2-not-required", "us-east-1", imdsV1));
    }
    try (var ec2 = seed.ec2("eu-west-1")) {
      var ssh = AwsSeed.securityGroup(ec2, "restart-ssh", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      AwsSeed.attach(ec2, ssh);
      seeded.add(key("aws-ec2-sg-ssh-open", "eu-west-1", ssh));
    }

    // The expectation: what one clean, uninterrupted scan with the same rules yields.
    expected = RealControllers.cleanScan(moto, REGIONS, ChartController.EC2_ONLY_EXCLUDED);
    assertThat(expected).as("a clean scan finds the seeded misconfigurations").containsAll(seeded);
    // The controllers' proxy: every AWS call answers after a delay; it counts only their calls.
    proxy = chart.proxy(moto, LATENCY_MILLIS);

    // What a user applies: the policy, the fake moto keys and the account (AWS through the proxy).
    chart.applyEc2OnlyPolicy(POLICY);
    chart.applyMotoAccount(TEAM, ACCOUNT, REGIONS, proxy.endpoint().toString());
  }

  @AfterAll
  static void stop() {
    if (chart != null) {
      chart.close();
    }
  }

  @Test
  void aControllerKilledMidScanLosesAndDuplicatesNoFinding() throws Exception {
    var first = chart.start(FIRST_POD);

    // Mid-scan: the account says its first scan is running and AWS calls are going through.
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(100))
        .failFast(
            () ->
                assertThat(first.alive())
                    .as("the first controller is running" + first.logTail())
                    .isTrue())
        .until(
            () -> {
              var ready = ChartController.condition(account(), "Ready");
              // Past sts:GetCallerIdentity: the scan's collection calls are on their way.
              return ready != null && "Scanning".equals(ready.reason()) && proxy.requests() >= 2;
            });
    first.process().destroyForcibly();
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS))
        .as("the killed process exits")
        .isTrue();
    var callsAtKill = proxy.requests();
    var findingsAtKill = findings().size();
    assertThat(callsAtKill).as("AWS calls before the kill").isPositive();
    assertThat(account().getStatus().lastScan())
        .as("the kill landed before the first scan finished" + first.logTail())
        .isNull();
    System.out.printf(
        "[restart-e2e] killed the first controller after %d AWS calls, with %d Findings written%n",
        callsAtKill, findingsAtKill);

    // A new pod with the same env. It takes over once the killed pod's Lease expires.
    var second = chart.start(SECOND_POD);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .failFast(
            () ->
                assertThat(second.alive())
                    .as("the second controller is running" + second.logTail())
                    .isTrue())
        .untilAsserted(
            () -> {
              var a = account();
              assertThat(a.getStatus()).as("CloudAccount status").isNotNull();
              assertThat(a.getStatus().lastScan()).as("lastScan" + second.logTail()).isNotNull();
              assertThat(ChartController.condition(a, "ScanSucceeded")).isNotNull();
              assertThat(ChartController.condition(a, "Ready")).isNotNull();
              assertThat(ChartController.condition(a, "Ready").reason()).isNotEqualTo("Scanning");
            });

    var account = account();
    var status = account.getStatus();
    assertThat(ChartController.condition(account, "ScanSucceeded").status())
        .as(status.toString())
        .isEqualTo(Condition.TRUE);
    assertThat(ChartController.condition(account, "Ready").status())
        .as(status.toString())
        .isEqualTo(Condition.TRUE);
    // The collection fans out in parallel, so the killed process may have sent most of a scan's
    // calls (the proxy counts a call when it arrives); what makes the kill mid-scan is that the
    // scan never finished (no lastScan, checked at the kill).
    var callsAfterKill = proxy.requests() - callsAtKill;
    assertThat(callsAfterKill).as("AWS calls of the new process's own scan").isPositive();
    assertThat(
            client
                .leases()
                .inNamespace(NS)
                .withName(ChartController.NAME)
                .get()
                .getSpec()
                .getHolderIdentity())
        .as("the new pod holds the Lease")
        .isEqualTo(SECOND_POD);

    // Exactly the clean run's findings, each once, all Open.
    var findings = findings();
    var keys = findings.stream().map(RealControllers::key).toList();
    assertThat(new HashSet<>(keys)).as("no duplicate rule+resource").hasSameSizeAs(keys);
    assertThat(new TreeSet<>(keys)).as("none lost, none extra").isEqualTo(expected);
    assertThat(findings)
        .allSatisfy(
            f -> {
              assertThat(f.getStatus()).as(f.getMetadata().getName()).isNotNull();
              assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
              assertThat(f.getMetadata().getName()).startsWith(f.getSpec().rule().id() + "-");
              assertThat(f.getMetadata().getLabels())
                  .containsEntry(Finding.LABEL_SOURCE, "aws")
                  .containsEntry(Finding.LABEL_ACCOUNT, MotoServer.ACCOUNT_ID);
              assertThat(f.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(o -> assertThat(o.getUid()).isEqualTo(account.getMetadata().getUid()));
            });

    // The status counts are those of the Findings.
    var counts = status.findings();
    assertThat(counts).as(status.toString()).isNotNull();
    assertThat(counts.total()).isEqualTo(findings.size());
    assertThat(counts.truncated()).isZero();
    assertThat(counts.suppressed()).isZero();
    assertThat(counts.critical()).isEqualTo(bySeverity(findings, Severity.CRITICAL));
    assertThat(counts.high()).isEqualTo(bySeverity(findings, Severity.HIGH));
    assertThat(counts.medium()).isEqualTo(bySeverity(findings, Severity.MEDIUM));
    assertThat(counts.low()).isEqualTo(bySeverity(findings, Severity.LOW));
    assertThat(counts.informational()).isEqualTo(bySeverity(findings, Severity.INFORMATIONAL));
    System.out.printf(
        "[restart-e2e] %d Findings after the restart (%d expected); AWS calls: %d before the kill,"
            + " %d after%n",
        findings.size(), expected.size(), callsAtKill, callsAfterKill);
  }

  /** Every Finding in the account's namespace (it holds no workloads for the cluster audit). */
  private static List<Finding> findings() {
    return client.resources(Finding.class).inNamespace(TEAM).list().getItems();
  }

  private static CloudAccount account() {
    return client.resources(CloudAccount.class).inNamespace(TEAM).withName(ACCOUNT).get();
  }

  private static long bySeverity(List<Finding> findings, Severity severity) {
    return findings.stream()
        .filter(
            f ->
                severity
                    .wireValue()
                    .equals(f.getMetadata().getLabels().get(Finding.LABEL_SEVERITY)))
        .count();
  }

  private static String key(String rule, String region, String id) {
    return RealControllers.key(rule, region, id);
  }
}
