package dev.parapet.operator.cli;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.findings.FindingPlanner;
import dev.parapet.operator.findings.WorkloadFindings;
import dev.parapet.webhook.Violation;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.budget.Deadline;
import dev.parapet.webhook.policy.InvalidPolicyException;
import dev.parapet.webhook.policy.PolicyFile;
import dev.parapet.webhook.policy.PolicySet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parapet check}: evaluates manifests with the webhook's rules and policy. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description =
        "Check Kubernetes manifests (files, directories, or - for standard input) with the admission"
            + " webhook's rules and policy, before they reach a cluster.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:nothing the webhook would deny, and no open finding at or above --fail-on",
      "1:an object the webhook would deny (a Deny verdict no exception waives), whatever"
          + " --fail-on says; or an open finding at or above --fail-on (Warn and Audit verdicts"
          + " count; excepted ones do not)",
      "2:bad input: an unreadable document or policy, an unknown option value"
    })
public final class CheckCommand implements Callable<Integer> {

  @Option(
      names = {"-f", "--filename"},
      required = true,
      description = "Files, directories (walked for .yaml/.yml/.json) or - for standard input.")
  List<String> inputs;

  @Option(
      names = "--namespace",
      defaultValue = "default",
      description = "Namespace of objects that name none (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--namespace-labels",
      split = ",",
      paramLabel = "KEY=VALUE",
      description =
          "Labels of the namespaces, for policies' namespaceSelector (same for every namespace)."
              + " kubernetes.io/metadata.name=<namespace> is always set, as the API server does.")
  Map<String, String> namespaceLabels = new LinkedHashMap<>();

  @Option(
      names = "--review-budget-ms",
      defaultValue = "2000",
      description =
          "Time one object's evaluation may take, like the webhook's per-review budget; an object"
              + " not checked within it is reported as rule not-fully-checked (Deny under a policy"
              + " that can deny, else Warn), never as clean (default: ${DEFAULT-VALUE}).")
  long reviewBudgetMillis;

  @Mixin CommonOptions common;

  /** Table lines shown per object; JSON, YAML and SARIF keep every violation. */
  static final int MAX_TABLE_LINES_PER_OBJECT = 20;

  /** Longest table line, in chars; longer ones are cut with "…". */
  static final int MAX_TABLE_LINE = 2048;

  /** The label the API server sets on every namespace to its name. */
  static final String NAME_LABEL = "kubernetes.io/metadata.name";

  private final PrintStream out;
  private final PrintStream err;
  private final InputStream in;

  public CheckCommand(PrintStream out, PrintStream err, InputStream in) {
    this.out = out;
    this.err = err;
    this.in = in;
  }

  /** One evaluated violation and where its object was found. */
  record Verdict(ManifestReader.Manifest manifest, HasMetadata object, Violation violation) {}

  @Override
  public Integer call() {
    var format = common.format();
    var failOn = common.failOnSeverity();
    var japanese = common.japanese();
    PolicySet policies;
    try {
      policies =
          common.policy == null
              ? PolicySet.defaults()
              : PolicySet.of(PolicyFile.load(common.policy));
    } catch (InvalidPolicyException e) {
      RedactedOutput.println(err, "parapet: invalid policy: " + e.getMessage());
      return ExitCodes.ERROR;
    }
    var read = new ManifestReader().read(inputs, in);
    for (var p : read.problems()) {
      RedactedOutput.println(err, "parapet: " + p);
    }
    var now = Instant.now();
    var warnedNamespaces = new HashSet<String>();
    var verdicts = new ArrayList<Verdict>();
    int objects = 0;
    for (var m : read.manifests()) {
      HasMetadata object;
      try {
        object = Serialization.jsonMapper().treeToValue(m.object(), HasMetadata.class);
      } catch (Exception e) {
        RedactedOutput.printf(
            err,
            "parapet: %s:%d: not a valid %s: %s%n",
            m.file(),
            m.line(),
            m.object().path("kind").asText(),
            firstLine(e.getMessage()));
        read = withProblem(read, m, e);
        continue;
      }
      if (object.getMetadata() == null) {
        object.setMetadata(new ObjectMetaBuilder().build());
      }
      if (object.getMetadata().getNamespace() == null) {
        object.getMetadata().setNamespace(namespace);
      }
      objects++;
      var ns = object.getMetadata().getNamespace();
      var labels = labelsOf(ns);
      if (warnedNamespaces.add(ns)) {
        warnUnevaluableSelectors(policies, ns, labels);
      }
      var selected = policies.select(ns, labels, null);
      var review = WorkloadReview.of(object, Deadline.startingNow(reviewBudgetMillis));
      for (var v : PolicySet.evaluate(review, selected, now)) {
        verdicts.add(new Verdict(m, object, v));
      }
    }
    var findings = new ArrayList<Reported>();
    for (var v : verdicts) {
      findings.add(
          new Reported(
              finding(v.object(), v.violation(), now), v.manifest().file(), v.manifest().line()));
    }
    if (format == OutputFormat.TABLE || format == OutputFormat.WIDE) {
      printTable(verdicts, japanese);
      RedactedOutput.printf(
          out,
          "%d object(s) checked, %d violation(s) (%d deny, %d warn, %d audit, %d excepted), %d"
              + " unreadable document(s)%n",
          objects,
          verdicts.size(),
          count(verdicts, Enforcement.DENY),
          count(verdicts, Enforcement.WARN),
          count(verdicts, Enforcement.AUDIT),
          verdicts.stream().filter(v -> v.violation().exceptedBy() != null).count(),
          read.problems().size());
    } else {
      RedactedOutput.print(
          out, new FindingsOutput(Versions.parapet(), japanese).render(findings, format));
    }
    if (!read.problems().isEmpty()) {
      return ExitCodes.ERROR;
    }
    return ExitCodes.forCheck(count(verdicts, Enforcement.DENY) > 0, findings, failOn);
  }

