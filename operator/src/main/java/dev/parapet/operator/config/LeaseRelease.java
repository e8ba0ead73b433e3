package dev.parapet.operator.config;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import org.jboss.logging.Logger;

/**
 * Gives up the controller's Lease on shutdown, as client-go's ReleaseOnCancel does: when the Lease
 * still names this replica, its holder is cleared and its duration set to one second, so a standby
 * acquires it at its next retry. The write is an update carrying the read resourceVersion, so a
 * Lease another replica took in between is never overwritten.
 */
public final class LeaseRelease {

  private static final Logger LOG = Logger.getLogger(LeaseRelease.class);

  private LeaseRelease() {}

  public static void release(ParapetConfig.LeaderElection settings) {
    var identity =
        settings.identity().filter(id -> !id.isBlank()).orElse(System.getenv("HOSTNAME"));
    if (identity == null || identity.isBlank()) {
      LOG.info("Lease not released: this replica's holder identity is unknown (no POD_NAME)");
      return;
    }
    // The operator's own client may already be closed by JOSDK's stop: use a short-lived one
    // configured the same way (in a pod: the mounted ServiceAccount).
    try (var client = new KubernetesClientBuilder().build()) {
      var namespace = settings.leaseNamespace().orElse(client.getNamespace());
      var lease = client.leases().inNamespace(namespace).withName(settings.leaseName()).get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(ZonedDateTime.now());
      client.resource(lease).update();
      LOG.infof("released Lease %s/%s held by %s", namespace, settings.leaseName(), identity);
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not release Lease %s (a standby takes over when it expires): HTTP %d %s",
          settings.leaseName(),
          e.getCode(),
          e.getStatus() == null ? "" : e.getStatus().getMessage());
    }
  }
}
