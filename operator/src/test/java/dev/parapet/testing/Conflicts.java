package dev.parapet.testing;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/**
 * Test-side writes to objects the operator also writes (a CloudAccount's status patch moves its
 * resourceVersion) can meet a 409 Conflict from optimistic locking, as a real client would. Tests
 * retry such a write on a fresh read, like {@code kubectl edit} asks its user to.
 */
public final class Conflicts {

  private static final int ATTEMPTS = 10;

  private Conflicts() {}

  public static <T> T retry(Supplier<T> write) {
    for (var attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
