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
   * Time one review may take from its arrival, in milliseconds (env {@code
   * PARAPET_WEBHOOK_REVIEW_BUDGET_MILLIS}). Keep it below the webhook configuration's {@code
   * timeoutSeconds} (the chart passes two thirds of it): past it the object is reported "not fully
   * checked" (denied under a policy that can deny, else allowed with a warning) instead of the API
   * server timing out and applying the failurePolicy.
   */
  @WithDefault("2000")
  long reviewBudgetMillis();

  /**
   * Watch PosturePolicies and Namespaces with informers when no policy file is set. Turn off in a
   * process that must not touch the cluster.
   */
  @WithDefault("true")
  boolean watchCluster();
}
