package dev.parapet.operator.aws.collect;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.endpoints.S3ControlEndpointProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The clients of one scan: one per service and region, created on first use, all sharing the
 * credentials, the endpoint override and the {@link ApiCallCounter}. Closed when the scan ends.
 */
public final class AwsSession implements AutoCloseable {
  private final AwsClientFactory factory;
  private final AwsCredentialsProvider credentials;
  private final URI endpointOverride;
  private final String homeRegion;
  private final ApiCallCounter counter;
  private final Map<String, SdkAutoCloseable> clients = new ConcurrentHashMap<>();
  private final Map<String, FutureTask<Object>> shared = new ConcurrentHashMap<>();

  AwsSession(
      AwsClientFactory factory,
      AwsCredentialsProvider credentials,
      URI endpointOverride,
      String homeRegion,
      ApiCallCounter counter) {
    this.factory = factory;
    this.credentials = credentials;
    this.endpointOverride = endpointOverride;
    this.homeRegion = homeRegion;
    this.counter = counter;
  }

  public ApiCallCounter counter() {
    return counter;
  }

  /** Where global services (IAM, S3 listing, S3 Control, STS) are called. */
  public String homeRegion() {
    return homeRegion;
  }

  public StsClient sts() {
    return client("sts", homeRegion, StsClient.builder());
  }

  public Ec2Client ec2(String region) {
    return client("ec2", region, Ec2Client.builder());
  }

  public IamClient iam() {
    return client("iam", homeRegion, IamClient.builder());
  }

  public S3Client s3(String region) {
    var builder = S3Client.builder();
    if (endpointOverride != null) {
      builder.forcePathStyle(true);
    }
    return client("s3", region, builder);
  }

  /**
   * S3 Control's endpoint rules put the account id in front of the host ({@code
   * <account>.s3-control...}), which an emulator or private endpoint cannot resolve (with an IP
   * endpoint the SDK fails with "host must not be null"). With an endpoint override, the rules
   * still run (so signing attributes stay right) and only scheme, host and port are replaced.
   */
  public S3ControlClient s3control() {
    var builder = S3ControlClient.builder();
    if (endpointOverride != null) {
      var rules = S3ControlEndpointProvider.defaultProvider();
      builder.endpointProvider(
          params ->
              rules
                  .resolveEndpoint(params.toBuilder().endpoint(null).build())
                  .thenApply(e -> e.toBuilder().url(overrideHost(e.url())).build()));
    }
    return client("s3control", homeRegion, builder, false);
  }

  private URI overrideHost(URI resolved) {
    return URI.create(
        endpointOverride.getScheme()
            + "://"
            + endpointOverride.getRawAuthority()
            + (resolved.getRawPath() == null ? "" : resolved.getRawPath()));
  }

  public CloudTrailClient cloudTrail(String region) {
    return client("cloudtrail", region, CloudTrailClient.builder());
  }

  public KmsClient kms(String region) {
    return client("kms", region, KmsClient.builder());
  }

  public RdsClient rds(String region) {
    return client("rds", region, RdsClient.builder());
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

  @SuppressWarnings("unchecked")
  private <
          B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkAutoCloseable>
      C client(String service, String region, B builder) {
    return client(service, region, builder, true);
  }

  @SuppressWarnings("unchecked")
  private <
          B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkAutoCloseable>
      C client(String service, String region, B builder, boolean overrideEndpoint) {
    return (C)
        clients.computeIfAbsent(
            service + "/" + region,
            k -> {
              builder
                  .region(Region.of(region))
                  .credentialsProvider(credentials)
                  .httpClient(factory.httpClient());
              var overrides = factory.overrides(counter).toBuilder();
              if (endpointOverride != null) {
                if (overrideEndpoint) {
                  builder.endpointOverride(endpointOverride);
                }
                // S3 Control prefixes the host with the account id; an emulator or private
                // endpoint cannot resolve that.
                overrides.putAdvancedOption(
                    SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true);
              }
              builder.overrideConfiguration(overrides.build());
              return (SdkAutoCloseable) builder.build();
            });
  }

  @Override
  public void close() {
    var errors = new ArrayList<RuntimeException>();
    for (var c : List.copyOf(clients.values())) {
      try {
        c.close();
      } catch (RuntimeException e) {
        errors.add(e);
      }
    }
    clients.clear();
    if (!errors.isEmpty()) {
      throw errors.get(0);
    }
  }
}
