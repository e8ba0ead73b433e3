package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.core.Severity;
import dev.parapet.webhook.secrets.Redactor;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Kubernetes Events on a CloudAccount: scan failures and new Critical/High findings. */
@ApplicationScoped
public class AccountEvents {

  private static final Logger LOG = Logger.getLogger(AccountEvents.class);

  private final KubernetesClient client;

  @Inject
  public AccountEvents(KubernetesClient client) {
    this.client = client;
  }

  public void scanFailed(CloudAccount account, String reason, String message) {
    emit(account, "Warning", reason, message);
  }

  /** An Event of remediation (applied, planned, failed, stopped, write role missing). */
  public void remediation(CloudAccount account, String type, String reason, String message) {
    emit(account, type, reason, message);
  }

  /**
   * One Event per scan listing the new Critical and High findings (up to five names), in English.
   */
  public void newFindings(CloudAccount account, List<Finding> newlyOpen) {
    newFindings(account, newlyOpen, PosturePolicySpec.Language.EN);
  }

  /**
   * One Event per scan listing the new Critical and High findings (up to five names), in the
   * language of the policies that apply to the account ({@code spec.reporting.language}).
   */
  public void newFindings(
      CloudAccount account, List<Finding> newlyOpen, PosturePolicySpec.Language language) {
    var message = newFindingsMessage(newlyOpen, language);
    if (message != null) {
      emit(account, "Warning", "NewFindings", message);
    }
  }

  /** The NewFindings message, or null when no new finding is critical or high. */
  static String newFindingsMessage(List<Finding> newlyOpen, PosturePolicySpec.Language language) {
    var severe =
        newlyOpen.stream()
            .filter(f -> f.getSpec().rule().severity().atLeast(Severity.HIGH))
            .toList();
    if (severe.isEmpty()) {
      return null;
    }
    var names =
        severe.stream()
            .limit(5)
            .map(f -> f.getMetadata().getName())
            .collect(Collectors.joining(", "));
    var more = severe.size() > 5 ? ", ..." : "";
    var critical =
        severe.stream().filter(f -> f.getSpec().rule().severity() == Severity.CRITICAL).count();
    if (language == PosturePolicySpec.Language.JA) {
      return "重大度 critical/high の新しい検出結果が "
          + severe.size()
          + " 件あります（うち critical "
          + critical
          + " 件）: "
          + names
          + more;
    }
    return severe.size()
        + " new critical/high findings ("
        + critical
        + " critical): "
        + names
        + more;
  }

  /**
   * Records an Event the way kubectl describe shows repeats: the same type, reason and message on
   * the same account is one Event whose count and lastTimestamp go up (its name is derived from
   * them, so a restarted controller finds it again), not a new object per scan.
   */
  private void emit(CloudAccount account, String type, String reason, String message) {
    var now = Instant.now().toString();
    var meta = account.getMetadata();
    var text = Redactor.redact(message);
    var name = meta.getName() + "." + digest(meta.getUid(), type, reason, text);
    var events = client.v1().events().inNamespace(meta.getNamespace());
    try {
      if (events.withName(name).get() != null) {
        events
            .withName(name)
            .edit(
                e -> {
                  e.setCount(e.getCount() == null ? 2 : e.getCount() + 1);
                  e.setLastTimestamp(now);
                  return e;
                });
        return;
      }
      var event =
          new EventBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(meta.getNamespace())
              .endMetadata()
              .withInvolvedObject(
                  new ObjectReferenceBuilder()
                      .withApiVersion(account.getApiVersion())
                      .withKind(account.getKind())
                      .withName(meta.getName())
                      .withNamespace(meta.getNamespace())
                      .withUid(meta.getUid())
                      .build())
              .withType(type)
              .withReason(reason)
              .withMessage(text)
              .withFirstTimestamp(now)
              .withLastTimestamp(now)
              .withCount(1)
              .withNewSource("parapet-controller", null)
              .build();
      events.resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not record event %s on %s/%s: HTTP %d %s",
          reason,
          meta.getNamespace(),
          meta.getName(),
          e.getCode(),
          e.getStatus() == null ? "" : String.valueOf(e.getStatus().getMessage()));
    }
  }

  /** 16 hex characters naming one (object, type, reason, message) series. */
  static String digest(String... parts) {
    try {
      var sha = MessageDigest.getInstance("SHA-256");
      for (var p : parts) {
        sha.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
