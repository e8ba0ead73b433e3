package dev.parapet.operator.aws.collect;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.LongSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds AWS SDK clients: url-connection HTTP client, the SDK's adaptive retry strategy (its
 * backoff tuned for throttling, its sending rate lowered after throttles; one per account through
 * {@link AccountRetryStrategy}), timeouts, endpoint override for every service ({@link AwsServices}
 * has the builders), and credentials from a {@link CredentialSource}. One factory per process; one
 * {@link AwsSession} per scan.
 *
 * <p><b>Clients are shared across accounts.</b> There is one client per endpoint override, service
 * and region for the whole process, whatever the number of accounts (an SDK client holds ≈26 KB of
 * configuration; one set per account was ≈7 MB per account, see docs/benchmarks.md). What is the
 * account's is chosen per call, from the session bound to the calling thread ({@link
 * ScanAttribution}; a session binds itself whenever it hands out a client, and collectors, probes
 * and pollers run inside {@link AwsSession#bind()}): the credentials that sign the call ({@link
 * BoundCredentials}), the account's token buckets ({@link ApiRateLimiter}, per account, service and
 * region, as AWS throttles) and the account's retry state ({@link AccountRetryStrategy}: the SDK's
 * retry quota and any adaptive rate are per client, so without it one throttled account would use
 * up the others' retries). Synchronous SDK clients resolve credentials, sign, retry and run the
 * interceptors on the calling thread, so this is exact however scans interleave. A call on a thread
 * with no session bound, or bound to a session of another endpoint, fails before it is signed: it
 * never borrows another account's credentials.
 *
 * <p>Per credential source, endpoint override and home region (the whole {@link CredentialSource}
 * is part of the key, secrets included, so a changed role, external id, key or endpoint never
 * reuses what was made for the old one) the factory caches the credentials provider (assume-role
 * providers reuse their credentials and refresh them before expiry; each holds its own STS client,
 * with the base credentials), token buckets and retry state (the retry state only while a session
 * of the account is open, see {@link SourceClients#idle()}). That is ≈3 KB per account (static
 * keys, measured; an assume-role source adds its STS client, ≈26 KB), so up to {@link #MAX_SOURCES}
 * sources are kept (an organization of 1,000 accounts does not churn), least recently used evicted
 * first, and a source unused for {@link #IDLE_EXPIRY} is dropped; evicted entries and clients are
 * closed once no scan uses them. One SDK default credential chain per factory. API calls are still
 * counted per scan. A session's clients are shared objects: never close them (closing the session
 * releases them).
 */
public final class AwsClientFactory implements AutoCloseable {
  static final int MAX_SOURCES = 1024;

  /** Endpoint overrides whose clients are kept (production has one: none). */
  static final int MAX_ENDPOINTS = 8;

  static final Duration IDLE_EXPIRY = Duration.ofHours(3);
  private final ClientSettings settings;
  private final ApiRateLimiter.Limits rateLimits;
  private final SdkHttpClient httpClient;
  private final ClientCache<SourceKey, SourceClients> cache;
  private final ClientCache<EndpointKey, SharedClients> shared;
  private final BoundCredentials boundCredentials = new BoundCredentials();
  private final RetryStrategy fallbackRetry;
  private final ApiCallCounter credentialCalls = new ApiCallCounter();
  private final ScanAttribution.Interceptor attribution = new ScanAttribution.Interceptor();
  private volatile DefaultCredentialsProvider defaultChain;
  // One timer pool for every client's call/attempt timeouts, instead of a pool per client.
  private final ScheduledExecutorService timers = timers();

  /**
   * Every call schedules its timeouts here and cancels them when it ends; cancelled tasks are
   * removed at once (by default they would stay queued until their delay, 3 minutes for the call
   * timeout: ≈32,000 of them after a 50-account cycle, holding their calls' state).
   */
  private static ScheduledExecutorService timers() {
    var pool =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              var t = new Thread(r, "parapet-aws-timeouts");
              t.setDaemon(true);
              return t;
            });
    pool.setRemoveOnCancelPolicy(true);
    return pool;
  }

  public AwsClientFactory(ClientSettings settings) {
    this(settings, ApiRateLimiter.Limits.OFF);
  }

  /**
   * A factory whose clients share, per credential source (account), one token bucket of API
   * requests per service and region ({@link ApiRateLimiter}).
   */
  public AwsClientFactory(ClientSettings settings, ApiRateLimiter.Limits rateLimits) {
    this(settings, MAX_SOURCES, IDLE_EXPIRY, System::nanoTime, rateLimits);
  }

  AwsClientFactory(
      ClientSettings settings, int maxSources, Duration idleExpiry, LongSupplier nanoClock) {
    this(settings, maxSources, idleExpiry, nanoClock, ApiRateLimiter.Limits.OFF);
  }

  AwsClientFactory(
      ClientSettings settings,
      int maxSources,
      Duration idleExpiry,
      LongSupplier nanoClock,
      ApiRateLimiter.Limits rateLimits) {
    this.settings = settings;
    this.rateLimits = rateLimits;
    this.httpClient =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(settings.connectTimeout())
            .socketTimeout(settings.socketTimeout())
            .build();
    this.cache =
        new ClientCache<>(
            maxSources, idleExpiry, nanoClock, this::sourceClients, SourceClients::idle);
    this.shared =
        new ClientCache<>(MAX_ENDPOINTS, idleExpiry, nanoClock, k -> new SharedClients(k.uri()));
    this.fallbackRetry = retryStrategy();
  }

  public ClientSettings settings() {
    return settings;
  }

  /**
   * Opens a session for one scan. {@code endpointOverride} (may be null) is used for every service;
   * {@code homeRegion} is where STS and global services are called.
   */
  public AwsSession open(CredentialSource source, URI endpointOverride, String homeRegion) {
    var clients = shared.acquire(new EndpointKey(endpointOverride));
    try {
      var lease = cache.acquire(new SourceKey(source, endpointOverride, homeRegion));
      return new AwsSession(lease, clients, homeRegion, new ApiCallCounter());
    } catch (RuntimeException e) {
      clients.close();
      throw e;
    }
  }

  /** Calls made to obtain credentials (sts:AssumeRole), across all sessions of this factory. */
  public ApiCallCounter credentialCalls() {
    return credentialCalls;
  }

  /** API calls made through this factory's clients while no scan was bound to the thread. */
  public long unattributedCalls() {
    return attribution.unattributed();
  }

  /** Credential sources (accounts) whose credentials, token buckets and retry state are cached. */
  public int cachedSources() {
    return cache.size();
  }

  /** SDK clients open for scans, all accounts together (tests, benchmarks). */
  public int sharedClients() {
    return shared.values().stream().mapToInt(SharedClients::size).sum();
  }

  /**
   * A new strategy: one per account ({@link SourceClients#retryStrategy()}), which {@link
   * AccountRetryStrategy} asks in one scope per service and region, so each account, service and
   * region has its own retry quota and adaptive rate: the SDK's strategy keeps both per scope of
   * the token requests. It keeps at most 128 scopes of each (the SDK's least-recently-used stores,
   * {@code TokenBucketStore} and {@code RateLimiterTokenBucketStore}); past that, the scope used
   * least recently is forgotten and starts again as a new one would (full retry quota, sending
   * freely until throttled again): its state is lost, never shared with another scope or account,
   * and the account's {@link ApiRateLimiter} buckets still apply. Adaptive: once AWS throttles
   * (Throttling, ThrottlingException, RequestLimitExceeded, SlowDown, TooManyRequestsException,
   * HTTP 429, as the SDK classifies them) the scope lowers its sending rate (CUBIC: to 70% of the
   * measured rate, at least 0.5 requests per second) and waits before attempts, and recovers as
   * calls succeed; before the first throttle it sends freely. Retries, backoff and the
   * unimplemented-API rule are as before.
   */
  RetryStrategy retryStrategy() {
    return new UnimplementedAwareRetryStrategy(
        UnimplementedAwareRetryStrategy.withClientDefaults(
            AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .backoffStrategy(
                    BackoffStrategy.exponentialDelay(settings.baseDelay(), settings.maxBackoff()))
                .throttlingBackoffStrategy(
                    BackoffStrategy.exponentialDelay(
                        settings.throttlingBaseDelay(), settings.maxBackoff()))
                .build()));
  }

  /**
   * Builds the shared client of {@code service} in {@code region} for {@code endpointOverride}:
   * credentials, token buckets and retry state are the calling thread's account's (see the class
   * comment).
   */
  private <
          B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkAutoCloseable>
      C build(AwsServices.Service<C> service, String region, URI endpointOverride) {
    B builder = service.newBuilder(endpointOverride);
    builder.region(Region.of(region)).credentialsProvider(boundCredentials).httpClient(httpClient);
    var overrides =
        ClientOverrideConfiguration.builder()
            .scheduledExecutorService(timers)
            .retryStrategy(new AccountRetryStrategy(fallbackRetry, service.name() + "@" + region))
            .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
            .apiCallTimeout(settings.apiCallTimeout())
            .addExecutionInterceptor(new EndpointGuard(endpointOverride))
            .addExecutionInterceptor(attribution);
    if (endpointOverride != null) {
      if (service.overrideEndpoint()) {
        builder.endpointOverride(endpointOverride);
      }
      // S3 Control prefixes the host with the account id; an emulator or private
      // endpoint cannot resolve that.
      overrides.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true);
    }
    builder.overrideConfiguration(overrides.build());
    return builder.build();
  }

  private SourceClients sourceClients(SourceKey key) {
    var limiter = new ApiRateLimiter(rateLimits);
    if (key.source() instanceof CredentialSource.AssumeRole role) {
      var assumed = assumeRole(role, key.endpointOverride(), key.homeRegion());
      return new SourceClients(key, assumed.provider(), assumed, limiter, this::retryStrategy);
    }
    return new SourceClients(key, baseProvider(key.source()), null, limiter, this::retryStrategy);
  }

  private DefaultCredentialsProvider defaultChain() {
    var chain = defaultChain;
    if (chain == null) {
      synchronized (this) {
        chain = defaultChain;
        if (chain == null) {
          chain = DefaultCredentialsProvider.builder().build();
          defaultChain = chain;
        }
      }
    }
    return chain;
  }

  private AwsCredentialsProvider baseProvider(CredentialSource source) {
    if (source instanceof CredentialSource.StaticKeys keys) {
      return StaticCredentialsProvider.create(
          keys.sessionToken() == null
              ? AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey())
              : AwsSessionCredentials.create(
                  keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken()));
    }
    if (source == null || source instanceof CredentialSource.DefaultChain) {
      return defaultChain();
    }
    throw new IllegalArgumentException("not a base credential source: " + source);
  }

  private CachedProvider assumeRole(
      CredentialSource.AssumeRole role, URI endpointOverride, String homeRegion) {
    var base = baseProvider(role.base());
    var sts =
        StsClient.builder()
            .region(Region.of(homeRegion))
            .credentialsProvider(base)
            .httpClient(httpClient)
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .retryStrategy(retryStrategy())
                    .apiCallTimeout(settings.apiCallTimeout())
                    .scheduledExecutorService(timers)
                    .addExecutionInterceptor(credentialCalls)
                    .build());
    if (endpointOverride != null) {
      sts.endpointOverride(endpointOverride);
    }
    var stsClient = sts.build();
    var request =
        AssumeRoleRequest.builder()
            .roleArn(role.roleArn())
            .roleSessionName(role.sessionName())
            .durationSeconds(role.durationSeconds());
    if (role.externalId() != null && !role.externalId().isBlank()) {
      request.externalId(role.externalId());
    }
    var provider =
        StsAssumeRoleCredentialsProvider.builder()
            .stsClient(stsClient)
            .refreshRequest(request.build())
            // Refresh five minutes before expiry; never hand out credentials within one minute of
            // it.
            .prefetchTime(Duration.ofMinutes(5))
            .staleTime(Duration.ofMinutes(1))
            .build();
    return new CachedProvider(provider, stsClient);
  }

  @Override
  public void close() {
    shared.close();
    cache.close();
    var chain = defaultChain;
    if (chain != null) {
      chain.close();
    }
    httpClient.close();
    timers.shutdownNow();
  }

  private record CachedProvider(StsAssumeRoleCredentialsProvider provider, StsClient sts)
      implements SdkAutoCloseable {
    @Override
    public void close() {
      provider.close();
      sts.close();
    }
  }

  /**
   * What clients are cached by. Equality covers the whole source (secrets included); {@code
   * toString} shows only what {@link CredentialSource#toString()} shows (no secrets).
   */
  record SourceKey(CredentialSource source, URI endpointOverride, String homeRegion) {
    @Override
    public String toString() {
      return "SourceKey[source="
          + source
          + ", endpointOverride="
          + endpointOverride
          + ", homeRegion="
          + homeRegion
          + "]";
    }
  }

  /** What shared clients are cached by: the endpoint override (null: AWS's own endpoints). */
  record EndpointKey(URI uri) {}

  /**
   * The shared clients of one endpoint override, one per service and region, for every account.
   * Closing closes the clients but not the factory's HTTP client or timers.
   */
  final class SharedClients implements AutoCloseable {
    private final URI endpointOverride;
    private final Map<String, SdkAutoCloseable> clients = new ConcurrentHashMap<>();

    SharedClients(URI endpointOverride) {
      this.endpointOverride = endpointOverride;
    }

    <C extends SdkAutoCloseable> C client(AwsServices.Service<C> service, String region) {
      return service
          .type()
          .cast(
              clients.computeIfAbsent(
                  service.name() + "/" + region, k -> build(service, region, endpointOverride)));
    }

    int size() {
      return clients.size();
    }

    @Override
    public void close() {
      RuntimeException first = null;
      for (var c : clients.values()) {
        try {
          c.close();
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      clients.clear();
      if (first != null) {
        throw first;
      }
    }

    @Override
    public String toString() {
      return "SharedClients[endpoint=" + endpointOverride + ", clients=" + clients.keySet() + "]";
    }
  }

  /**
   * What is one account's (one credential source, endpoint and home region): its credentials
   * provider, its token buckets and its retry state. Closing closes what the provider holds
   * (assume-role STS client), but not the factory's shared HTTP client, timers or default chain.
   */
  static final class SourceClients implements AutoCloseable {
    private final SourceKey key;
    private final AwsCredentialsProvider provider;
    private final SdkAutoCloseable resources;
    private final ApiRateLimiter rateLimiter;
    private final java.util.function.Supplier<RetryStrategy> newRetryStrategy;
    private volatile RetryStrategy retryStrategy;
    private volatile boolean closed;

    SourceClients(
        SourceKey key,
        AwsCredentialsProvider provider,
        SdkAutoCloseable resources,
        ApiRateLimiter rateLimiter,
        java.util.function.Supplier<RetryStrategy> newRetryStrategy) {
      this.key = key;
      this.provider = provider;
      this.resources = resources;
      this.rateLimiter = rateLimiter;
      this.newRetryStrategy = newRetryStrategy;
    }

    AwsCredentialsProvider provider() {
      return provider;
    }

    URI endpointOverride() {
      return key.endpointOverride();
    }

    /** The token buckets of this source's calls (one account). */
    ApiRateLimiter rateLimiter() {
      return rateLimiter;
    }

    /**
     * This account's retry strategy, for all its services and regions: {@link AccountRetryStrategy}
     * asks it in one scope per service and region (as AWS throttles and as {@link ApiRateLimiter}
     * counts), each with its own retry quota and, if adaptive, its own rate, so a throttled service
     * or region does not slow the account's others. Made on first use after the account was idle
     * ({@link #idle()}).
     */
    RetryStrategy retryStrategy() {
      var strategy = retryStrategy;
      if (strategy == null) {
        synchronized (this) {
          strategy = retryStrategy;
          if (strategy == null) {
            strategy = newRetryStrategy.get();
            retryStrategy = strategy;
          }
        }
      }
      return strategy;
    }

    /**
     * No session of this account is open any more (its scan ended): its retry state is dropped, up
     * to 128 scopes of retry quota and adaptive rate (≈40 KB per account after a 17-region scan,
     * see docs/benchmarks.md), so cached accounts between scans hold none. The next scan starts
     * with a new strategy, as a new client would: full quota, sending freely until throttled. Calls
     * still retrying keep their token's strategy ({@link AccountRetryStrategy.AccountToken}).
     */
    synchronized void idle() {
      retryStrategy = null;
    }

    boolean isClosed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
      if (resources != null) {
        resources.close();
      }
    }

    @Override
    public String toString() {
      return "SourceClients[" + key + "]";
    }
  }

  /**
   * The credentials of the account whose session is bound to the calling thread. No session bound,
   * or one already closed: the call fails (it is never signed with anything else).
   */
  static final class BoundCredentials implements AwsCredentialsProvider {
    @Override
    public AwsCredentials resolveCredentials() {
      var scope = ScanAttribution.current();
      if (scope == null) {
        throw SdkClientException.create(
            "no AWS session is bound to this thread: the call has no account to sign for");
      }
      if (scope.source().isClosed()) {
        throw SdkClientException.create("the AWS session bound to this thread is closed");
      }
      return scope.source().provider().resolveCredentials();
    }

    @Override
    public String toString() {
      return "BoundCredentials";
    }
  }

  /**
   * Refuses a call made through one endpoint's clients for a session of another endpoint (a client
   * kept from another session): its credentials are meant for that other endpoint.
   */
  private static final class EndpointGuard implements ExecutionInterceptor {
    private final URI endpointOverride;

    EndpointGuard(URI endpointOverride) {
      this.endpointOverride = endpointOverride;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      var scope = ScanAttribution.current();
      if (scope != null && !Objects.equals(scope.source().endpointOverride(), endpointOverride)) {
        throw SdkClientException.create(
            "a client of endpoint "
                + endpointOverride
                + " was used for a session of endpoint "
                + scope.source().endpointOverride());
      }
    }
  }
}
