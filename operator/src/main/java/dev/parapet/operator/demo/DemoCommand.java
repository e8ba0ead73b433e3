package dev.parapet.operator.demo;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.runtime.Quarkus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code parapet demo}: the real controller and webhook against moto (emulated AWS) and the Fabric8
 * mock Kubernetes API server, both on loopback, in one process. See {@link DemoApplication} for
 * what it applies and prints.
 */
public final class DemoCommand {

  private DemoCommand() {}

  public static int run(PrintStream out, String... args) {
    var motoBinary =
        Path.of(env("PARAPET_DEMO_MOTO_SERVER", ".venv/bin/moto_server")).toAbsolutePath();
    var examples = Path.of(env("PARAPET_DEMO_EXAMPLES", "examples")).toAbsolutePath();
    out.println("Parapet demo: what is emulated");
    out.println(
        "  AWS         moto "
            + motoBinary
            + " on 127.0.0.1 (account "
            + DemoSeeder.ACCOUNT_ID
            + ", region "
            + DemoSeeder.REGION
            + ", fake keys)");
    var binaries = LocalControlPlane.installedBinaries();
    var crds = Path.of(env("PARAPET_DEMO_CRDS", "helm/parapet/crds")).toAbsolutePath();
    var real = binaries.isPresent() && Files.isDirectory(crds);
    out.println(
        real
            ? "  Kubernetes  a real kube-apiserver v"
                + LocalControlPlane.VERSION
                + " and etcd on 127.0.0.1 (binaries from scripts/ensure-kube.sh; no kubelet)"
            : "  Kubernetes  the Fabric8 mock API server in this process (CRUD, no scheduler, no"
                + " RBAC); run scripts/ensure-kube.sh once and the demo uses a real API server");
    out.println(
        "  Real        the Parapet controller, AWS engine, finding writer and admission webhook");
    out.println();
    try (var moto = MotoProcess.start(motoBinary, Duration.ofSeconds(60))) {
      out.println("Seeded AWS account " + DemoSeeder.ACCOUNT_ID + ":");
      for (var line : new DemoSeeder(moto.endpoint()).seed()) {
        out.println("  - " + line);
      }
      out.println();
      KubernetesMockServer kube = null;
      LocalControlPlane plane = null;
      try {
        if (real) {
          plane =
              LocalControlPlane.start(
                  Files.createTempDirectory("parapet-demo-kube-"),
                  binaries.get(),
                  new LocalControlPlane.Options(false, false));
          applyCrds(plane, crds);
          System.setProperty("kubeconfig", plane.adminKubeconfig().toString());
          System.setProperty("kubernetes.auth.tryKubeConfig", "true");
        } else {
          kube =
              new KubernetesMockServer(
                  new Context(),
                  new MockWebServer(),
                  new HashMap<>(),
                  new ApplyAsMergePatch(),
                  false);
          kube.init(InetAddress.getLoopbackAddress(), 0);
          System.setProperty("kubernetes.master", "http://127.0.0.1:" + kube.getPort());
          System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        }
        var http = freePort();
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.namespace", DemoApplication.NAMESPACE);
        System.setProperty("quarkus.http.port", String.valueOf(http));
        System.setProperty("quarkus.management.port", String.valueOf(freePort()));
        System.setProperty("quarkus.banner.enabled", "false");
        System.setProperty("quarkus.log.level", "WARN");
        System.setProperty("quarkus.log.category.\"dev.parapet\".level", "WARN");
        System.setProperty(
            "quarkus.log.category.\"io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils\".level",
            "ERROR");
        System.setProperty("parapet.role", "all");
        System.setProperty("parapet.audit.interval", "5s");
        System.setProperty("parapet.scan.min-interval", "1s");
        System.setProperty(DemoApplication.MOTO_ENDPOINT, moto.endpoint().toString());
        System.setProperty(DemoApplication.EXAMPLES, examples.toString());
        var code = new AtomicInteger(ExitCodeHolder.UNSET);
        Quarkus.run(
            DemoApplication.class,
            (exit, error) -> {
              if (error != null) {
                error.printStackTrace();
              }
              code.set(exit);
            },
            args);
        return code.get();
      } finally {
        if (kube != null) {
          kube.destroy();
        }
        if (plane != null) {
          plane.close();
          deleteTree(plane.dir());
        }
      }
    } catch (IllegalStateException e) {
      System.err.println("parapet demo: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      System.err.println("parapet demo: the local Kubernetes API server: " + e.getMessage());
      return 2;
    }
  }

  /** The chart's CRDs on the real API server, Established before the operator starts. */
  private static void applyCrds(LocalControlPlane plane, Path dir) throws IOException {
    var config = Config.fromKubeconfig(Files.readString(plane.adminKubeconfig()));
    try (var client = new KubernetesClientBuilder().withConfig(config).build();
        var files = Files.list(dir)) {
      for (var file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (var in = Files.newInputStream(file)) {
          var crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
          client.resource(crd).serverSideApply();
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .waitUntilCondition(DemoCommand::established, 60, TimeUnit.SECONDS);
        }
      }
    }
  }

  /**
   * Whether the API server has Established the CRD. A CRD just created has a status without
   * conditions ({@code null} in the model), which must read as "not yet", not fail the wait.
   */
  static boolean established(CustomResourceDefinition crd) {
    if (crd == null || crd.getStatus() == null || crd.getStatus().getConditions() == null) {
      return false;
    }
    return crd.getStatus().getConditions().stream()
        .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }

  /** Marker for "Quarkus did not report an exit code". */
  static final class ExitCodeHolder {
    static final int UNSET = 3;

    private ExitCodeHolder() {}
  }

  private static String env(String name, String fallback) {
    var v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
    }
  }
}