  /**
   * The table: at most {@link #MAX_TABLE_LINES_PER_OBJECT} lines per object, then one "and N more"
   * line; each line at most {@link #MAX_TABLE_LINE} chars.
   */
  private void printTable(List<Verdict> verdicts, boolean japanese) {
    // By identity: a model object's equals/hashCode walk the whole object.
    var shown = new IdentityHashMap<HasMetadata, int[]>();
    var firstHidden = new ArrayList<Verdict>();
    for (var v : verdicts) {
      int n = ++shown.computeIfAbsent(v.object(), o -> new int[1])[0];
      if (n <= MAX_TABLE_LINES_PER_OBJECT) {
        RedactedOutput.println(out, cut(RedactedOutput.redact(verdictLine(v, japanese))));
      } else if (n == MAX_TABLE_LINES_PER_OBJECT + 1) {
        firstHidden.add(v);
      }
    }
    for (var v : firstHidden) {
      RedactedOutput.println(
          out,
          cut(
              "...   "
                  + v.manifest().file()
                  + ":"
                  + v.manifest().line()
                  + "  and "
                  + (shown.get(v.object())[0] - MAX_TABLE_LINES_PER_OBJECT)
                  + " more violation(s) of this object (-o json lists them all)"));
    }
  }

  static String cut(String line) {
    return line.length() <= MAX_TABLE_LINE ? line : line.substring(0, MAX_TABLE_LINE - 1) + "…";
  }

  /** The labels assumed for namespace {@code ns}: --namespace-labels plus its name label. */
  Map<String, String> labelsOf(String ns) {
    var labels = new HashMap<String, String>(namespaceLabels == null ? Map.of() : namespaceLabels);
    labels.put(NAME_LABEL, ns);
    return labels;
  }

  /**
   * Warns about each policy that does not select {@code ns} while its namespaceSelector refers to a
   * label this run does not know: offline, the namespace's real labels are unknown, so the policy's
   * rules would otherwise be left out silently where the cluster might apply them.
   */
  private void warnUnevaluableSelectors(PolicySet policies, String ns, Map<String, String> labels) {
    if (PolicySet.ALWAYS_EXEMPT.contains(ns)) {
      return;
    }
    for (var p : policies.policies()) {
      var selector = p.namespaceSelector();
      if (p.excludedNamespaces().contains(ns) || selector.matches(labels)) {
        continue;
      }
      var unknown = new TreeSet<String>(selector.matchLabels().keySet());
      selector.expressions().forEach(r -> unknown.add(r.key()));
      unknown.removeAll(labels.keySet());
      if (!unknown.isEmpty()) {
        RedactedOutput.printf(
            err,
            "parapet: warning: policy %s not applied to namespace %s: its namespaceSelector"
                + " needs label(s) %s, unknown offline; give the namespace's labels with"
                + " --namespace-labels%n",
            p.name(),
            ns,
            String.join(", ", unknown));
      }
    }
  }

  private static ManifestReader.Result withProblem(
      ManifestReader.Result read, ManifestReader.Manifest m, Exception e) {
    var problems = new ArrayList<>(read.problems());
    problems.add(new ManifestReader.Problem(m.file(), m.line(), firstLine(e.getMessage())));
    return new ManifestReader.Result(read.manifests(), problems);
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  private static long count(List<Verdict> verdicts, Enforcement e) {
    return verdicts.stream()
        .filter(v -> v.violation().exceptedBy() == null && v.violation().enforcement() == e)
        .count();
  }

  /** The webhook's wording, prefixed with the decision and the position. */
  static String verdictLine(Verdict v, boolean japanese) {
    var violation = v.violation();
    var decision =
        violation.exceptedBy() != null
            ? "EXCEPTED"
            : violation.enforcement().wireValue().toUpperCase(java.util.Locale.ROOT);
    var text = violation.message();
    if (japanese) {
      text = text.replace(violation.rule().remediationEn(), violation.rule().remediationJa());
    }
    var line = decision + "  " + v.manifest().file() + ":" + v.manifest().line() + "  " + text;
    return violation.exceptedBy() == null
        ? line
        : line + " (exception: " + violation.exceptedBy().reason() + ")";
  }

  /** The Finding the controller's cluster audit writes for this violation, status included. */
  static Finding finding(HasMetadata object, Violation v, Instant now) {
    var desired = WorkloadFindings.desired(object, v);
    var f = FindingPlanner.toFinding(desired);
    f.getMetadata().setOwnerReferences(null); // not stored in a cluster: no owner uid to refer to
    f.setStatus(
        new FindingStatus(
            desired.state(), now.toString(), now.toString(), null, desired.suppressedBy()));
    return f;
  }
}
