package dev.parapet.e2e.pss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.api.v1alpha1.PodSecurityLevel;
import dev.parapet.e2e.kube.KubeCluster;
import dev.parapet.webhook.Violation;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.rules.pss.PodSecurityControls;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parapet's Pod Security Standards rules against the API server's own Pod Security admission, on
 * the real kube-apiserver: two namespaces labelled {@code pod-security.kubernetes.io/enforce}
 * baseline and restricted (version v1.34), every fixture of {@code
 * webhook/src/test/resources/pss/fixtures.yaml} created there with {@code dryRun=All} (a server dry
 * run: every admission step, nothing stored), and the API server's verdict (admitted, or Forbidden
 * with the controls it names) compared with Parapet's (the pss-* violations of {@link
 * WorkloadEvaluator} under a policy at the same level). Both the verdict and the set of controls
 * must agree for every fixture; the table is written to docs/pss-agreement.md and drift-checked
 * ({@code -Dparapet.update=true} rewrites it).
 */
class PodSecurityAgreementTest {
  private static final String BASELINE_NS = "pss-baseline";
  private static final String RESTRICTED_NS = "pss-restricted";
  private static final String VERSION = "v1.34";

  /**
   * How Pod Security admission names each control in its denial message (the reason before the
   * parenthesised detail), by Parapet rule id.
   */
  static final Map<String, String> REASONS = new LinkedHashMap<>();

  static {
    REASONS.put("pss-baseline-host-process", "hostProcess");
    REASONS.put("pss-baseline-host-namespaces", "host namespaces");
    REASONS.put("pss-baseline-privileged", "privileged");
    REASONS.put("pss-baseline-capabilities", "non-default capabilities");
    REASONS.put("pss-baseline-host-path", "hostPath volumes");
    REASONS.put("pss-baseline-host-ports", "hostPort");
    REASONS.put("pss-baseline-host-probes", "probe or lifecycle host");
    REASONS.put("pss-baseline-apparmor", "forbidden AppArmor profile");
    REASONS.put("pss-baseline-selinux", "seLinuxOptions");
    REASONS.put("pss-baseline-proc-mount", "procMount");
    REASONS.put("pss-baseline-seccomp", "seccompProfile");
    REASONS.put("pss-baseline-sysctls", "forbidden sysctls");
    REASONS.put("pss-restricted-volume-types", "restricted volume types");
    REASONS.put("pss-restricted-privilege-escalation", "allowPrivilegeEscalation != false");
    REASONS.put("pss-restricted-run-as-non-root", "runAsNonRoot != true");
    REASONS.put("pss-restricted-run-as-user", "runAsUser=0");
    REASONS.put("pss-restricted-seccomp", "seccompProfile");
    REASONS.put("pss-restricted-capabilities", "unrestricted capabilities");
  }

  private static KubeCluster cluster;

