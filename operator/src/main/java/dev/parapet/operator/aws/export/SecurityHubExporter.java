package dev.parapet.operator.aws.export;

import dev.parapet.operator.aws.collect.AwsSession;
import dev.parapet.operator.aws.collect.Failures;
import dev.parapet.webhook.secrets.Redactor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

/**
 * Sends findings to Security Hub with {@code BatchImportFindings}: at most {@value #BATCH} per call
 * (the API's limit). Findings the API reports in {@code FailedFindings} are retried once, together,
 * after every batch went out; what fails again is reported, not retried (the next scan tries again,
 * since nothing marks it exported). Throttling is retried by the SDK's retry strategy (the same
 * throttling-aware one as the scan's); a call that still fails (AccessDenied, Security Hub not
 * enabled in the region, throttled beyond the retries) stops the export, and every finding not yet
 * imported is reported as not sent.
 */
public final class SecurityHubExporter {

  /** BatchImportFindings accepts at most 100 findings per call. */
  public static final int BATCH = 100;

  /** The IAM actions the export calls (the generated export policy grants exactly these). */
  public static final List<String> IAM_ACTIONS = List.of("securityhub:BatchImportFindings");

  /** The API call as the {@code ApiCallCounter} names it. */
  public static final String CALL = "securityhub:BatchImportFindings";

  /** Security Hub's answer when it is not enabled for the account in the region. */
  static final String NOT_SUBSCRIBED = "InvalidAccessException";

  private SecurityHubExporter() {}

  /** A finding Security Hub refused (FailedFindings), after the one retry. */
  public record Failure(String id, String code, String message) {}

  /**
   * Why the export stopped: {@code AccessDenied}, {@code SecurityHubNotEnabled}, {@code Throttled},
   * {@code Timeout}, {@code Unsupported} or {@code Error}, with a redacted message.
   */
  public record Problem(String reason, String message) {}

  /**
   * What an export did. {@code imported}: ids Security Hub accepted. {@code failed}: refused after
   * the retry. {@code notSent}: ids never accepted because the export stopped ({@code problem}).
   * {@code calls}: BatchImportFindings calls (one per batch, retries of failed findings included;
   * the SDK's own retries of a throttled call are in {@code attempts}).
   */
  public record Result(
      List<String> imported,
      List<Failure> failed,
      List<String> notSent,
      long calls,
      long attempts,
      Problem problem) {

    public boolean complete() {
      return problem == null && failed.isEmpty() && notSent.isEmpty();
    }
  }

  /** Imports {@code findings} into {@code target}, as of {@code now}, through {@code session}. */
  public static Result export(
      AwsSession session, Asff.Target target, List<ExportedFinding> findings, Instant now) {
    var asff = new LinkedHashMap<String, AwsSecurityFinding>();
    for (var f : findings) {
      var mapped = Asff.finding(f, target, now);
      asff.put(mapped.id(), mapped);
    }
    var callsBefore = session.counter().calls().getOrDefault(CALL, 0L);
    var attemptsBefore = session.counter().totalAttempts();
    var client = session.client(SecurityHubClient.class, target.region());
    var imported = new LinkedHashSet<String>();
    var failed = new LinkedHashMap<String, Failure>();
    var problem = send(client, target, List.copyOf(asff.values()), imported, failed);
    if (problem == null && !failed.isEmpty()) {
      // One retry, of the refused findings only; what fails again waits for the next scan.
      var again = failed.keySet().stream().map(asff::get).toList();
      failed.clear();
      problem = send(client, target, again, imported, failed);
    }
    var notSent = new ArrayList<String>();
    for (var id : asff.keySet()) {
      if (!imported.contains(id) && !failed.containsKey(id)) {
        notSent.add(id);
      }
    }
    return new Result(
        List.copyOf(imported),
        List.copyOf(failed.values()),
        List.copyOf(notSent),
        session.counter().calls().getOrDefault(CALL, 0L) - callsBefore,
        session.counter().totalAttempts() - attemptsBefore,
        problem);
  }

  /** Sends in batches of {@value #BATCH}; stops at the first call that fails as a whole. */
  private static Problem send(
      SecurityHubClient client,
      Asff.Target target,
      List<AwsSecurityFinding> findings,
      java.util.Set<String> imported,
      Map<String, Failure> failed) {
    for (int from = 0; from < findings.size(); from += BATCH) {
      var batch = findings.subList(from, Math.min(findings.size(), from + BATCH));
      try {
        var response = client.batchImportFindings(r -> r.findings(batch));
        var refused = new LinkedHashMap<String, Failure>();
        if (response.failedFindings() != null) {
          for (var e : response.failedFindings()) {
            refused.put(
                e.id(),
                new Failure(
                    e.id(), e.errorCode(), Redactor.redact(String.valueOf(e.errorMessage()))));
          }
        }
        for (var f : batch) {
          if (refused.containsKey(f.id())) {
            failed.put(f.id(), refused.get(f.id()));
          } else {
            imported.add(f.id());
            failed.remove(f.id());
          }
        }
      } catch (SdkException e) {
        return problem(e, target.region());
      }
    }
    return null;
  }

  static Problem problem(SdkException e, String region) {
    var error = Failures.classify(e, "securityhub", region, "BatchImportFindings");
    if (e instanceof AwsServiceException ase
        && ase.awsErrorDetails() != null
        && NOT_SUBSCRIBED.equals(ase.awsErrorDetails().errorCode())) {
      return new Problem(
          "SecurityHubNotEnabled",
          "Security Hub is not enabled for the account in "
              + region
              + " (enable it there, or set spec.export.securityHub.region): "
              + error.message());
    }
    var reason = error.reason().name();
    var hint =
        switch (reason) {
          case "AccessDenied" ->
              " (the scan credentials need securityhub:BatchImportFindings on the account's"
                  + " default product: deploy/aws/securityhub-export-policy.json)";
          case "Throttled" -> " (still throttled after the SDK's retries; the next scan resumes)";
          default -> "";
        };
    return new Problem(reason, error.message() + hint);
  }
}
