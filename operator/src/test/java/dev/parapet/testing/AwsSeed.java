package dev.parapet.testing;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;

/**
 * Test-side AWS SDK clients that seed the emulator directly (not through the project's factory),
 * plus small EC2 seeding helpers. Callers close the clients they get.
 */
public final class AwsSeed {
  private final URI endpoint;

  public AwsSeed(URI endpoint) {
    this.endpoint = endpoint;
  }

  public AwsSeed(MotoServer moto) {
    this(moto.endpoint());
  }

  public Ec2Client ec2(String region) {
    return build(Ec2Client.builder(), region);
  }

  public S3Client s3(String region) {
    return build(S3Client.builder().forcePathStyle(true), region);
  }

  public S3ControlClient s3control(String region) {
    return build(S3ControlClient.builder(), region);
  }

  public IamClient iam() {
    return build(IamClient.builder(), "us-east-1");
  }

  /** An IAM user of moto and its access key (moto makes up the key; tests sign with it). */
  public record User(String name, String arn, String accessKeyId, String secretAccessKey) {}

  /** Creates IAM user {@code name} with one access key. */
  public User userWithKey(String name) {
    try (var iam = iam()) {
      var arn = iam.createUser(b -> b.userName(name)).user().arn();
      var key = iam.createAccessKey(b -> b.userName(name)).accessKey();
      return new User(name, arn, key.accessKeyId(), key.secretAccessKey());
    }
  }

  public CloudTrailClient cloudTrail(String region) {
    return build(CloudTrailClient.builder(), region);
  }

  public KmsClient kms(String region) {
    return build(KmsClient.builder(), region);
  }

  public RdsClient rds(String region) {
    return build(RdsClient.builder(), region);
  }

  /** A seeding client of any service (e.g. {@code client(LambdaClient.builder(), region)}). */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(
      B builder, String region) {
    return build(builder, region);
  }

  public software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient logs(String region) {
    return build(
        software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.builder(), region);
  }

  public software.amazon.awssdk.services.cloudwatch.CloudWatchClient cloudWatch(String region) {
    return build(software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder(), region);
  }

  public software.amazon.awssdk.services.efs.EfsClient efs(String region) {
    return build(software.amazon.awssdk.services.efs.EfsClient.builder(), region);
  }

  public software.amazon.awssdk.services.config.ConfigClient config(String region) {
    return build(software.amazon.awssdk.services.config.ConfigClient.builder(), region);
  }

  public software.amazon.awssdk.services.sns.SnsClient sns(String region) {
    return build(software.amazon.awssdk.services.sns.SnsClient.builder(), region);
  }

  /** Security Hub (reads back what the export imported; moto ignores GetFindings filters). */
  public SecurityHubClient securityHub(String region) {
    return build(SecurityHubClient.builder(), region);
  }

  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
      B builder, String region) {
    return builder
        .region(Region.of(region))
        .endpointOverride(endpoint)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true)
                .build())
        .build();
  }

  /**
   * Adds an AllUsers READ grant to {@code bucket}'s ACL (keeping its other grants and owner): the
   * bucket becomes public by ACL. Sent as an AccessControlPolicy body: a canned ACL travels as a
   * header with an empty PUT body, which moto refuses (HTTP 411).
   */
  public static void grantAllUsersRead(S3Client s3, String bucket) {
    var current = s3.getBucketAcl(r -> r.bucket(bucket));
    var grants = new java.util.ArrayList<>(current.grants());
    grants.add(
        software.amazon.awssdk.services.s3.model.Grant.builder()
            .grantee(
                software.amazon.awssdk.services.s3.model.Grantee.builder()
                    .type(software.amazon.awssdk.services.s3.model.Type.GROUP)
                    .uri("http://acs.amazonaws.com/groups/global/AllUsers")
                    .build())
            .permission(software.amazon.awssdk.services.s3.model.Permission.READ)
            .build());
    s3.putBucketAcl(
        r -> r.bucket(bucket).accessControlPolicy(p -> p.owner(current.owner()).grants(grants)));
  }

  /** A security group in the region's default VPC with the given ingress; returns its id. */
  public static String securityGroup(Ec2Client ec2, String name, IpPermission... ingress) {
    var vpcId = defaultVpc(ec2);
    var id =
        ec2.createSecurityGroup(b -> b.groupName(name).description(name).vpcId(vpcId)).groupId();
    if (ingress.length > 0) {
      ec2.authorizeSecurityGroupIngress(b -> b.groupId(id).ipPermissions(ingress));
    }
    return id;
  }

  /** TCP ports from..to open to an IPv4 CIDR. */
  public static IpPermission tcp(int from, int to, String cidr) {
    return IpPermission.builder()
        .ipProtocol("tcp")
        .fromPort(from)
        .toPort(to)
        .ipRanges(IpRange.builder().cidrIp(cidr).build())
        .build();
  }

  /** TCP ports from..to open to an IPv6 CIDR. */
  public static IpPermission tcp6(int from, int to, String cidr) {
    return IpPermission.builder()
        .ipProtocol("tcp")
        .fromPort(from)
        .toPort(to)
        .ipv6Ranges(Ipv6Range.builder().cidrIpv6(cidr).build())
        .build();
  }

  /** All traffic from a CIDR. */
  public static IpPermission allTraffic(String cidr) {
    return IpPermission.builder()
        .ipProtocol("-1")
        .ipRanges(IpRange.builder().cidrIp(cidr).build())
        .build();
  }

  /** Puts the groups in use: creates a network interface in a default subnet carrying them. */
  public static String attach(Ec2Client ec2, String... groupIds) {
    var subnet = defaultSubnet(ec2);
    return ec2.createNetworkInterface(b -> b.subnetId(subnet).groups(groupIds))
        .networkInterface()
        .networkInterfaceId();
  }

  public static String defaultVpc(Ec2Client ec2) {
    return ec2.describeVpcs(
            b -> b.filters(Filter.builder().name("is-default").values("true").build()))
        .vpcs()
        .get(0)
        .vpcId();
  }

  public static String defaultSubnet(Ec2Client ec2) {
    var vpc = defaultVpc(ec2);
    return ec2.describeSubnets(b -> b.filters(Filter.builder().name("vpc-id").values(vpc).build()))
        .subnets()
        .get(0)
        .subnetId();
  }

  /** The id of the default security group of the region's default VPC. */
  public static String defaultSecurityGroup(Ec2Client ec2) {
    var vpc = defaultVpc(ec2);
    return ec2.describeSecurityGroups(
            b ->
                b.filters(
                    Filter.builder().name("vpc-id").values(vpc).build(),
                    Filter.builder().name("group-name").values("default").build()))
        .securityGroups()
        .get(0)
        .groupId();
  }

  /**
   * An image id for RunInstances. {@link MotoServer} starts moto without its default AMIs and moto
   * does not validate image ids by default, so any well-formed id works.
   */
  public static String anyImage(Ec2Client ec2) {
    return "ami-0123456789abcdef0";
  }
}
