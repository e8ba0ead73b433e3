package dev.parapet.operator.aws.collect;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The clients of one scan, for one account: one per service and region. The SDK clients themselves
 * are the factory's, one per endpoint override, service and region shared by every account ({@link
 * AwsClientFactory}), so their users must not close them; what makes a call this session's
 * account's (credentials, token buckets, retry state) and counts it in this session's {@link
 * ApiCallCounter} is the session bound to the calling thread ({@link #bind()}; asking a session for
 * a client binds it too), see {@link ScanAttribution}. A client is therefore used on the thread
 * that asked for it, before that thread asks another session for one. Closing the session releases
 * the clients to the cache (it does not close them).
 */
public final class AwsSession implements AutoCloseable {
  private final ClientCache.Lease<AwsClientFactory.SourceClients> lease;
  private final ClientCache.Lease<AwsClientFactory.SharedClients> clients;
  private final AwsClientFactory.SourceClients source;
  private final String homeRegion;
  private final ApiCallCounter counter;
  private final ScanAttribution.Scope scope;
  private final Map<String, FutureTask<Object>> shared = new ConcurrentHashMap<>();

  AwsSession(
      ClientCache.Lease<AwsClientFactory.SourceClients> lease,
      ClientCache.Lease<AwsClientFactory.SharedClients> clients,
      String homeRegion,
      ApiCallCounter counter) {
    this.lease = lease;
    this.clients = clients;
    this.source = lease.value();
    this.homeRegion = homeRegion;
    this.counter = counter;
    this.scope = new ScanAttribution.Scope(counter, source);
  }

  public ApiCallCounter counter() {
    return counter;
  }

  /**
   * Makes this thread's API calls this session's (its account's credentials, counted for its scan)
   * until the binding is closed (collectors and probes run inside one).
   */
  public Binding bind() {
    return ScanAttribution.bind(scope);
  }

  /** A thread's binding to a session; closing it restores the thread's previous binding. */
  public interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  /** Where global services (IAM, S3 listing, S3 Control, STS) are called. */
  public String homeRegion() {
    return homeRegion;
  }

  /**
   * The client of {@code type} (any service of {@link AwsServices}) in {@code region}, built once
   * per endpoint override for all accounts; binds this session to the calling thread.
   */
  public <C extends SdkAutoCloseable> C client(Class<C> type, String region) {
    ScanAttribution.set(scope);
    return clients.value().client(AwsServices.of(type), region);
  }

  /** The client of a global service ({@code type}) in the home region. */
  public <C extends SdkAutoCloseable> C client(Class<C> type) {
    return client(type, homeRegion);
  }

  /**
   * A value read once per scan and shared by several collectors (e.g. the S3 bucket list that every
   * per-bucket dataset needs): the first caller computes it, concurrent callers wait for it, and a
   * failure is rethrown to every caller.
   */
  @SuppressWarnings("unchecked")
  public <T> T shared(String key, Supplier<T> read) {
    var task = new FutureTask<Object>(read::get);
    var existing = shared.putIfAbsent(key, task);
    if (existing == null) {
      task.run();
      existing = task;
    }
    try {
      return (T) existing.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + key, e);
    }
  }

  /** This session's account state: credentials provider, token buckets, retry (tests). */
  AwsClientFactory.SourceClients sourceClients() {
    return source;
  }

  /** Releases the clients and the account's state to the factory's caches; they stay open. */
  @Override
  public void close() {
    lease.close();
    clients.close();
  }
}
