package dev.parapet.operator.securityhub;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.aws.export.ExportedFinding;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Decides which Findings go to Security Hub after a scan. Pure: no I/O.
 *
 * <p><b>What is remembered, and where.</b> After Security Hub accepted a finding, the operator
 * annotates the Finding object with {@value #HASH} (a digest of everything the export sent except
 * its timestamps, plus the destination product ARN) and {@value #AT} (when). A Finding is sent
 * again only when that digest changes (new severity, evidence, state, remediation, region...), or
 * when it is still open and its last import is older than {@link #REFRESH} (Security Hub deletes
 * findings not updated for 90 days). Unchanged Findings are not re-imported, so an unchanged rescan
 * makes no Security Hub call. The memory lives with the Finding in the API server, so a restarted
 * or new leader does not send everything again, and a Finding deleted in Kubernetes takes its
 * memory with it.
 *
 * <p>A resolved or suppressed Finding that was never exported is not sent (there is nothing in
 * Security Hub to archive).
 */
public final class ExportPlanner {

  /** Digest of the content last accepted by Security Hub. */
  public static final String HASH = "securityhub.parapet.dev/exported-hash";

  /** When Security Hub last accepted the Finding (RFC 3339). */
  public static final String AT = "securityhub.parapet.dev/exported-at";

  /** An open Finding is imported again at least this often, though unchanged. */
  public static final Duration REFRESH = Duration.ofDays(30);

  private ExportPlanner() {}

  /** A Finding to send, its ASFF input, and the digest to remember once it is accepted. */
  public record Item(Finding finding, ExportedFinding exported, String fingerprint) {}

  /** The Findings of one account to send now, in name order. */
  public static List<Item> plan(
      List<Finding> findings, String namespace, String productArn, Instant now) {
    var out = new ArrayList<Item>();
    for (var f : findings) {
      var spec = f.getSpec();
      if (spec == null || spec.source() != FindingSpec.Source.AWS || spec.rule() == null) {
        continue;
      }
      var exported = exported(f, namespace, now);
      var fingerprint = exported.fingerprint(productArn);
      var annotations = f.getMetadata().getAnnotations();
      var last = annotations == null ? null : annotations.get(HASH);
      var open = exported.disposition() == ExportedFinding.Disposition.OPEN;
      if (last == null && !open) {
        continue; // never in Security Hub: nothing to archive
      }
      if (fingerprint.equals(last) && !(open && stale(annotations, now))) {
        continue; // Security Hub holds exactly this
      }
      out.add(new Item(f, exported, fingerprint));
    }
    out.sort(Comparator.comparing(i -> i.finding().getMetadata().getName()));
    return out;
  }

  /** The ASFF {@code Id} of a Finding: stable for as long as the Finding object exists. */
  public static String id(String namespace, String findingName) {
    return "parapet/" + namespace + "/" + findingName;
  }

  static ExportedFinding exported(Finding f, String namespace, Instant now) {
    var spec = f.getSpec();
    var rule = spec.rule();
    var resource = spec.resource();
    var status = f.getStatus();
    var state =
        status == null || status.state() == null ? FindingStatus.State.OPEN : status.state();
    var disposition =
        switch (state) {
          case OPEN -> ExportedFinding.Disposition.OPEN;
          case SUPPRESSED -> ExportedFinding.Disposition.SUPPRESSED;
          case RESOLVED -> ExportedFinding.Disposition.RESOLVED;
        };
    var suppressed = status == null ? null : status.suppressedBy();
    var remediation = spec.remediation();
    return new ExportedFinding(
        id(namespace, f.getMetadata().getName()),
        rule.id(),
        rule.title(),
        spec.message(),
        rule.severity(),
        rule.compliance() == null
            ? List.of()
            : rule.compliance().stream()
                .map(c -> new RuleMetadata.Control(c.framework(), c.control()))
                .toList(),
        resource == null ? null : resource.type(),
        resource == null ? null : resource.id(),
        resource == null ? null : resource.arn(),
        resource == null ? null : resource.region(),
        remediation == null ? null : remediation.text(),
        remediation == null ? null : remediation.url(),
        firstSeen(f, now),
        disposition,
        suppressed == null ? null : suppressed.policy() + "/" + suppressed.exception());
  }

  private static Instant firstSeen(Finding f, Instant now) {
    var status = f.getStatus();
    for (var candidate :
        new String[] {
          status == null ? null : status.firstSeen(), f.getMetadata().getCreationTimestamp()
        }) {
      if (candidate != null) {
        try {
          return Instant.parse(candidate);
        } catch (DateTimeParseException e) {
          // try the next one
        }
      }
    }
    return now;
  }

  private static boolean stale(Map<String, String> annotations, Instant now) {
    var at = annotations.get(AT);
    if (at == null) {
      return true;
    }
    try {
      return !Instant.parse(at).plus(REFRESH).isAfter(now);
    } catch (DateTimeParseException e) {
      return true;
    }
  }
}
