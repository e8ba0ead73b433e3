package dev.parapet.operator.config;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * How the reconcilers write a status they compute whole (from the spec, the policies and the last
 * scan): with server-side apply (the packaged application), an apply without a resourceVersion, so
 * the controller's field manager owns the status and the write is not refused with 409 when the
 * cached copy it started from is one write behind (seen on the real API server at every start: a
 * trigger re-reconciles a PosturePolicy right after its first status write). A status computed from
 * an older spec is replaced by the reconcile that the newer spec's event triggers, and {@code
 * observedGeneration} says which one it reflects. Without server-side apply (the Quarkus tests on
 * the mock server) the framework's JSON patch is left as it is.
 */
public final class StatusApply {

  private StatusApply() {}

  public static <R extends HasMetadata> UpdateControl<R> patchStatus(R resource, Context<R> ctx) {
    if (ctx.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
      resource.getMetadata().setResourceVersion(null);
    }
    return UpdateControl.patchStatus(resource);
  }
}
