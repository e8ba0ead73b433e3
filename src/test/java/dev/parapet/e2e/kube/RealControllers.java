package dev.parapet.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.e2e.chart.ChartController;
import dev.parapet.e2e.chart.ChartSupport;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The launch preamble of the end-to-end tests that run packaged controllers ({@link
 * RealController}) on the real API server: the chart's CRDs applied, the release namespace and the
 * accounts' namespaces created, the chart installed by Helm with {@code
 * controller.rbac.secretNamespaces} (and any other values) and rendered the same way for the pods'
 * env; then the controllers it starts, the PosturePolicies and CloudAccounts it applies, and on
 * {@link #close()} their removal in the order that lets the controllers remove their finalizers,
 * the release's uninstall and the removal of the controllers' Leases (not part of the release).
 */
public final class RealControllers implements AutoCloseable {

  public static final String NS = RealController.NS;

  private final KubeCluster cluster;
  private final KubernetesClient client;
  private final ChartSupport.Rendered chart;
  private final List<RealController> controllers = new ArrayList<>();
  private final List<String[]> accounts = new ArrayList<>();
  private final List<String> policies = new ArrayList<>();
  private final List<MotoProxy> proxies = new ArrayList<>();

  private RealControllers(KubeCluster cluster, ChartSupport.Rendered chart) {
    this.cluster = cluster;
    this.client = cluster.admin();
    this.chart = chart;
  }

  /**
   * Installs the chart on the shared API server, its controller allowed to read Secrets in {@code
   * secretNamespaces} (created here), with {@code moreValues} ({@code "key.path", value, ...}) on
   * top.
   */
  public static RealControllers install(List<String> secretNamespaces, Object... moreValues) {
    assertThat(ChartController.JAR)
        .as("the packaged application (./mvnw -pl src/test -am verify builds it)")
        .exists();
    var cluster = KubeCluster.shared();
    RealChart.applyCrds(cluster);
    var namespaces = new ArrayList<String>();
    namespaces.add(NS);
    namespaces.addAll(secretNamespaces);
    for (var ns : namespaces) {
      cluster.kubectl("create", "namespace", ns); // already there from another class: fine
    }
    var keysAndValues = new ArrayList<Object>();
    keysAndValues.add("controller.rbac.secretNamespaces");
    keysAndValues.add(secretNamespaces);
    keysAndValues.addAll(List.of(moreValues));
    var values = ChartSupport.values(keysAndValues.toArray());
    RealChart.install(cluster, NS, values);
    return new RealControllers(cluster, ChartSupport.render(values));
  }

  public KubeCluster cluster() {
    return cluster;
  }

  /** The admin client. */
  public KubernetesClient client() {
    return client;
  }

  public ChartSupport.Rendered chart() {
    return chart;
  }

  /** Starts pod {@code podName} of the controller Deployment; stopped on {@link #close()}. */
  public RealController start(String podName) {
    return start(podName, Map.of());
  }

  /** As {@link #start(String)}, with {@code env} on top of the Deployment's. */
  public RealController start(String podName, Map<String, String> env) {
    var c = RealController.start(cluster, chart, podName, env);
    controllers.add(c);
    return c;
  }

  /**
   * A proxy in front of moto for the controllers (it counts only their calls), every answer {@code
   * latencyMillis} late (0: none); closed on close, after the controllers stop.
   */
  public MotoProxy proxy(MotoServer moto, int latencyMillis) {
    var proxy = new MotoProxy(moto);
    proxies.add(proxy);
    if (latencyMillis > 0) {
      proxy.latency(latencyMillis);
    }
    return proxy;
  }

  /** {@link ChartController#applyEc2OnlyPolicy} as PosturePolicy {@code name}, deleted on close. */
  public void applyEc2OnlyPolicy(String name) {
    ChartController.applyEc2OnlyPolicy(client, name);
    policies.add(name);
  }

  /** {@link ChartController#applyMotoAccount}; the account is deleted on close. */
  public void applyMotoAccount(String ns, String name, List<String> regions, String endpoint) {
    ChartController.applyMotoAccount(client, ns, name, regions, endpoint);
    deleteOnClose(ns, name);
  }

  /** A CloudAccount the test created itself, to delete on close while the controllers run. */
  public void deleteOnClose(String ns, String name) {
    accounts.add(new String[] {ns, name});
  }

  /** The holder of Lease {@code name} in the release namespace; null when free or expired. */
  public String holder(String name) {
    var l = client.leases().inNamespace(NS).withName(name).get();
    if (l == null || l.getSpec() == null || l.getSpec().getHolderIdentity() == null) {
      return null;
    }
    var spec = l.getSpec();
    var expiry = spec.getRenewTime().plusSeconds(spec.getLeaseDurationSeconds());
    return expiry.toInstant().isAfter(Instant.now()) ? spec.getHolderIdentity() : null;
  }

  /** The holder of the leader-election Lease; null when free or expired. */
  public String leader() {
    return holder(ChartController.NAME);
  }

  /** Fails with the controller's log tail when its process has exited. */
  public static void assertAlive(RealController c) {
    assertThat(c.alive()).as(c.podName() + " runs" + c.logTail()).isTrue();
  }

  /**
   * What one clean, uninterrupted scan of {@code regions} with the AWS rules but {@code excluded}
   * (globs as in a PosturePolicy) yields: the operator's engine in this JVM, through a proxy of its
   * own with no added latency. Fails if that scan has errors. Keys as {@link #key(Finding)}.
   */
  public static Set<String> cleanScan(
      MotoServer moto, List<String> regions, List<String> excluded) {
    var rules =
        RuleRegistry.defaults().rules().stream()
            .map(r -> r.id())
            .filter(id -> id.startsWith("aws-"))
            .filter(id -> excluded.stream().noneMatch(g -> id.startsWith(g.replace("*", ""))))
            .toArray(String[]::new);
    try (var direct = new MotoProxy(moto)) {
      var clean =
          MotoScans.scan(
              direct.endpoint(), regions, CloudPolicy.only(rules), MotoScans.testSettings());
      assertThat(clean.errors()).as("the clean scan's errors").isEmpty();
      return clean.failures().stream()
          .map(r -> key(r.ruleId(), r.resource().region(), r.resource().id()))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** A Finding's rule, region and resource id: what identifies it across scans. */
  public static String key(Finding f) {
    var r = f.getSpec().resource();
    return key(f.getSpec().rule().id(), r.region(), r.id());
  }

  public static String key(String rule, String region, String id) {
    return rule + "|" + region + "|" + id;
  }

  @Override
  public void close() {
    // Accounts first, while the controllers still run to remove their finalizers; never wait for
    // one past a minute.
    for (var a : accounts) {
      cluster.kubectl(
          "delete", "cloudaccount", a[1], "-n", a[0], "--ignore-not-found", "--timeout=60s");
    }
    for (var p : policies) {
      cluster.kubectl("delete", "posturepolicy", p, "--ignore-not-found", "--timeout=60s");
    }
    controllers.forEach(RealController::close);
    proxies.forEach(MotoProxy::close);
    RealChart.uninstall(cluster, NS);
    // Leases are not part of the release: the leader, shard and member Leases go too, so a Lease a
    // killed controller left behind does not hold up the next class's controllers.
    for (var lease : client.leases().inNamespace(NS).list().getItems()) {
      if (lease.getMetadata().getName().startsWith(ChartController.NAME)) {
        client.resource(lease).delete();
      }
    }
  }
}
