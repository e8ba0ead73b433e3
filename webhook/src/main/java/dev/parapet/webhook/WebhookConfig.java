package dev.parapet.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of the admission webhook ({@code parapet.webhook.*}). */
@ConfigMapping(prefix = "parapet.webhook")
public interface WebhookConfig {
  /**
   * A YAML file of PosturePolicy documents (env {@code PARAPET_WEBHOOK_POLICY_FILE}). When set,
   * policies come only from it and no cluster is needed.
   */
  Optional<String> policyFile();

  /**
   * Parapet's own namespace, always exempt. Default: the pod's namespace (service account mount),
   * else {@code parapet-system}.
   */
  Optional<String> ownNamespace();

  /** Largest AdmissionReview accepted, in bytes (default 3 MiB, the apiserver's own limit). */
  @WithDefault("3145728")
  int maxRequestBytes();

  /**
   * Watch PosturePolicies and Namespaces with informers when no policy file is set. Turn off in a
   * process that must not touch the cluster.
   */
  @WithDefault("true")
  boolean watchCluster();
}
