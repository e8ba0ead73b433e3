package dev.parapet.operator.aws.collect;

import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts each API call for the scan that made it although SDK clients are shared between scans, and
 * tells the shared clients which account a call is for (credentials, token buckets, retry state:
 * see {@link AwsClientFactory}).
 *
 * <p>A thread works for one scan at a time: the scan's {@link ApiCallCounter} is bound to the
 * thread while it runs a collector or a probe ({@link AwsSession#bind()}), and whenever the thread
 * asks a session for a client. Every cached client carries its factory's {@link Interceptor}, which
 * passes each call to the counter bound to the calling thread. Synchronous SDK clients run a whole
 * call (interceptors, signing, retries) on the calling thread, so attribution is exact however
 * scans interleave, provided a collector makes its calls on the thread that runs it (collectors
 * start no threads of their own). A call made with no scan bound is counted by the interceptor as
 * unattributed, so a test can tell.
 *
 * <p>(Wrapping each client per session in a {@link java.lang.reflect.Proxy} would not need the
 * thread rule, but generating the proxy class for {@code Ec2Client} loads and initialises every
 * request and response class of the service: 2.5 s and ~11,000 classes, ~39 MB of metaspace.)
 */
final class ScanAttribution {
  private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

  private ScanAttribution() {}

  /**
   * What a thread's calls are made for: the scan's counter, and the account (credential source)
   * whose credentials sign them, whose token buckets they take from and whose retry state they use
   * (the clients themselves are shared across accounts, see {@link AwsClientFactory}).
   */
  record Scope(ApiCallCounter counter, AwsClientFactory.SourceClients source) {}

  /** Binds {@code scope} to this thread until the binding is closed (then restores the last). */
  static Binding bind(Scope scope) {
    var previous = CURRENT.get();
    CURRENT.set(scope);
    return new Binding(previous);
  }

  /** Binds {@code scope} to this thread with no end (a session handing out a client). */
  static void set(Scope scope) {
    CURRENT.set(scope);
  }

  /** The scope bound to this thread, or null. */
  static Scope current() {
    return CURRENT.get();
  }

  /** Restores the thread's previous binding when closed. */
  static final class Binding implements AwsSession.Binding {
    private final Scope previous;

    private Binding(Scope previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** Added to every client of one factory. */
  static final class Interceptor implements ExecutionInterceptor {
    private final LongAdder unattributed = new LongAdder();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      var scope = CURRENT.get();
      if (scope != null) {
        scope.counter().beforeExecution(context, attributes);
      } else {
        unattributed.increment();
      }
    }

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      var scope = CURRENT.get();
      if (scope != null) {
        scope.counter().beforeTransmission(context, attributes);
        // The account's token bucket for this service and region (after counting the attempt).
        scope.source().rateLimiter().beforeTransmission(context, attributes);
      }
    }

    long unattributed() {
      return unattributed.sum();
    }
  }
}
