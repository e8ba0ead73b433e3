package dev.parapet.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller half of issue 6's end-to-end: the rendered chart's CRDs, ServiceAccounts and RBAC
 * go onto the Fabric8 CRUD mock API server, and the packaged application runs as the controller
 * with the env of the chart's controller Deployment (leader election included). Against moto, a
 * CloudAccount whose security group allows SSH from anywhere yields a high Finding owned by the
 * account, and the account reports a successful scan.
 *
 * <p>Partial: the mock server stores RBAC without enforcing it. The only RBAC answer the controller
 * asks for itself (the leader-election SelfSubjectRulesReview) is computed from the chart's rules
 * bound to the controller's ServiceAccount, so a chart without Lease permissions fails here.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ChartControllerE2ETest {

  private static final String NS = ChartSupport.NAMESPACE;
  private static final String CONTROLLER = "parapet-controller";
  private static final String REGION = "us-east-1";
  private static final String ACCOUNT = "moto";
  private static final Path JAR =
      ChartSupport.REPO_ROOT.resolve("operator/target/quarkus-app/quarkus-run.jar");

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static ChartSupport.Rendered chart;
  private static Process controller;
  private static Path workDir;
  private static Path log;
  private static String openGroup;

  @BeforeAll
  static void installTheChartAndStartTheController() throws Exception {
    assertThat(JAR)
        .as("the packaged application (build with ./mvnw -pl src/test -am verify)")
        .exists();
    ChartSupport.api().clear();
    chart = ChartSupport.render(Map.of());
    workDir =
        Files.createDirectories(ChartSupport.REPO_ROOT.resolve("target/e2e/chart-controller"));
    log = workDir.resolve("controller.log");

    // Patient client: the shared machine can stall a first connection past 10 s.
    client =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                    .withConnectionTimeout(60_000)
                    .withRequestTimeout(60_000)
                    .build())
            .build();

    // The one authorization answer the controller asks for (JOSDK's leader-election access
    // check), from the chart's rules for the controller's ServiceAccount in the release namespace.
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewSpec()
                .withNamespace(NS)
                .endSpec()
                .withNewStatus()
                .withIncomplete(false)
                .withResourceRules(controllerRules())
                .endStatus()
                .build())
        .always();

    // What `helm install` creates before the pods start.
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    for (var crd : ChartSupport.crds()) {
      client.resource(crd).create();
    }
    var applied = new ArrayList<HasMetadata>();
    for (var type :
        List.of(
            ServiceAccount.class,
            ClusterRole.class,
            ClusterRoleBinding.class,
            Role.class,
            RoleBinding.class)) {
      applied.addAll(chart.all(type));
    }
    for (var item : applied) {
      client.resource(item).create();
    }

    // AWS: one group open to SSH from anywhere, attached to a running instance.
    var moto = MotoServer.shared();
    moto.reset();
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      openGroup = ec2.createSecurityGroup(b -> b.groupName("e2e-ssh").description("ssh")).groupId();
      ec2.authorizeSecurityGroupIngress(
          b ->
              b.groupId(openGroup)
                  .ipPermissions(
                      p ->
                          p.ipProtocol("tcp")
                              .fromPort(22)
                              .toPort(22)
                              .ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
      ec2.runInstances(
          b ->
              b.imageId(AwsSeed.anyImage(ec2)).minCount(1).maxCount(1).securityGroupIds(openGroup));
    }

    // What a user applies: the policy (EC2 rules only; moto's gaps make the others noisy), the
    // fake moto keys and the account.
    var policy = new PosturePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("e2e-ec2").build());
    policy.setSpec(
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                null,
                null,
                new RuleSelection(
                    null,
                    List.of(
                        "aws-ec2-snapshot-*",
                        "aws-iam-*",
                        "aws-s3-*",
                        "aws-cloudtrail-*",
                        "aws-kms-*",
                        "aws-rds-*")),
                null,
                null),
            null,
            null));
    client.resource(policy).create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("aws-keys")
                .withNamespace(NS)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "aws_access_key_id",
                        MotoServer.ACCESS_KEY_ID,
                        "aws_secret_access_key",
                        MotoServer.SECRET_ACCESS_KEY))
                .build())
        .create();
    var account = new CloudAccount();
    account.setMetadata(new ObjectMetaBuilder().withName(ACCOUNT).withNamespace(NS).build());
    account.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS,
            MotoServer.ACCOUNT_ID,
            List.of(REGION),
            new CloudAccountSpec.Credentials(
                null, new CloudAccountSpec.SecretRef("aws-keys", null, null, null)),
            null,
            moto.endpoint().toString()));
    client.resource(account).create();

    var env =
        ChartSupport.chartEnv(chart.one(Deployment.class, CONTROLLER), "parapet-controller-e2e");
    // Adapted from the chart, and only these:
    // - QUARKUS_MANAGEMENT_PORT, QUARKUS_HTTP_PORT: 9000 and 8080 are the container's own ports;
    //   on the shared test host they may be taken, so each gets a free one.
    // - KUBERNETES_MASTER / KUBERNETES_AUTH_TRY*: in a pod the client finds the API server from
    //   KUBERNETES_SERVICE_HOST and the mounted ServiceAccount token; here it is the mock server,
    //   with no kubeconfig (the test JVM's KUBECONFIG points at the chart tests' fake) and no
    // token.
    // - KUBERNETES_NAMESPACE: the pod's namespace file, which a pod would have, is absent here.
    // - fieldRef values (namespace, pod name) are filled in as the kubelet would (chartEnv), and
    //   /tmp in JAVA_OPTS_APPEND is mapped to a test directory (start).
    // PARAPET_PREFLIGHT_SKIP=true comes from the chart: no launcher preflight in a pod.
    env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(ChartSupport.freePort()));
    env.put("QUARKUS_HTTP_PORT", String.valueOf(ChartSupport.freePort()));
    env.put("KUBERNETES_MASTER", "http://127.0.0.1:" + server.getPort());
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    env.put("KUBERNETES_NAMESPACE", NS);
    assertThat(env)
        .containsEntry("PARAPET_ROLE", "controller")
        .containsEntry("PARAPET_LEADER_ELECTION_ENABLED", "true")
        .containsEntry("PARAPET_LEADER_ELECTION_LEASE_NAME", CONTROLLER)
        .containsEntry("PARAPET_LEADER_ELECTION_LEASE_NAMESPACE", NS)
        .doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    controller = start(env);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (controller != null) {
      controller.destroy();
      if (!controller.waitFor(15, TimeUnit.SECONDS)) {
        controller.destroyForcibly();
      }
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void aCloudAccountYieldsAnOwnedHighFindingAndAReadyStatus() {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .failFast(
            () ->
                assertThat(controller.isAlive())
                    .as("the controller is running" + logTail())
                    .isTrue())
        .untilAsserted(
            () -> {
              assertThat(sshFindings()).as("Findings" + logTail()).hasSize(1);
              var a = account();
              assertThat(a.getStatus()).as("CloudAccount status").isNotNull();
              assertThat(a.getStatus().lastScan()).as("lastScan").isNotNull();
              assertThat(condition(a, "ScanSucceeded")).isNotNull();
              assertThat(condition(a, "Ready")).isNotNull();
              assertThat(condition(a, "Ready").reason()).isNotEqualTo("Scanning");
            });

    var account = account();
    var finding = sshFindings().get(0);
    assertThat(finding.getMetadata().getName()).startsWith("aws-ec2-sg-ssh-open-");
    assertThat(finding.getSpec().resource().id()).isEqualTo(openGroup);
    assertThat(finding.getSpec().resource().region()).isEqualTo(REGION);
    assertThat(finding.getMetadata().getLabels())
        .containsEntry(Finding.LABEL_SEVERITY, "high")
        .containsEntry(Finding.LABEL_SOURCE, "aws")
        .containsEntry(Finding.LABEL_ACCOUNT, MotoServer.ACCOUNT_ID);
    assertThat(finding.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("CloudAccount");
              assertThat(o.getName()).isEqualTo(ACCOUNT);
              assertThat(o.getUid()).isEqualTo(account.getMetadata().getUid());
            });

    var status = account.getStatus();
    assertThat(condition(account, "Ready").status()).as(status.toString()).isEqualTo("True");
    assertThat(condition(account, "ScanSucceeded").status())
        .as(status.toString())
        .isEqualTo(Condition.TRUE);
    assertThat(status.lastScan().finishedAt()).isNotBlank();
    assertThat(status.lastScan().apiCalls()).isPositive();
    assertThat(status.lastScan().regions())
        .anySatisfy(
            r -> {
              assertThat(r.name()).isEqualTo(REGION);
              assertThat(r.state()).isEqualTo("Scanned");
            });
    assertThat(status.identity().accountId()).isEqualTo(MotoServer.ACCOUNT_ID);

    // Leader election ran with the chart's Lease name, in the release namespace.
    assertThat(
            client
                .leases()
                .inNamespace(NS)
                .withName(CONTROLLER)
                .get()
                .getSpec()
                .getHolderIdentity())
        .isNotBlank();
  }

  private static List<Finding> sshFindings() {
    return client.resources(Finding.class).inNamespace(NS).list().getItems().stream()
        .filter(f -> f.getMetadata().getName().startsWith("aws-ec2-sg-ssh-open-"))
        .filter(f -> openGroup.equals(f.getSpec().resource().id()))
        .toList();
  }

  private static CloudAccount account() {
    return client.resources(CloudAccount.class).inNamespace(NS).withName(ACCOUNT).get();
  }

  private static Condition condition(CloudAccount a, String type) {
    if (a == null || a.getStatus() == null || a.getStatus().conditions() == null) {
      return null;
    }
    return a.getStatus().conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElse(null);
  }

  /** The chart's rules that apply to the controller's ServiceAccount in the release namespace. */
  private static List<ResourceRule> controllerRules() {
    var rules = new ArrayList<PolicyRule>();
    for (var binding : chart.all(RoleBinding.class)) {
      if (NS.equals(binding.getMetadata().getNamespace())
          && bindsController(binding.getSubjects())) {
        chart.all(Role.class).stream()
            .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName()))
            .filter(r -> NS.equals(r.getMetadata().getNamespace()))
            .forEach(r -> rules.addAll(r.getRules()));
      }
    }
    for (var binding : chart.all(ClusterRoleBinding.class)) {
      if (bindsController(binding.getSubjects())) {
        chart.all(ClusterRole.class).stream()
            .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName()))
            .forEach(r -> rules.addAll(r.getRules()));
      }
    }
    return rules.stream()
        .filter(r -> r.getNonResourceURLs() == null || r.getNonResourceURLs().isEmpty())
        .map(
            r ->
                new ResourceRuleBuilder()
                    .withApiGroups(r.getApiGroups())
                    .withResources(r.getResources())
                    .withResourceNames(r.getResourceNames())
                    .withVerbs(r.getVerbs())
                    .build())
        .toList();
  }

  private static boolean bindsController(List<Subject> subjects) {
    return subjects != null
        && subjects.stream()
            .anyMatch(
                s ->
                    "ServiceAccount".equals(s.getKind())
                        && CONTROLLER.equals(s.getName())
                        && NS.equals(s.getNamespace()));
  }

  private static Process start(Map<String, String> env) throws IOException {
    // As the image's entrypoint does: `java $JAVA_OPTS_APPEND -jar quarkus-run.jar`, split on
    // spaces with no further shell processing. /tmp is mapped to a test directory.
    var tmp = Files.createDirectories(workDir.resolve("tmp"));
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    for (var option : env.getOrDefault("JAVA_OPTS_APPEND", "").trim().split("\\s+")) {
      if (!option.isEmpty()) {
        command.add(option.replace("-Djava.io.tmpdir=/tmp", "-Djava.io.tmpdir=" + tmp));
      }
    }
    command.add("-jar");
    command.add(JAR.toString());
    var builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().put("HOME", workDir.toString());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static String logTail() {
    try {
      var lines = Files.readAllLines(log);
      return "\n--- controller log (tail) ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