  @BeforeAll
  static void namespaces() {
    cluster = KubeCluster.shared();
    for (var ns : List.of(BASELINE_NS, RESTRICTED_NS)) {
      var level = ns.equals(BASELINE_NS) ? "baseline" : "restricted";
      cluster
          .admin()
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(ns)
                  .addToLabels("pod-security.kubernetes.io/enforce", level)
                  .addToLabels("pod-security.kubernetes.io/enforce-version", VERSION)
                  .endMetadata()
                  .build())
          .create();
      // The ServiceAccount admission plugin needs the namespace's default ServiceAccount.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  cluster.admin().serviceAccounts().inNamespace(ns).withName("default").get()
                      != null);
    }
  }

  @AfterAll
  static void cleanup() {
    if (cluster != null) {
      for (var ns : List.of(BASELINE_NS, RESTRICTED_NS)) {
        cluster.admin().namespaces().withName(ns).delete();
      }
    }
  }

  /** The API server's answer to one dry-run create: null when admitted, else its message. */
  static String apiServer(Pod fixture, String ns) {
    var pod = new PodBuilder(fixture).editMetadata().withNamespace(ns).endMetadata().build();
    try {
      cluster.admin().pods().inNamespace(ns).resource(pod).dryRun().create();
      return null;
    } catch (KubernetesClientException e) {
      assertThat(e.getCode())
          .as("%s in %s: %s", fixture.getMetadata().getName(), ns, e.getMessage())
          .isEqualTo(403);
      assertThat(e.getMessage()).contains("violates PodSecurity");
      return e.getStatus().getMessage();
    }
  }

  /** The controls named in a Pod Security denial, as Parapet rule ids. */
  static Set<String> reasons(String message, PodSecurityLevel level) {
    var out = new TreeSet<String>();
    if (message == null) {
      return out;
    }
    var body = message.substring(message.indexOf("\": ") + 3);
    // Reasons are "name (detail), name (detail)": drop parenthesised details, then split.
    var sb = new StringBuilder();
    int depth = 0;
    for (char ch : body.toCharArray()) {
      if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (depth == 0) {
        sb.append(ch);
      }
    }
    for (var reason : sb.toString().split(",")) {
      var r = reason.trim();
      if (r.isEmpty()) {
        continue;
      }
      var ids =
          REASONS.entrySet().stream()
              .filter(e -> e.getValue().equals(r) || (e.getValue() + "s").equals(r))
              .map(Map.Entry::getKey)
              .filter(id -> controlLevel(id).ordinal() <= level.ordinal())
              .toList();
      if (ids.isEmpty()) {
        out.add("unknown reason: " + r);
        continue;
      }
      // seccompProfile names both the baseline and the restricted seccomp control: at the
      // restricted level Parapet, like Pod Security admission, reports the restricted one only.
      out.add(ids.get(ids.size() - 1));
    }
    return out;
  }

  private static PodSecurityLevel controlLevel(String id) {
    return id.startsWith("pss-restricted-")
        ? PodSecurityLevel.RESTRICTED
        : PodSecurityLevel.BASELINE;
  }

  static Set<String> parapet(Pod fixture, PodSecurityLevel level) {
    var policy =
        AdmissionPolicy.fieldDefaults("pss-" + level.wireValue(), Enforcement.DENY)
            .withPodSecurityLevel(level);
    return WorkloadEvaluator.evaluate(fixture, policy).stream()
        .map(Violation::rule)
        .map(r -> r.id())
        .filter(id -> id.startsWith("pss-"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static List<Pod> fixtures() throws IOException {
    var file = repoRoot().resolve("webhook/src/test/resources/pss/fixtures.yaml");
    var out = new ArrayList<Pod>();
    for (var doc : Files.readString(file).split("(?m)^---$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        out.add(Serialization.unmarshal(doc, Pod.class));
      }
    }
    return out;
  }

  record Row(
      String name,
      String note,
      Set<String> apiBaseline,
      Set<String> parapetBaseline,
      Set<String> apiRestricted,
      Set<String> parapetRestricted) {
    boolean agrees() {
      return apiBaseline.equals(parapetBaseline) && apiRestricted.equals(parapetRestricted);
    }
  }

  @Test
  void parapetAgreesWithPodSecurityAdmissionOnEveryFixture() throws IOException {
    var rows = new ArrayList<Row>();
    var messages = new ArrayList<String>();
    for (var f : fixtures()) {
      var b = apiServer(f, BASELINE_NS);
      var r = apiServer(f, RESTRICTED_NS);
      messages.add(f.getMetadata().getName() + "\n  baseline: " + b + "\n  restricted: " + r);
      rows.add(
          new Row(
              f.getMetadata().getName(),
              f.getMetadata().getAnnotations().get("fixture.parapet.dev/note"),
              reasons(b, PodSecurityLevel.BASELINE),
              parapet(f, PodSecurityLevel.BASELINE),
              reasons(r, PodSecurityLevel.RESTRICTED),
              parapet(f, PodSecurityLevel.RESTRICTED)));
    }
    var disagreements = rows.stream().filter(x -> !x.agrees()).toList();
    assertThat(disagreements).as(String.join("\n", messages)).isEmpty();
    // Every control was denied by the API server at least once (the fixtures reach them all).
    var seen = new TreeSet<String>();
    rows.forEach(x -> seen.addAll(x.apiRestricted()));
    rows.forEach(x -> seen.addAll(x.apiBaseline()));
    var all =
        PodSecurityControls.RULES.stream().map(x -> x.metadata().id()).collect(Collectors.toSet());
    assertThat(seen).containsExactlyInAnyOrderElementsOf(all);
    var table = table(rows);
    var doc = repoRoot().resolve("docs/pss-agreement.md");
    if (Boolean.getBoolean("parapet.update")) {
      Files.writeString(doc, table);
    } else {
      assertThat(Files.readString(doc))
          .as("docs/pss-agreement.md is stale: rerun with -Dparapet.update=true")
          .isEqualTo(table);
    }
  }

  static String table(List<Row> rows) {
    var sb = new StringBuilder();
    sb.append("# Pod Security Standards: Parapet vs the API server's Pod Security admission\n\n");
    sb.append(
        "Generated by `PodSecurityAgreementTest` (src/test, real kube-apiserver "
            + KubeCluster.VERSION
            + "); do not edit. Each fixture of `webhook/src/test/resources/pss/fixtures.yaml` is"
            + " created with a server dry run in a namespace labelled"
            + " `pod-security.kubernetes.io/enforce=<level>` and `enforce-version="
            + VERSION
            + "`; the API server's verdict (the controls its Forbidden message names) is compared"
            + " with the `pss-*` violations Parapet reports under `podSecurityLevel: <level>`. `—`"
            + " = admitted / no violation. The test fails on any difference.\n\n");
    int agree = (int) rows.stream().filter(Row::agrees).count();
    sb.append("Agreement: ")
        .append(agree)
        .append(" of ")
        .append(rows.size())
        .append(" fixtures at both levels (")
        .append(2 * rows.size())
        .append(" verdicts).\n\n");
    sb.append(
        "| fixture | what it sets | baseline: API server | baseline: Parapet | restricted: API"
            + " server | restricted: Parapet |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (var r : rows) {
      sb.append("| `")
          .append(r.name())
          .append("` | ")
          .append(r.note().replace("|", "\\|"))
          .append(" | ")
          .append(cell(r.apiBaseline(), true))
          .append(" | ")
          .append(cell(r.parapetBaseline(), false))
          .append(" | ")
          .append(cell(r.apiRestricted(), true))
          .append(" | ")
          .append(cell(r.parapetRestricted(), false))
          .append(" |\n");
    }
    sb.append("\nControl names as Pod Security admission words them:\n\n");
    sb.append("| Parapet rule | control | Pod Security admission reason |\n|---|---|---|\n");
    for (var rule : PodSecurityControls.RULES) {
      sb.append("| `")
          .append(rule.metadata().id())
          .append("` | ")
          .append(rule.level().wireValue())
          .append(": ")
          .append(rule.control())
          .append(" | ")
          .append(REASONS.get(rule.metadata().id()))
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String cell(Set<String> ids, boolean api) {
    if (ids.isEmpty()) {
      return "—";
    }
    var verdict = api ? "Forbidden: " : "Deny: ";
    return verdict
        + ids.stream()
            .map(id -> api ? REASONS.get(id) : id.substring(id.indexOf('-', 4) + 1))
            .map(s -> s.replace("|", "\\|"))
            .collect(Collectors.joining(", "));
  }

  private static Path repoRoot() {
    var dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("scripts/ensure-kube.sh"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("repository root not found");
  }
}
