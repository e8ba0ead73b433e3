package dev.parapet.e2e.chart;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoServer;
import dev.parapet.testing.OperatorMoto;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The chart's processes on a test host: the packaged application started as the image's entrypoint
 * does, the webhook Deployment's env adapted to the host, and what a user applies for an account.
 * Shared by the end-to-end tests ({@link dev.parapet.e2e.kube.RealController} runs the controller
 * on the real API server).
 */
public final class ChartController {

  public static final String NS = ChartSupport.NAMESPACE;
  public static final String NAME = "parapet-controller";
  public static final Path JAR =
      ChartSupport.REPO_ROOT.resolve("operator/target/quarkus-app/quarkus-run.jar");

  private ChartController() {}

  /** A client of the mock server that waits long enough for a stalled first connection. */
  public static KubernetesClient patientClient(KubernetesClient client) {
    // The shared machine can stall a first connection past 10 s.
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(client.getConfiguration())
                .withConnectionTimeout(60_000)
                .withRequestTimeout(60_000)
                .build())
        .build();
  }

  /**
   * What `helm install` creates before the pods start: the release namespace, the CRDs, the
   * ServiceAccounts and RBAC, and the rendered objects of {@code extra} types (the mock server
   * stores them, it does not enforce RBAC).
   */
  @SafeVarargs
  public static void applyChartObjects(
      KubernetesClient client, ChartSupport.Rendered chart, Class<? extends HasMetadata>... extra)
      throws IOException {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    for (var crd : ChartSupport.crds()) {
      client.resource(crd).create();
    }
    var types =
        new ArrayList<Class<? extends HasMetadata>>(
            List.of(
                ServiceAccount.class,
                ClusterRole.class,
                ClusterRoleBinding.class,
                Role.class,
                RoleBinding.class));
    types.addAll(List.of(extra));
    for (var type : types) {
      for (var item : chart.all(type)) {
        client.resource(item).create();
      }
    }
  }

  /**
   * Starts the packaged application as the image's entrypoint does: `java` reading
   * JDK_JAVA_OPTIONS, then `-jar quarkus-run.jar`, split on spaces with no further shell
   * processing; /tmp is mapped to a directory under {@code workDir}; output goes to {@code log}.
   */
  public static Process start(Map<String, String> env, Path workDir, Path log) throws IOException {
    var tmp = Files.createDirectories(workDir.resolve("tmp"));
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    for (var option : env.getOrDefault("JDK_JAVA_OPTIONS", "").trim().split("\\s+")) {
      if (!option.isEmpty() && runsHere(option)) {
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
    // Given on the command line above; the launcher would otherwise add them again.
    builder.environment().remove("JDK_JAVA_OPTIONS");
    return builder.start();
  }

  /**
   * Whether this JVM (the host's, not the image's JDK 25 runtime) takes {@code option}: the image's
   * CDS archive is not on this host (and was written by the image's JVM), so it is left out; the
   * image's JDK 25 option (the sun.misc.Unsafe switch) would stop a JDK 17 at start, so it is left
   * out below 25; every other chart option is passed as the pod passes it. The image tests run the
   * chart's options on the image's own JVM.
   */
  static boolean runsHere(String option) {
    if (option.startsWith("-XX:SharedArchiveFile=/deployments/")) {
      return false;
    }
    return !option.startsWith("--sun-misc-unsafe-memory-access=")
        || Runtime.version().feature() >= 25;
  }

  /**
   * The env of the chart's webhook Deployment {@code deployment} for pod {@code podName} of a
   * release in {@code namespace}, adapted to the test host, and only in these ways: the HTTPS and
   * management ports (8443 and 9000 in the container) are free ports of the host, the certificate
   * and key are files of the test instead of the mounted Secret, and the API server is reached
   * through {@code kubeconfig} instead of the pod's ServiceAccount mount.
   */
  public static Map<String, String> webhookEnv(
      Deployment deployment,
      String namespace,
      String podName,
      int httpsPort,
      int managementPort,
      Path tlsCrt,
      Path tlsKey,
      Path kubeconfig) {
    var env = ChartSupport.chartEnv(deployment, namespace, podName);
    env.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(httpsPort));
    env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
    env.put("QUARKUS_HTTP_SSL_CERTIFICATE_FILES", tlsCrt.toString());
    env.put("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES", tlsKey.toString());
    env.put("KUBECONFIG", kubeconfig.toString());
    return env;
  }

  /**
   * Waits until {@code process} answers 200 on {@code /q/health/ready} of its management port (180
   * s at most); fails with the log's tail if it exits or does not get ready.
   */
  public static void awaitReady(Process process, int managementPort, Path log)
      throws IOException, InterruptedException {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    var ready = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
    var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the process exited with " + process.exitValue() + logTail(log));
      }
      try {
        var r =
            http.send(
                HttpRequest.newBuilder(ready).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new AssertionError("not ready on /q/health/ready within 180 s" + logTail(log));
  }

  /** The last 60 lines of a process log, for assertion messages. */
  public static String logTail(Path log) {
    try {
      var lines = Files.readAllLines(log);
      return "\n--- log "
          + log.getFileName()
          + " (tail) ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * What a user applies for an account: a Secret with fake keys (moto takes any) and a CloudAccount
   * reading them, with AWS at {@code endpoint} (moto, or a proxy in front of it).
   */
  public static void applyMotoAccount(
      KubernetesClient client, String ns, String name, List<String> regions, String endpoint) {
    var keys = OperatorMoto.keys(client, ns);
    var account = new CloudAccount();
    account.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    account.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS, MotoServer.ACCOUNT_ID, regions, keys, null, endpoint));
    client.resource(account).create();
  }

  /**
   * Seeds moto with one security group open to SSH from anywhere, attached to a running instance in
   * {@code region}; returns the group id (the resource of the expected Finding).
   */
  public static String seedSshOpenToTheWorld(MotoServer moto, String region) {
    try (var ec2 = new AwsSeed(moto).ec2(region)) {
      var group = ec2.createSecurityGroup(b -> b.groupName("e2e-ssh").description("ssh")).groupId();
      ec2.authorizeSecurityGroupIngress(
          b ->
              b.groupId(group)
                  .ipPermissions(
                      p ->
                          p.ipProtocol("tcp")
                              .fromPort(22)
                              .toPort(22)
                              .ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
      ec2.runInstances(
          b -> b.imageId(AwsSeed.anyImage(ec2)).minCount(1).maxCount(1).securityGroupIds(group));
      return group;
    }
  }

  /**
   * The rules an EC2-only policy leaves out: all but EC2's, and EC2's snapshot rules (moto's gaps
   * make them noisy).
   */
  public static final List<String> EC2_ONLY_EXCLUDED =
      List.of(
          "aws-ec2-snapshot-*",
          "aws-iam-*",
          "aws-s3-*",
          "aws-cloudtrail-*",
          "aws-kms-*",
          "aws-rds-*",
          // no GuardDuty detector on moto's empty account (a true finding per region)
          "aws-guardduty-*",
          // moto has no Access Analyzer (HTTP 500: Unknown), and no Config recorder, Security Hub
          // or alarms on an empty account (true findings); they have their own tests
          "aws-accessanalyzer-*",
          "aws-config-*",
          "aws-securityhub-*",
          "aws-cloudwatch-*");

  /** A PosturePolicy enabling the EC2 rules but snapshots (moto's gaps make the others noisy). */
  public static void applyEc2OnlyPolicy(KubernetesClient client) {
    applyEc2OnlyPolicy(client, "e2e-ec2");
  }

  /** As {@link #applyEc2OnlyPolicy(KubernetesClient)}, named {@code name}. */
  public static void applyEc2OnlyPolicy(KubernetesClient client, String name) {
    var policy = new PosturePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    policy.setSpec(
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                null, null, new RuleSelection(null, EC2_ONLY_EXCLUDED), null, null),
            null,
            null));
    client.resource(policy).create();
  }

  public static Condition condition(CloudAccount a, String type) {
    return OperatorMoto.condition(a, type);
  }
}
