package dev.parapet.operator;

import dev.parapet.operator.cli.ExitCodes;
import dev.parapet.operator.cli.ParapetCli;
import dev.parapet.operator.demo.ArchiveTraining;
import dev.parapet.operator.demo.DemoCommand;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;
import java.util.Locale;

/**
 * Entry point of the packaged application: {@code run} (the default) starts the operator; {@code
 * scan} and {@code check} run the CLI without starting Quarkus or touching a cluster.
 *
 * <p>Before Quarkus starts the controller, it checks that the cluster of the current kubeconfig
 * answers, so that a user with no cluster gets one line and a non-zero exit instead of a stack
 * trace. The webhook role can run without a cluster (policy from a file) and skips the check.
 */
@QuarkusMain
public final class Main {

  /** Exit code when no Kubernetes API server is reachable. */
  public static final int EXIT_NO_CLUSTER = 2;

  /** Netty's pooled allocator chunk order (chunk = 8 KiB pages << order), read once per process. */
  static final String NETTY_MAX_ORDER = "io.netty.allocator.maxOrder";

  private Main() {}

  public static void main(String... args) {
    var command = args.length == 0 ? "run" : args[0];
    switch (command) {
      case "scan", "check", "-h", "--help", "-V", "--version", "help" -> {
        System.exit(ParapetCli.execute(args, System.out, System.err, System.in));
        return;
      }
      case "demo" ->
          System.exit(DemoCommand.run(System.out, Arrays.copyOfRange(args, 1, args.length)));
      case "train-archive" -> ArchiveTraining.run(System.out);
      case "run" -> runOperator(args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length));
      default -> {
        System.err.println(
            "parapet: unknown command '" + command + "'; use run, demo, scan or check (--help)");
        System.exit(ExitCodes.ERROR);
      }
    }
  }

  /** Runs the operator (controller and/or webhook, per parapet.role) until it is stopped. */
  static void runOperator(String... args) {
    var role = setting("parapet.role", "PARAPET_ROLE", "all").toLowerCase(Locale.ROOT);
    var skip =
        Boolean.parseBoolean(setting("parapet.preflight.skip", "PARAPET_PREFLIGHT_SKIP", "false"));
    var webhookWithFile =
        role.equals("webhook")
            && !setting("parapet.webhook.policy-file", "PARAPET_WEBHOOK_POLICY_FILE", "").isBlank();
    if (!skip && !webhookWithFile) {
      var problem = clusterProblem();
      if (problem != null) {
        System.err.println("parapet: " + problem);
        System.exit(EXIT_NO_CLUSTER);
      }
    }
    Quarkus.run(args);
  }

  /** Null when the API server of the current kubeconfig answers, else a one-line reason. */
  static String clusterProblem() {
    // Quarkus sets Netty's allocator chunk order as it starts (quarkus.netty.allocator-max-order,
    // default 3: 64 KiB chunks), but this client starts Netty first, and Netty's pooled allocator
    // reads the property once: without this line the whole process keeps Netty's own default (9:
    // 4 MiB chunks), 12 MiB more direct memory at ready (docs/benchmarks.md, "Footprint").
    if (System.getProperty(NETTY_MAX_ORDER) == null) {
      System.setProperty(NETTY_MAX_ORDER, "3");
    }
    var config = Config.autoConfigure(null);
    config.setConnectionTimeout(3_000);
    config.setRequestTimeout(5_000);
    config.setRequestRetryBackoffLimit(0);
    var url = config.getMasterUrl();
    try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
      client.getKubernetesVersion();
      return null;
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return "no reachable Kubernetes cluster at "
          + url
          + " ("
          + root.getClass().getSimpleName()
          + (root.getMessage() == null ? "" : ": " + root.getMessage())
          + "); point KUBECONFIG at a cluster, or run `./parapet demo` to try Parapet without one";
    }
  }

  /** Read before Quarkus's own configuration exists: a system property, then the variable. */
  private static String setting(String property, String env, String fallback) {
    var value = System.getProperty(property);
    if (value == null) {
      value = System.getenv(env);
    }
    return value == null ? fallback : value.trim();
  }
}
