package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.Severity;
import dev.parapet.operator.findings.Redactor;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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

  /** One Event per scan listing the new Critical and High findings (up to five names). */
  public void newFindings(CloudAccount account, List<Finding> newlyOpen) {
    var severe =
        newlyOpen.stream()
            .filter(f -> f.getSpec().rule().severity().atLeast(Severity.HIGH))
            .toList();
    if (severe.isEmpty()) {
      return;
    }
    var names =
        severe.stream()
            .limit(5)
            .map(f -> f.getMetadata().getName())
            .collect(Collectors.joining(", "));
    var critical =
        severe.stream().filter(f -> f.getSpec().rule().severity() == Severity.CRITICAL).count();
    emit(
        account,
        "Warning",
        "NewFindings",
        severe.size()
            + " new critical/high findings ("
            + critical
            + " critical): "
            + names
            + (severe.size() > 5 ? ", ..." : ""));
  }

  private void emit(CloudAccount account, String type, String reason, String message) {
    var now = Instant.now().toString();
    var meta = account.getMetadata();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(meta.getName() + "." + UUID.randomUUID().toString().substring(0, 8))
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
            .withMessage(Redactor.redact(message))
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource("parapet-controller", null)
            .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not record event %s on %s/%s: %s",
          reason, meta.getNamespace(), meta.getName(), e.getMessage());
    }
  }
}
