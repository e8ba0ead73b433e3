package dev.parapet.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * Lets state outside Kubernetes (a finished scan, a change in exception use) trigger a reconcile.
 */
public class TriggerEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {

  public TriggerEventSource(String name) {
    super(Void.class, name);
  }

  @Override
  public Set<Void> getSecondaryResources(P primary) {
    return Set.of();
  }

  /** Queues a reconcile of the resource; ignored until the controller has started. */
  public void fire(ResourceID id) {
    if (isRunning() && getEventHandler() != null) {
      getEventHandler().handleEvent(new Event(id));
    }
  }
}
