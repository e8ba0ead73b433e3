package dev.parapet.operator.aws.collect;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.services.accessanalyzer.AccessAnalyzerClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancing.ElasticLoadBalancingClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.S3ControlClientBuilder;
import software.amazon.awssdk.services.s3control.endpoints.S3ControlEndpointProvider;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The one table of the AWS services Parapet calls: per client class, its builder and what differs
 * from the common settings (which {@link AwsClientFactory} applies to every client: region,
 * credentials, HTTP client, retry, timeouts, interceptors, endpoint override). A service missing
 * here cannot be asked for ({@link AwsSession#client}).
 */
final class AwsServices {

  /**
   * How one service's client is built. {@code overrideEndpoint} false: the client keeps its own
   * endpoint rules and {@code customize} rewrites what they resolve (S3 Control).
   */
  record Service<C extends SdkAutoCloseable>(
      Class<C> type,
      String name,
      Supplier<? extends AwsClientBuilder<?, C>> builder,
      BiConsumer<AwsClientBuilder<?, C>, URI> customize,
      boolean overrideEndpoint) {

    /**
     * A new builder with this service's own settings for {@code endpointOverride} (may be null).
     */
    @SuppressWarnings("unchecked")
    <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> B newBuilder(
        URI endpointOverride) {
      var b = builder.get();
      customize.accept(b, endpointOverride);
      return (B) b;
    }
  }

  private static final Map<Class<?>, Service<?>> TABLE = new LinkedHashMap<>();

  static {
    // Global services (called in the home region).
    add(StsClient.class, "sts", StsClient::builder);
    add(IamClient.class, "iam", IamClient::builder);
    add(OrganizationsClient.class, "organizations", OrganizationsClient::builder);
    add(
        S3ControlClient.class,
        "s3control",
        S3ControlClient::builder,
        (b, endpoint) -> {
          if (endpoint != null) {
            ((S3ControlClientBuilder) b).endpointProvider(s3ControlEndpoint(endpoint));
          }
        },
        false);
    // Regional services.
    add(
        S3Client.class,
        "s3",
        S3Client::builder,
        (b, endpoint) -> {
          if (endpoint != null) {
            ((S3ClientBuilder) b).forcePathStyle(true);
          }
        },
        true);
    add(Ec2Client.class, "ec2", Ec2Client::builder);
    add(CloudTrailClient.class, "cloudtrail", CloudTrailClient::builder);
    add(KmsClient.class, "kms", KmsClient::builder);
    add(RdsClient.class, "rds", RdsClient::builder);
    add(ElasticLoadBalancingV2Client.class, "elbv2", ElasticLoadBalancingV2Client::builder);
    add(ElasticLoadBalancingClient.class, "elb", ElasticLoadBalancingClient::builder);
    add(LambdaClient.class, "lambda", LambdaClient::builder);
    add(EcrClient.class, "ecr", EcrClient::builder);
    add(EksClient.class, "eks", EksClient::builder);
    add(SqsClient.class, "sqs", SqsClient::builder);
    add(SecretsManagerClient.class, "secretsmanager", SecretsManagerClient::builder);
    add(GuardDutyClient.class, "guardduty", GuardDutyClient::builder);
    add(CloudWatchLogsClient.class, "logs", CloudWatchLogsClient::builder);
    add(CloudWatchClient.class, "cloudwatch", CloudWatchClient::builder);
    add(SnsClient.class, "sns", SnsClient::builder);
    add(EfsClient.class, "efs", EfsClient::builder);
    add(ConfigClient.class, "config", ConfigClient::builder);
    add(AccessAnalyzerClient.class, "accessanalyzer", AccessAnalyzerClient::builder);
    add(SecurityHubClient.class, "securityhub", SecurityHubClient::builder);
  }

  private AwsServices() {}

  private static <C extends SdkAutoCloseable> void add(
      Class<C> type, String name, Supplier<? extends AwsClientBuilder<?, C>> builder) {
    add(type, name, builder, (b, endpoint) -> {}, true);
  }

  private static <C extends SdkAutoCloseable> void add(
      Class<C> type,
      String name,
      Supplier<? extends AwsClientBuilder<?, C>> builder,
      BiConsumer<AwsClientBuilder<?, C>, URI> customize,
      boolean overrideEndpoint) {
    TABLE.put(type, new Service<>(type, name, builder, customize, overrideEndpoint));
  }

  /** The row of {@code type}; an unknown client class is a programming error. */
  @SuppressWarnings("unchecked")
  static <C extends SdkAutoCloseable> Service<C> of(Class<C> type) {
    var service = (Service<C>) TABLE.get(type);
    if (service == null) {
      throw new IllegalArgumentException("no AWS client configured for " + type.getName());
    }
    return service;
  }

  /** Every client class in the table. */
  static Iterable<Class<?>> types() {
    return TABLE.keySet();
  }

  /**
   * S3 Control's endpoint rules put the account id in front of the host ({@code
   * <account>.s3-control...}), which an emulator or private endpoint cannot resolve (with an IP
   * endpoint the SDK fails with "host must not be null"). With an endpoint override, the rules
   * still run (so signing attributes stay right) and only scheme, host and port are replaced.
   */
  private static S3ControlEndpointProvider s3ControlEndpoint(URI override) {
    var rules = S3ControlEndpointProvider.defaultProvider();
    return params ->
        rules
            .resolveEndpoint(params.toBuilder().endpoint(null).build())
            .thenApply(e -> e.toBuilder().url(overrideHost(override, e.url())).build());
  }

  private static URI overrideHost(URI endpointOverride, URI resolved) {
    return URI.create(
        endpointOverride.getScheme()
            + "://"
            + endpointOverride.getRawAuthority()
            + (resolved.getRawPath() == null ? "" : resolved.getRawPath()));
  }
}
