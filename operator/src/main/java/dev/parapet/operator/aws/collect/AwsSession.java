package dev.parapet.operator.aws.collect;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.endpoints.S3ControlEndpointProvider;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The clients of one scan: one per service and region, all sharing the credentials and the endpoint
 * override. The SDK clients themselves are the factory's, cached across scans for the same
 * credential source, endpoint and home region, so their users must not close them. Every call is
 * counted by the {@link ApiCallCounter} of the session bound to the calling thread ({@link
 * #bind()}; asking a session for a client binds it too), see {@link ScanAttribution}. Closing the
 * session releases the clients to the cache (it does not close them).
 */
public final class AwsSession implements AutoCloseable {
  private final AwsClientFactory factory;
  private final ClientCache.Lease<AwsClientFactory.SourceClients> lease;
  private final AwsClientFactory.SourceClients source;
  private final URI endpointOverride;
  private final String homeRegion;
  private final ApiCallCounter counter;
  private final Map<String, FutureTask<Object>> shared = new ConcurrentHashMap<>();

  AwsSession(
      AwsClientFactory factory,
      ClientCache.Lease<AwsClientFactory.SourceClients> lease,
      URI endpointOverride,
      String homeRegion,
      ApiCallCounter counter) {
    this.factory = factory;
    this.lease = lease;
    this.source = lease.value();
    this.endpointOverride = endpointOverride;
    this.homeRegion = homeRegion;
    this.counter = counter;
  }

  public ApiCallCounter counter() {
    return counter;
  }

  /**
   * Makes this thread's API calls count for this session until the binding is closed (collectors
   * and probes run inside one).
   */
  public Binding bind() {
    return ScanAttribution.bind(counter);
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

  public StsClient sts() {
    return client(StsClient.class, "sts", homeRegion, StsClient::builder);
  }

  /** AWS Organizations (a global service, called in the home region). */
  public software.amazon.awssdk.services.organizations.OrganizationsClient organizations() {
    return client(
        software.amazon.awssdk.services.organizations.OrganizationsClient.class,
        "organizations",
        homeRegion,
        software.amazon.awssdk.services.organizations.OrganizationsClient::builder);
  }

  public Ec2Client ec2(String region) {
    return client(Ec2Client.class, "ec2", region, Ec2Client::builder);
  }

  public IamClient iam() {
    return client(IamClient.class, "iam", homeRegion, IamClient::builder);
  }

  public S3Client s3(String region) {
    return client(
        S3Client.class,
        "s3",
        region,
        () -> {
          var builder = S3Client.builder();
          if (endpointOverride != null) {
            builder.forcePathStyle(true);
          }
          return builder;
        });
  }

  /**
   * S3 Control's endpoint rules put the account id in front of the host ({@code
   * <account>.s3-control...}), which an emulator or private endpoint cannot resolve (with an IP
   * endpoint the SDK fails with "host must not be null"). With an endpoint override, the rules
   * still run (so signing attributes stay right) and only scheme, host and port are replaced.
   */
  public S3ControlClient s3control() {
    var override = endpointOverride;
    return client(
        S3ControlClient.class,
        "s3control",
        homeRegion,
        () -> {
          var builder = S3ControlClient.builder();
          if (override != null) {
            var rules = S3ControlEndpointProvider.defaultProvider();
            builder.endpointProvider(
                params ->
                    rules
                        .resolveEndpoint(params.toBuilder().endpoint(null).build())
                        .thenApply(
                            e -> e.toBuilder().url(overrideHost(override, e.url())).build()));
          }
          return builder;
        },
        false);
  }

  private static URI overrideHost(URI endpointOverride, URI resolved) {
    return URI.create(
        endpointOverride.getScheme()
            + "://"
            + endpointOverride.getRawAuthority()
            + (resolved.getRawPath() == null ? "" : resolved.getRawPath()));
  }

  public CloudTrailClient cloudTrail(String region) {
    return client(CloudTrailClient.class, "cloudtrail", region, CloudTrailClient::builder);
  }

  public KmsClient kms(String region) {
    return client(KmsClient.class, "kms", region, KmsClient::builder);
  }

  public RdsClient rds(String region) {
    return client(RdsClient.class, "rds", region, RdsClient::builder);
  }

  // FSBP services (ELB, Lambda, ECR, EKS, SNS, SQS, Secrets Manager, GuardDuty), regional.

  public software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client elbv2(
      String region) {
    return client(
        software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client.class,
        "elbv2",
        region,
        software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client
            ::builder);
  }

  public software.amazon.awssdk.services.elasticloadbalancing.ElasticLoadBalancingClient elb(
      String region) {
    return client(
        software.amazon.awssdk.services.elasticloadbalancing.ElasticLoadBalancingClient.class,
        "elb",
        region,
        software.amazon.awssdk.services.elasticloadbalancing.ElasticLoadBalancingClient::builder);
  }

  public software.amazon.awssdk.services.lambda.LambdaClient lambda(String region) {
    return client(
        software.amazon.awssdk.services.lambda.LambdaClient.class,
        "lambda",
        region,
        software.amazon.awssdk.services.lambda.LambdaClient::builder);
  }

  public software.amazon.awssdk.services.ecr.EcrClient ecr(String region) {
    return client(
        software.amazon.awssdk.services.ecr.EcrClient.class,
        "ecr",
        region,
        software.amazon.awssdk.services.ecr.EcrClient::builder);
  }

  public software.amazon.awssdk.services.eks.EksClient eks(String region) {
    return client(
        software.amazon.awssdk.services.eks.EksClient.class,
        "eks",
        region,
        software.amazon.awssdk.services.eks.EksClient::builder);
  }

  public software.amazon.awssdk.services.sqs.SqsClient sqs(String region) {
    return client(
        software.amazon.awssdk.services.sqs.SqsClient.class,
        "sqs",
        region,
        software.amazon.awssdk.services.sqs.SqsClient::builder);
  }

  public software.amazon.awssdk.services.secretsmanager.SecretsManagerClient secretsManager(
      String region) {
    return client(
        software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.class,
        "secretsmanager",
        region,
        software.amazon.awssdk.services.secretsmanager.SecretsManagerClient::builder);
  }

  public software.amazon.awssdk.services.guardduty.GuardDutyClient guardDuty(String region) {
    return client(
        software.amazon.awssdk.services.guardduty.GuardDutyClient.class,
        "guardduty",
        region,
        software.amazon.awssdk.services.guardduty.GuardDutyClient::builder);
  }

  public CloudWatchLogsClient logs(String region) {
    return client(CloudWatchLogsClient.class, "logs", region, CloudWatchLogsClient::builder);
  }

  public CloudWatchClient cloudWatch(String region) {
    return client(CloudWatchClient.class, "cloudwatch", region, CloudWatchClient::builder);
  }

  public SnsClient sns(String region) {
    return client(SnsClient.class, "sns", region, SnsClient::builder);
  }

  public software.amazon.awssdk.services.efs.EfsClient efs(String region) {
    return client(
        software.amazon.awssdk.services.efs.EfsClient.class,
        "efs",
        region,
        software.amazon.awssdk.services.efs.EfsClient::builder);
  }

  public software.amazon.awssdk.services.config.ConfigClient config(String region) {
    return client(
        software.amazon.awssdk.services.config.ConfigClient.class,
        "config",
        region,
        software.amazon.awssdk.services.config.ConfigClient::builder);
  }

  public software.amazon.awssdk.services.accessanalyzer.AccessAnalyzerClient accessAnalyzer(
      String region) {
    return client(
        software.amazon.awssdk.services.accessanalyzer.AccessAnalyzerClient.class,
        "accessanalyzer",
        region,
        software.amazon.awssdk.services.accessanalyzer.AccessAnalyzerClient::builder);
  }

  /** Security Hub: the Findings export (aws.export) and the CIS 4.16 check (DescribeHub). */
  public SecurityHubClient securityHub(String region) {
    return client(SecurityHubClient.class, "securityhub", region, SecurityHubClient::builder);
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

  private <
          B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkAutoCloseable>
      C client(Class<C> type, String service, String region, Supplier<B> builder) {
    return client(type, service, region, builder, true);
  }

  /**
   * The shared client for {@code service} in {@code region}, built once per credential source (see
   * {@link AwsClientFactory}); binds this session to the calling thread.
   */
  private <
          B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkAutoCloseable>
      C client(
          Class<C> type,
          String service,
          String region,
          Supplier<B> builder,
          boolean overrideEndpoint) {
    ScanAttribution.set(counter);
    return type.cast(
        source.client(
            service + "/" + region, () -> build(builder.get(), region, overrideEndpoint)));
  }

  private <
          B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkAutoCloseable>
      C build(B builder, String region, boolean overrideEndpoint) {
    builder
        .region(Region.of(region))
        .credentialsProvider(source.provider())
        .httpClient(factory.httpClient());
    var overrides = factory.overrides().toBuilder().addExecutionInterceptor(source.rateLimiter());
    if (endpointOverride != null) {
      if (overrideEndpoint) {
        builder.endpointOverride(endpointOverride);
      }
      // S3 Control prefixes the host with the account id; an emulator or private
      // endpoint cannot resolve that.
      overrides.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true);
    }
    builder.overrideConfiguration(overrides.build());
    return builder.build();
  }

  /** The cached clients this session uses (tests). */
  AwsClientFactory.SourceClients sourceClients() {
    return source;
  }

  /** Releases the clients to the factory's cache; they stay open for later scans. */
  @Override
  public void close() {
    lease.close();
  }
}
