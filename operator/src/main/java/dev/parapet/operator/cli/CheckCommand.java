package dev.parapet.operator.cli;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.findings.FindingNames;
import dev.parapet.webhook.Violation;
import dev.parapet.webhook.WorkloadReview;
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
import java.util.List;
import java.util.Map;
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
            + " webhook's rules and policy, before they reach a cluster.")
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

  @Mixin CommonOptions common;

  private final PrintStream out;
  private final PrintStream err;
  private final InputStream in;

  public CheckCommand(PrintStream out, PrintStream err, InputStream in) {
    this.out = out;
    this.err = err;
    this.in = in;
  }

  /** One evaluated violation and where its object was found. */
  record Verdict(ManifestReader.Manifest manifest, Violation violation) {}

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
      err.println("parapet: invalid policy: " + e.getMessage());
      return ExitCodes.ERROR;
    }
    var read = new ManifestReader().read(inputs, in);
    for (var p : read.problems()) {
      err.println("parapet: " + p);
    }
    var now = Instant.now();
    var verdicts = new ArrayList<Verdict>();
    int objects = 0;
    for (var m : read.manifests()) {
      HasMetadata object;
      try {
        object = Serialization.jsonMapper().treeToValue(m.object(), HasMetadata.class);
      } catch (Exception e) {
        err.printf(
            "parapet: %s:%d: not a valid %s: %s%n",
            m.file(), m.line(), m.object().path("kind").asText(), firstLine(e.getMessage()));
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
      var selected = policies.select(object.getMetadata().getNamespace(), Map.of(), null);
      for (var v : PolicySet.evaluate(WorkloadReview.of(object), selected, now)) {
        verdicts.add(new Verdict(m, v));
      }
    }
    var findings = new ArrayList<Reported>();
    for (var v : verdicts) {
      findings.add(new Reported(finding(v, now), v.manifest().file(), v.manifest().line()));
    }
    if (format == OutputFormat.TABLE || format == OutputFormat.WIDE) {
      for (var v : verdicts) {
        out.println(verdictLine(v, japanese));
      }
      out.printf(
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
      out.print(new FindingsOutput(Versions.parapet(), japanese).render(findings, format));
    }
    if (!read.problems().isEmpty()) {
      return ExitCodes.ERROR;
    }
    return ExitCodes.forFindings(findings, failOn);
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
        : line + " (exception: " + violation.exceptedBy() + ")";
  }

  /** The Finding the controller's cluster audit writes for this violation. */
  static Finding finding(Verdict verdict, Instant now) {
    var v = verdict.violation();
    var object = verdict.manifest().object();
    var apiVersion = object.path("apiVersion").asText();
    var labels = new HashMap<String, String>();
    labels.put(Finding.LABEL_SEVERITY, v.rule().severity().wireValue());
    labels.put(Finding.LABEL_RULE, FindingNames.labelValue(v.rule().id()));
    labels.put(Finding.LABEL_SOURCE, FindingSpec.Source.KUBERNETES.wireValue());
    var f = new Finding();
    f.setMetadata(
        new ObjectMetaBuilder()
            .withName(
                FindingNames.name(
                    v.rule().id(), v.namespace() + "/" + v.kind() + "/" + v.name() + "#" + v.key()))
            .withNamespace(v.namespace())
            .withLabels(labels)
            .build());
    f.setSpec(
        new FindingSpec(
            FindingSpec.Source.KUBERNETES,
            new FindingSpec.Rule(
                v.rule().id(),
                v.rule().titleEn(),
                v.rule().titleJa(),
                v.rule().severity(),
                List.of()),
            new FindingSpec.Resource(
                apiVersion + " " + v.kind(),
                v.kind() + "/" + v.name(),
                null,
                null,
                null,
                apiVersion,
                v.kind(),
                v.namespace(),
                v.name()),
            v.message(),
            new FindingSpec.Remediation(v.rule().remediationEn(), v.rule().remediationJa(), null)));
    var state = v.exceptedBy() == null ? FindingStatus.State.OPEN : FindingStatus.State.SUPPRESSED;
    f.setStatus(
        new FindingStatus(
            state,
            now.toString(),
            now.toString(),
            null,
            v.exceptedBy() == null
                ? null
                : new FindingStatus.SuppressedBy(v.policy(), null, v.exceptedBy(), null)));
    return f;
  }
}
