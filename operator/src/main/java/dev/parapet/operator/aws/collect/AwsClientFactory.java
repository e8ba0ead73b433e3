package dev.parapet.operator.aws.collect;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
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
 * backoff tuned for throttling, its sending rate lowered after throttles), timeouts, endpoint
 * override for every service, and credentials from a {@link CredentialSource}. One factory per
 * process; one {@link AwsSession} per scan.
 *
 * <p>Clients are cached across scans, per credential source, endpoint override and home region (the
 * whole {@link CredentialSource} is part of the key, secrets included, so a changed role, external
 * id, key or endpoint never reuses a client made for the old one), and per service and region
 * within that. At most {@link #MAX_SOURCES} credential sources are kept, least recently used
 * evicted first, and a source unused for {@link #IDLE_EXPIRY} is dropped; evicted clients are
 * closed once no scan uses them. Assume-role credentials providers live in the same entry, so their
 * credentials are reused and refreshed before expiry while the entry is cached. One SDK default
 * credential chain per factory. API calls are still counted per scan ({@link ScanAttribution}). A
 * session's clients are shared objects: never close them (closing the session releases them).
 */
public final class AwsClientFactory implements AutoCloseable {
  static final int MAX_SOURCES = 32;
  static final Duration IDLE_EXPIRY = Duration.ofHours(3);
  private final ClientSettings settings;
  private final ApiRateLimiter.Limits rateLimits;
  private final SdkHttpClient httpClient;
  private final ClientCache<SourceKey, SourceClients> cache;
  private final ApiCallCounter credentialCalls = new ApiCallCounter();
  private final ScanAttribution.Interceptor attribution = new ScanAttribution.Interceptor();
  private volatile DefaultCredentialsProvider defaultChain;
  // One timer pool for every client's call/attempt timeouts, instead of a pool per client.
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            var t = new Thread(r, "parapet-aws-timeouts");
            t.setDaemon(true);
            return t;
          });

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
    this.cache = new ClientCache<>(maxSources, idleExpiry, nanoClock, this::sourceClients);
  }

  public ClientSettings settings() {
    return settings;
  }

  /**
   * Opens a session for one scan. {@code endpointOverride} (may be null) is used for every service;
   * {@code homeRegion} is where STS and global services are called.
   */
  public AwsSession open(CredentialSource source, URI endpointOverride, String homeRegion) {
    var lease = cache.acquire(new SourceKey(source, endpointOverride, homeRegion));
    return new AwsSession(this, lease, endpointOverride, homeRegion, new ApiCallCounter());
  }

  /** Calls made to obtain credentials (sts:AssumeRole), across all sessions of this factory. */
  public ApiCallCounter credentialCalls() {
    return credentialCalls;
  }

  /** API calls made through this factory's clients while no scan was bound to the thread. */
  public long unattributedCalls() {
    return attribution.unattributed();
  }

  /** Credential sources whose clients are cached. */
  public int cachedSources() {
    return cache.size();
  }

  SdkHttpClient httpClient() {
    return httpClient;
  }

  /**
   * A new strategy per client, so each client (one account, service and region) has its own
   * adaptive rate: the SDK's adaptive strategy keeps its rate limiter in the strategy instance
   * (every request is in the one scope "GLOBAL"). Adaptive: once AWS throttles (Throttling,
   * ThrottlingException, RequestLimitExceeded, SlowDown, TooManyRequestsException, HTTP 429, as the
   * SDK classifies them) the client lowers its sending rate (CUBIC: to 70% of the measured rate, at
   * least 0.5 requests per second) and waits before attempts, and recovers as calls succeed; before
   * the first throttle it sends freely. Retries, backoff and the unimplemented-API rule are as
   * before.
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

  ClientOverrideConfiguration overrides() {
    return ClientOverrideConfiguration.builder()
        .scheduledExecutorService(timers)
        .retryStrategy(retryStrategy())
        .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
        .apiCallTimeout(settings.apiCallTimeout())
        .addExecutionInterceptor(attribution)
        .build();
  }

  private SourceClients sourceClients(SourceKey key) {
    if (key.source() instanceof CredentialSource.AssumeRole role) {
      var assumed = assumeRole(role, key.endpointOverride(), key.homeRegion());
      return new SourceClients(assumed.provider(), assumed, new ApiRateLimiter(rateLimits));
    }
    return new SourceClients(baseProvider(key.source()), null, new ApiRateLimiter(rateLimits));
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

  /**
   * The credentials provider of one source and its clients, one per service and region (and
   * variant). Closing closes the clients and what the provider holds (assume-role STS client), but
   * not the factory's shared HTTP client, timers or default chain.
   */
  static final class SourceClients implements AutoCloseable {
    private final AwsCredentialsProvider provider;
    private final SdkAutoCloseable resources;
    private final ApiRateLimiter rateLimiter;
    private final Map<String, SdkAutoCloseable> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    SourceClients(
        AwsCredentialsProvider provider, SdkAutoCloseable resources, ApiRateLimiter rateLimiter) {
      this.provider = provider;
      this.resources = resources;
      this.rateLimiter = rateLimiter;
    }

    AwsCredentialsProvider provider() {
      return provider;
    }

    /** The token buckets of this source's clients (one account). */
    ApiRateLimiter rateLimiter() {
      return rateLimiter;
    }

    @SuppressWarnings("unchecked")
    <C extends SdkAutoCloseable> C client(String key, Supplier<C> build) {
      if (closed) {
        throw new IllegalStateException("clients of an evicted credential source");
      }
      return (C) clients.computeIfAbsent(key, k -> build.get());
    }

    boolean isClosed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
      RuntimeException first = null;
      for (var c : clients.values()) {
        try {
          c.close();
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      clients.clear();
      if (resources != null) {
        resources.close();
      }
      if (first != null) {
        throw first;
      }
    }

    @Override
    public String toString() {
      return "SourceClients[clients=" + clients.keySet() + "]";
    }
  }
}
