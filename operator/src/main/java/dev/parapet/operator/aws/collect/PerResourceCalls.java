package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import java.util.function.Supplier;

/**
 * The per-resource calls of one dataset where AWS has no batch form (e.g. one GetQueueAttributes
 * per queue): each failure becomes an {@code Unknown} for that resource only, named with the
 * resource; when every call failed (no permission at all, say) the dataset fails as a whole with
 * the first error, so the rule is UNKNOWN for the region with one clear reason.
 */
final class PerResourceCalls {
  private final CollectContext ctx;
  private final String service;
  private RuntimeException first;
  private int calls;
  private int failures;

  PerResourceCalls(CollectContext ctx, String service) {
    this.ctx = ctx;
    this.service = service;
  }

  <T> Fact<T> read(String operation, String resource, Supplier<T> call) {
    calls++;
    try {
      return Fact.known(call.get());
    } catch (RuntimeException e) {
      failures++;
      first = first == null ? e : first;
      var error = Failures.classify(e, service, ctx.region(), operation);
      return Fact.unknown(
          new CollectionError(
              error.service(),
              error.region(),
              error.operation(),
              error.reason(),
              resource + ": " + error.message()));
    }
  }

  /** Throws the first failure when every call failed. */
  void finish() {
    if (calls > 0 && failures == calls) {
      throw first;
    }
  }
}
