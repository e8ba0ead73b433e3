package dev.parapet.operator.aws.collect;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds AWS SDK clients: url-connection HTTP client, the standard retry strategy tuned for
 * throttling, timeouts, endpoint override for every service, and credentials from a {@link
 * CredentialSource}. Assume-role providers are cached across scans so credentials are reused and
 * refreshed before expiry. One factory per process; one {@link AwsSession} per scan.
 */
public final class AwsClientFactory implements AutoCloseable {
  private final ClientSettings settings;
  private final SdkHttpClient httpClient;
  private final Map<String, CachedProvider> assumeRoleProviders = new ConcurrentHashMap<>();
  private final ApiCallCounter credentialCalls = new ApiCallCounter();
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
    this.settings = settings;
    this.httpClient =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(settings.connectTimeout())
            .socketTimeout(settings.socketTimeout())
            .build();
  }

  public ClientSettings settings() {
    return settings;
  }

  /**
   * Opens a session for one scan. {@code endpointOverride} (may be null) is used for every service;
   * {@code homeRegion} is where STS and global services are called.
   */
  public AwsSession open(CredentialSource source, URI endpointOverride, String homeRegion) {
    var counter = new ApiCallCounter();
    var provider = provider(source, endpointOverride, homeRegion);
    return new AwsSession(this, provider, endpointOverride, homeRegion, counter);
  }

  /** Calls made to obtain credentials (sts:AssumeRole), across all sessions of this factory. */
  public ApiCallCounter credentialCalls() {
    return credentialCalls;
  }

  SdkHttpClient httpClient() {
    return httpClient;
  }

  RetryStrategy retryStrategy() {
    return AwsRetryStrategy.configure(StandardRetryStrategy.builder())
        .maxAttempts(settings.maxAttempts())
        .backoffStrategy(
            BackoffStrategy.exponentialDelay(settings.baseDelay(), settings.maxBackoff()))
        .throttlingBackoffStrategy(
            BackoffStrategy.exponentialDelay(settings.throttlingBaseDelay(), settings.maxBackoff()))
        .build();
  }

  ClientOverrideConfiguration overrides(ApiCallCounter counter) {
    return ClientOverrideConfiguration.builder()
        .scheduledExecutorService(timers)
        .retryStrategy(retryStrategy())
        .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
        .apiCallTimeout(settings.apiCallTimeout())
        .addExecutionInterceptor(counter)
        .build();
  }

  private AwsCredentialsProvider provider(
      CredentialSource source, URI endpointOverride, String homeRegion) {
    if (source instanceof CredentialSource.StaticKeys keys) {
      return StaticCredentialsProvider.create(
          keys.sessionToken() == null
              ? AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey())
              : AwsSessionCredentials.create(
                  keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken()));
    }
    if (source instanceof CredentialSource.AssumeRole role) {
      var cacheKey =
          role
              + "|"
              + role.base()
              + "|"
              + endpointOverride
              + "|"
              + homeRegion
              + "|"
              + (role.externalId() == null
                  ? ""
                  : Integer.toHexString(role.externalId().hashCode()));
      return assumeRoleProviders
          .computeIfAbsent(cacheKey, k -> assumeRole(role, endpointOverride, homeRegion))
          .provider();
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private CachedProvider assumeRole(
      CredentialSource.AssumeRole role, URI endpointOverride, String homeRegion) {
    var base =
        role.base() == null
            ? DefaultCredentialsProvider.builder().build()
            : provider(role.base(), endpointOverride, homeRegion);
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
            .prefetchTime(java.time.Duration.ofMinutes(5))
            .staleTime(java.time.Duration.ofMinutes(1))
            .build();
    return new CachedProvider(provider, stsClient);
  }

  @Override
  public void close() {
    assumeRoleProviders.values().forEach(CachedProvider::close);
    assumeRoleProviders.clear();
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
}
