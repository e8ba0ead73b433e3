package dev.parapet.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.e2e.chart.ChartController;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged controller against the real API server and moto, as the chart runs it: the chart
 * installed by Helm (ServiceAccount, RBAC, Lease name), the controller running with its
 * ServiceAccount's token and leader election on, so a missing permission, a schema the server
 * refuses or a write the real server treats differently fails here.
 *
 * <p>Every test needs "a leader", not a particular process: {@link #leader} is whichever pod holds
 * the Lease; the handover test replaces it.
 */
class ControllerOnRealServerTest {

  private static final String NS = RealController.NS;
  private static final String TEAM = "team-a";
  private static final String HANDOVER = "team-b";
  private static final Set<String> POSTURE = Set.of("cloudaccounts", "findings");

  private static RealControllers chart;
  private static KubeCluster cluster;
  private static KubernetesClient admin;
  private static MotoServer moto;
  private static String openSsh;
  private static volatile RealController leader;
  private static RealController standby;
  private static int pods;

  @BeforeAll
  static void installAndStart() {
    chart = RealControllers.install(List.of(TEAM, HANDOVER));
    cluster = chart.cluster();
    admin = chart.client();

    moto = MotoServer.shared();
    moto.reset();
    try (var ec2 = new AwsSeed(moto).ec2("us-east-1")) {
      openSsh = AwsSeed.securityGroup(ec2, "real-ssh", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      AwsSeed.attach(ec2, openSsh);
    }
    apply(
        """
        apiVersion: parapet.dev/v1alpha1
        kind: PosturePolicy
        metadata: {name: real-server}
        spec:
          cloud:
            rules: {include: ["aws-ec2-sg-*"]}
          admission:
            enforcement: Audit
            forbiddenPorts: [{port: 22, protocol: TCP}]
        """);
    leader = chart.start(nextPod());
    awaitLeader(leader);
  }

  @AfterAll
  static void stopAndUninstall() {
    if (chart != null) {
      cluster.kubectl("delete", "cloudaccounts", "--all", "-A", "--wait=false");
      cluster.kubectl("delete", "posturepolicy", "real-server", "--ignore-not-found");
      chart.close();
    }
  }

  @Test
  void theLeaderHoldsItsLeaseAcrossRenewalsUnderTheChartsRbac() {
    // From here on: whatever ran before (the handover test's standby contending for the Lease, or
    // another class's replicas under the same ServiceAccount) wrote Leases this test does not
    // judge.
    var mark = AuditLog.mark(cluster);
    var holder = leader;
    var renewals = new TreeSet<String>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              var lease = lease();
              assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(holder.podName());
              renewals.add(String.valueOf(lease.getSpec().getRenewTime()));
              assertThat(renewals).as("distinct renewTimes seen").hasSizeGreaterThanOrEqualTo(4);
            });
    assertThat(holder.alive()).as("the leader is running" + holder.logTail()).isTrue();
    assertThat(holder.log()).doesNotContain("Stopped leading").doesNotContain(" 403");
    // The renewals seen above were written by the controller's own ServiceAccount and all
    // succeeded.
    var leaseWrites =
        AuditLog.writesBy(cluster, RealController.USER, Set.of("leases"), mark).stream()
            .filter(w -> w.name().equals(ChartController.NAME))
            .toList();
    assertThat(leaseWrites)
        .as("Lease writes since this test started")
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(w -> assertThat(w.code()).as(w.toString()).isLessThan(300));
    // Issue 11: a 422 on the PosturePolicy status patch at every start (a JSON patch computed
    // from a stale cache). With server-side apply no write of the controller's is refused.
    var policyStatus =
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () -> admin.resources(PosturePolicy.class).withName("real-server").get(),
                p -> p != null && p.getStatus() != null);
    assertThat(appliedBy(policyStatus.getMetadata().getManagedFields(), "status"))
        .as("the PosturePolicy status is written with server-side apply")
        .isTrue();
    // Every one since the API server started (a refused PosturePolicy write is a bug whichever
    // controller sent it, so the order the tests ran in does not matter here).
    assertThat(AuditLog.writesBy(cluster, RealController.USER, Set.of("posturepolicies"), 0))
        .as("the controller's PosturePolicy writes since it started")
        .allSatisfy(w -> assertThat(w.code()).as(w.toString()).isLessThan(300));
  }

  @Test
  void aMotoAccountGetsFindingsAndAnUnchangedRescanWritesNothing() {
    applyAccount(NS, "prod", "1m");
    var account =
        await()
            .atMost(Duration.ofMinutes(3))
            .until(() -> account(NS, "prod"), a -> "True".equals(status(a, "Ready")));
    assertThat(status(account, "ScanSucceeded")).isEqualTo("True");
    assertThat(status(account, "CredentialsValid")).isEqualTo("True");
    // Server-side apply on: the controller wrote the status and the finalizer as `Apply` (the
    // user's `kubectl apply` shows as an `Update` by kubectl).
    var managed = account.getMetadata().getManagedFields();
    assertThat(appliedBy(managed, "status")).as("status applied; " + managed).isTrue();
    assertThat(appliedBy(managed, "")).as("finalizer applied; " + managed).isTrue();
    assertThat(account.getMetadata().getFinalizers()).isNotEmpty();
    var finding = findingFor(NS, "aws-ec2-sg-ssh-open", openSsh);
    assertThat(finding.getMetadata().getName()).startsWith("aws-ec2-sg-ssh-open-");
    assertThat(finding.getSpec().resource().region()).isEqualTo("us-east-1");
    assertThat(finding.getMetadata().getLabels())
        .containsEntry(Finding.LABEL_SEVERITY, "high")
        .containsEntry(Finding.LABEL_SOURCE, "aws")
        .containsEntry(Finding.LABEL_ACCOUNT, MotoServer.ACCOUNT_ID);
    assertThat(finding.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("CloudAccount");
              assertThat(o.getName()).isEqualTo("prod");
              assertThat(o.getUid()).isEqualTo(account.getMetadata().getUid());
            });
    assertThat(finding.getStatus().state().toString()).isEqualToIgnoringCase("Open");
    var scanned = account.getStatus();
    assertThat(scanned.lastScan().finishedAt()).isNotBlank();
    assertThat(scanned.lastScan().apiCalls()).isPositive();
    assertThat(scanned.lastScan().regions())
        .anySatisfy(
            r -> {
              assertThat(r.name()).isEqualTo("us-east-1");
              // Partial: moto does not implement ec2:GetSnapshotBlockPublicAccessState.
              assertThat(r.state()).isIn("Scanned", "Partial");
            });
    assertThat(scanned.identity().accountId()).isEqualTo(MotoServer.ACCOUNT_ID);

    // What a user sees, kept beside the test output (docs/install.md quotes it).
    var accounts = cluster.kubectl("get", "cloudaccounts", "-n", NS);
    var findings = cluster.kubectl("get", "findings", "-n", NS);
    assertThat(accounts.stdout())
        .containsPattern("prod\\s+123456789012\\s+True\\s+\\d+\\s+\\d+\\s");
    assertThat(findings.stdout())
        .contains("aws-ec2-sg-ssh-open")
        .contains(openSsh)
        .contains("Open");
    try {
      java.nio.file.Files.writeString(
          cluster.dir().resolve("sample-output.txt"),
          "$ kubectl get cloudaccounts -n "
              + NS
              + "\n"
              + accounts.stdout()
              + "\n$ kubectl get findings -n "
              + NS
              + "\n"
              + findings.stdout());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    // The first scan has settled: from here the next scan (interval 1m) must write nothing.
    var scansBefore = scansFinished("prod");
    var mark = AuditLog.mark(cluster);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> scansFinished("prod") > scansBefore);
    assertThat(AuditLog.writesBy(cluster, RealController.USER, POSTURE, mark))
        .as("writes of an unchanged rescan")
        .isEmpty();
  }

  @Test
  void triageLabelsSurviveResolveAndReopenAndKubectlSelectsAndShowsThem() {
    String group;
    try (var ec2 = new AwsSeed(moto).ec2("us-east-1")) {
      group = AwsSeed.securityGroup(ec2, "triage-ssh", AwsSeed.tcp(22, 22, "0.0.0.0/0"));
      AwsSeed.attach(ec2, group);
    }
    applyAccount(TEAM, "triaged", "1m");
    try {
      var finding =
          await()
              .atMost(Duration.ofMinutes(3))
              .until(
                  () -> findingOrNull(TEAM, "aws-ec2-sg-ssh-open", group),
                  f -> f != null && f.getStatus() != null);
      var name = finding.getMetadata().getName();
      assertThat(finding.getMetadata().getAnnotations())
          .containsAllEntriesOf(Finding.ARGOCD_ANNOTATIONS);

      var label =
          cluster.kubectl(
              "label",
              "finding",
              "-n",
              TEAM,
              name,
              "parapet.dev/owner=team-net",
              "parapet.dev/triage=acknowledged");
      assertThat(label.exit()).as(label.all()).isZero();
      var annotate =
          cluster.kubectl("annotate", "finding", "-n", TEAM, name, "example.com/ticket=SEC-42");
      assertThat(annotate.exit()).as(annotate.all()).isZero();

      // Fixed in AWS: the next scan resolves it (a status write); the labels stay.
      try (var ec2 = new AwsSeed(moto).ec2("us-east-1")) {
        ec2.revokeSecurityGroupIngress(
            b -> b.groupId(group).ipPermissions(AwsSeed.tcp(22, 22, "0.0.0.0/0")));
      }
      var resolved =
          await()
              .atMost(Duration.ofMinutes(4))
              .pollInterval(Duration.ofSeconds(2))
              .until(
                  () -> findingOrNull(TEAM, "aws-ec2-sg-ssh-open", group),
                  f -> f.getStatus().state() == FindingStatus.State.RESOLVED);
      assertThat(resolved.getMetadata().getLabels())
          .containsEntry(Finding.LABEL_TRIAGE, "acknowledged")
          .containsEntry(Finding.LABEL_OWNER, "team-net");

      // Open again through a wider rule: the same Finding reopens with new evidence (a spec update,
      // which replaces the object, and a status update), says so, and keeps the user's labels.
      try (var ec2 = new AwsSeed(moto).ec2("us-east-1")) {
        ec2.authorizeSecurityGroupIngress(
            b -> b.groupId(group).ipPermissions(AwsSeed.tcp(20, 25, "0.0.0.0/0")));
      }
      var reopened =
          await()
              .atMost(Duration.ofMinutes(4))
              .pollInterval(Duration.ofSeconds(2))
              .until(
                  () -> findingOrNull(TEAM, "aws-ec2-sg-ssh-open", group),
                  f -> f.getStatus().state() == FindingStatus.State.OPEN);
      assertThat(reopened.getMetadata().getName()).isEqualTo(name);
      assertThat(reopened.getMetadata().getUid()).isEqualTo(finding.getMetadata().getUid());
      assertThat(reopened.getSpec().message()).contains("tcp 20-25");
      assertThat(reopened.getStatus().reopenCount()).isEqualTo(1);
      assertThat(reopened.getStatus().reopenedAt()).isNotBlank();
      assertThat(reopened.getStatus().firstSeen()).isEqualTo(finding.getStatus().firstSeen());
      assertThat(reopened.getMetadata().getLabels())
          .containsEntry(Finding.LABEL_TRIAGE, "acknowledged")
          .containsEntry(Finding.LABEL_OWNER, "team-net")
          .containsEntry(Finding.LABEL_SEVERITY, "high");
      assertThat(reopened.getMetadata().getAnnotations())
          .containsEntry("example.com/ticket", "SEC-42")
          .containsAllEntriesOf(Finding.ARGOCD_ANNOTATIONS);

      var selected =
          cluster.kubectl("get", "findings", "-n", TEAM, "-l", "parapet.dev/triage=acknowledged");
      assertThat(selected.exit()).as(selected.all()).isZero();
      assertThat(selected.stdout().lines().findFirst().orElse("")).contains("TRIAGE");
      assertThat(selected.stdout().lines().filter(l -> l.startsWith(name + " ")))
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .containsPattern("Open\\s+acknowledged\\s");
      var none =
          cluster.kubectl("get", "findings", "-n", TEAM, "-l", "parapet.dev/triage=risk-accepted");
      assertThat(none.stdout()).doesNotContain(name);
    } finally {
      for (var open : List.of(AwsSeed.tcp(22, 22, "0.0.0.0/0"), AwsSeed.tcp(20, 25, "0.0.0.0/0"))) {
        try (var ec2 = new AwsSeed(moto).ec2("us-east-1")) {
          ec2.revokeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(open));
        } catch (RuntimeException ignored) {
          // already revoked
        }
      }
      cluster.kubectl("delete", "cloudaccount", "-n", TEAM, "triaged", "--timeout=120s");
    }
  }

  @Test
  void twoCloudAccountsForOneAwsAccountInANamespace() {
    applyAccount(TEAM, "first", "6h");
    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> account(TEAM, "first"), a -> "True".equals(status(a, "Ready")));
    applyAccount(TEAM, "second", "6h");
    var second =
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> account(TEAM, "second"), a -> status(a, "Ready") != null);
    var ready = condition(second, "Ready");
    assertThat(ready.status()).isEqualTo("False");
    assertThat(ready.reason()).isEqualTo("DuplicateAccount");
    assertThat(ready.message()).contains("first").contains(MotoServer.ACCOUNT_ID);
    // The first keeps scanning and writing: its status never reports a failed Finding write.
    var first = account(TEAM, "first");
    assertThat(status(first, "Ready")).isEqualTo("True");
    assertThat(status(first, "ScanSucceeded")).isEqualTo("True");
    cluster.kubectl("delete", "cloudaccount", "-n", TEAM, "second", "first");
  }

  @Test
  void deletingACloudAccountRemovesItsFindingsAndItsFinalizer() {
    applyAccount(TEAM, "gone", "6h");
    await().atMost(Duration.ofMinutes(3)).until(() -> !findings(TEAM, "gone").isEmpty());
    var deleted = cluster.kubectl("delete", "cloudaccount", "-n", TEAM, "gone", "--timeout=120s");
    assertThat(deleted.exit()).as(deleted.all()).isZero();
    assertThat(account(TEAM, "gone")).isNull();
    await().atMost(Duration.ofSeconds(60)).until(() -> findings(TEAM, "gone").isEmpty());
  }

  @Test
  void workloadFindingsFollowTheirWorkloadThroughTheGarbageCollector() {
    var ns = "apps-gc";
    cluster.kubectl("create", "namespace", ns);
    apply(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: sshd, namespace: apps-gc}
        spec:
          replicas: 1
          selector: {matchLabels: {app: sshd}}
          template:
            metadata: {labels: {app: sshd}}
            spec:
              containers:
                - name: sshd
                  image: registry.invalid/sshd:1
                  ports: [{containerPort: 22}]
        """);
    var finding =
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    admin.resources(Finding.class).inNamespace(ns).list().getItems().stream()
                        .filter(f -> "port-forbidden".equals(f.getSpec().rule().id()))
                        .findFirst()
                        .orElse(null),
                f -> f != null);
    assertThat(finding.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Deployment");
              assertThat(o.getName()).isEqualTo("sshd");
            });
    cluster.kubectl("delete", "deployment", "-n", ns, "sshd", "--wait=false");
    // The controller-manager's garbage collector removes it (the audit may also resolve it first).
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> admin.resources(Finding.class).inNamespace(ns).list().getItems().isEmpty());
  }

  @Test
  void rbacRisksAreAuditedUnderTheChartsRbacAndFollowTheirBindings() {
    var ns = "apps-rbac";
    cluster.kubectl("create", "namespace", ns);
    apply(
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: ctl-exec}
        rules:
          - apiGroups: [""]
            resources: [pods/exec]
            verbs: [create]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: ctl-everyone-exec}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ctl-exec}
        subjects:
          - {kind: Group, apiGroup: rbac.authorization.k8s.io, name: system:authenticated}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: ctl-default-sa, namespace: apps-rbac}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ctl-exec}
        subjects:
          - {kind: ServiceAccount, name: default, namespace: apps-rbac}
        """);
    try {
      // The ClusterRoleBinding's Finding lives in the controller's namespace, the RoleBinding's in
      // its own: both written by the packaged controller with the chart's (read-only) RBAC grants.
      var exec =
          await().atMost(Duration.ofMinutes(2)).until(() -> rbac(NS, "ctl-"), f -> !f.isEmpty());
      assertThat(exec)
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.getSpec().rule().id()).isEqualTo("rbac-exec-broad-group");
                assertThat(f.getSpec().resource().kind()).isEqualTo("ClusterRoleBinding");
                assertThat(f.getSpec().message())
                    .contains("Group system:authenticated", "ClusterRole ctl-exec", "pods/exec");
                assertThat(f.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getName()).isEqualTo("ctl-everyone-exec"));
              });
      var defaultSa =
          await().atMost(Duration.ofMinutes(2)).until(() -> rbac(ns, "ctl-"), f -> !f.isEmpty());
      assertThat(defaultSa)
          .extracting(f -> f.getSpec().rule().id())
          .containsExactly("rbac-default-serviceaccount");

      // The RoleBinding now names a dedicated ServiceAccount: the risk is gone, the Finding
      // resolves (and stays for its retention).
      cluster.kubectl(
          "patch",
          "rolebinding",
          "-n",
          ns,
          "ctl-default-sa",
          "--type=json",
          "-p",
          "[{\"op\":\"replace\",\"path\":\"/subjects/0/name\",\"value\":\"shell\"}]");
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  rbac(ns, "ctl-").stream()
                      .allMatch(
                          f ->
                              f.getStatus() != null
                                  && f.getStatus().state() == FindingStatus.State.RESOLVED));
    } finally {
      cluster.kubectl("delete", "clusterrolebinding", "ctl-everyone-exec", "--ignore-not-found");
      cluster.kubectl("delete", "clusterrole", "ctl-exec", "--ignore-not-found");
    }
    // The binding is gone: the garbage collector removes its Finding (the audit may resolve first).
    await().atMost(Duration.ofMinutes(2)).until(() -> rbac(NS, "ctl-").isEmpty());
    cluster.kubectl("delete", "namespace", ns, "--wait=false");
  }

  /** The RBAC Findings of a namespace about bindings whose name starts with {@code prefix}. */
  private static List<Finding> rbac(String ns, String prefix) {
    return admin.resources(Finding.class).inNamespace(ns).list().getItems().stream()
        .filter(f -> f.getSpec().rule().id().startsWith("rbac-"))
        .filter(f -> f.getSpec().resource().name().startsWith(prefix))
        .toList();
  }

  @Test
  void aNamespaceWithAnAccountAndFindingsCanBeDeleted() {
    var ns = "team-doomed";
    cluster.kubectl("create", "namespace", ns);
    // The chart does not let the controller read Secrets here (not in secretNamespaces): the
    // account fails with a short message that says so, and keeps its finalizer and status.
    apply(
        """
        apiVersion: parapet.dev/v1alpha1
        kind: CloudAccount
        metadata: {name: doomed, namespace: team-doomed}
        spec:
          accountId: "123456789012"
          regions: [us-east-1]
          credentials: {secretRef: {name: aws-keys}}
          endpointOverride: "%s"
        """
            .formatted(moto.endpoint()));
    var account =
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> account(ns, "doomed"),
                a ->
                    a != null
                        && a.getMetadata().getFinalizers() != null
                        && "False".equals(status(a, "Ready")));
    var ready = condition(account, "Ready");
    assertThat(ready.message())
        .contains("may not read Secret team-doomed/aws-keys (HTTP 403)")
        .contains("controller.rbac.secretNamespaces")
        .doesNotContain("Failure executing")
        .hasSizeLessThan(400);
    var deleted = cluster.kubectl("delete", "namespace", ns, "--timeout=120s");
    assertThat(deleted.exit()).as(deleted.all()).isZero();
    assertThat(admin.namespaces().withName(ns).get()).isNull();
  }

  @Test
  void aStoppedLeaderReleasesItsLeaseAndTheNextOneTakesOverWithoutRewritingStatus() {
    applyAccount(HANDOVER, "handover", "6h");
    var before =
        await()
            .atMost(Duration.ofMinutes(3))
            .until(() -> account(HANDOVER, "handover"), a -> "True".equals(status(a, "Ready")));
    var readySince = condition(before, "Ready").lastTransitionTime();
    await().atMost(Duration.ofSeconds(30)).until(() -> !findings(HANDOVER, "handover").isEmpty());

    standby = chart.start(nextPod());
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> standby.log().contains(" started in ")); // Quarkus is up; the Lease is held
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(leader.podName());

    var mark = AuditLog.mark(cluster);
    var old = leader;
    var stoppedAt = Instant.now();
    old.stop();
    assertThat(old.log()).contains("released Lease");
    await()
        .atMost(Duration.ofSeconds(14)) // below the 15 s lease a killed leader leaves behind
        .pollInterval(Duration.ofMillis(200))
        .until(() -> standby.podName().equals(lease().getSpec().getHolderIdentity()));
    assertThat(Duration.between(stoppedAt, Instant.now())).isLessThan(Duration.ofSeconds(14));
    leader = standby;
    standby = null;

    // The new leader does not rescan an account scanned within its interval (issue 19: its next
    // due time comes from the persisted status): for 20 s after the takeover no scan of it ends,
    // Ready does not flip and nothing is written.
    var newLeader = leader;
    await()
        .during(Duration.ofSeconds(20))
        .atMost(Duration.ofSeconds(30))
        .until(() -> !newLeader.log().contains("scan of " + HANDOVER + "/handover"));
    var after = account(HANDOVER, "handover");
    assertThat(condition(after, "Ready").status()).isEqualTo("True");
    assertThat(condition(after, "Ready").lastTransitionTime()).isEqualTo(readySince);
    var writes = AuditLog.writesBy(cluster, RealController.USER, POSTURE, mark);
    assertThat(writes)
        .as("status or Finding writes during the handover")
        // Of the handed-over account (other tests change moto's state under the accounts of
        // other namespaces, whose 1m rescans then rightly write).
        .noneMatch(
            w ->
                HANDOVER.equals(w.namespace())
                    && ("handover".equals(w.name()) || w.name().startsWith("aws-")));
  }

  // --- helpers

  /** Whether a manager other than kubectl wrote {@code subresource} ("" = the object) by Apply. */
  private static boolean appliedBy(List<ManagedFieldsEntry> managed, String subresource) {
    return managed != null
        && managed.stream()
            .anyMatch(
                m ->
                    "Apply".equals(m.getOperation())
                        && !m.getManager().startsWith("kubectl")
                        && subresource.equals(
                            m.getSubresource() == null ? "" : m.getSubresource()));
  }

  private static String nextPod() {
    return "parapet-controller-6f7d9-" + (char) ('a' + pods++) + "x2k";
  }

  private static void awaitLeader(RealController c) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .failFast(() -> assertThat(c.alive()).as("controller running" + c.logTail()).isTrue())
        .until(() -> lease() != null && c.podName().equals(lease().getSpec().getHolderIdentity()));
  }

  private static Lease lease() {
    return admin.leases().inNamespace(NS).withName(ChartController.NAME).get();
  }

  private static void apply(String yaml) {
    var result = cluster.kubectlWithInput(yaml, "apply", "-f", "-");
    assertThat(result.exit()).as(result.all()).isZero();
  }

  /** A Secret with moto's fake keys and a CloudAccount reading them, EC2 in us-east-1 only. */
  private static void applyAccount(String ns, String name, String interval) {
    apply(
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: aws-keys, namespace: %s}
        stringData: {aws_access_key_id: %s, aws_secret_access_key: %s}
        ---
        apiVersion: parapet.dev/v1alpha1
        kind: CloudAccount
        metadata: {name: %s, namespace: %s}
        spec:
          accountId: "%s"
          regions: [us-east-1]
          credentials: {secretRef: {name: aws-keys}}
          scan: {interval: %s, services: {include: [ec2]}}
          endpointOverride: "%s"
        """
            .formatted(
                ns,
                MotoServer.ACCESS_KEY_ID,
                MotoServer.SECRET_ACCESS_KEY,
                name,
                ns,
                MotoServer.ACCOUNT_ID,
                interval,
                moto.endpoint()));
  }

  private static CloudAccount account(String ns, String name) {
    return admin.resources(CloudAccount.class).inNamespace(ns).withName(name).get();
  }

  private static Condition condition(CloudAccount a, String type) {
    return ChartController.condition(a, type);
  }

  private static String status(CloudAccount a, String type) {
    var c = condition(a, type);
    return c == null ? null : c.status();
  }

  private static List<Finding> findings(String ns, String account) {
    return admin.resources(Finding.class).inNamespace(ns).list().getItems().stream()
        .filter(
            f ->
                f.getMetadata().getOwnerReferences() != null
                    && f.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> account.equals(o.getName())))
        .toList();
  }

  private static Finding findingOrNull(String ns, String rule, String resourceId) {
    return admin.resources(Finding.class).inNamespace(ns).list().getItems().stream()
        .filter(f -> rule.equals(f.getSpec().rule().id()))
        .filter(f -> resourceId.equals(f.getSpec().resource().id()))
        .findFirst()
        .orElse(null);
  }

  private static Finding findingFor(String ns, String rule, String resourceId) {
    return await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                admin.resources(Finding.class).inNamespace(ns).list().getItems().stream()
                    .filter(f -> rule.equals(f.getSpec().rule().id()))
                    .filter(f -> resourceId.equals(f.getSpec().resource().id()))
                    .findFirst()
                    .orElse(null),
            f -> f != null);
  }

  /** How many scans of {@code account} finished, per the leader's log. */
  private static long scansFinished(String account) {
    return leader
        .log()
        .lines()
        .filter(l -> l.contains("scan of " + NS + "/" + account + " finished"))
        .count();
  }
}
