package dev.parapet.operator.demo;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;

/**
 * Seeds the emulated demo account with the misconfigurations field reports describe, and clean
 * twins of them. It writes to moto only: the demo never talks to AWS, so this is the one place
 * outside {@code aws.collect} that uses the SDK (ArchitectureTest names the exception).
 */
public final class DemoSeeder {

  /** The account moto answers for. */
  public static final String ACCOUNT_ID = "123456789012";

  public static final String REGION = "us-east-1";
  public static final String ACCESS_KEY = "testing";
  public static final String SECRET_KEY = "testing";

  private final URI endpoint;

  public DemoSeeder(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** What was seeded, one line each, for the demo's printout. */
  public List<String> seed() {
    var seeded = new ArrayList<String>();
    var credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    var http = UrlConnectionHttpClient.builder().build();
    try (var ec2 =
            Ec2Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(credentials)
                .httpClient(http)
                .build();
        var s3 =
            S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                .httpClient(http)
                .build();
        var iam =
            IamClient.builder()
                .endpointOverride(endpoint)
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials)
                .httpClient(http)
                .build()) {
      var image = "ami-0123456789abcdef0"; // moto runs instances from any image id

      var ssh =
          ec2.createSecurityGroup(
                  b -> b.groupName("bastion-ssh").description("SSH for the bastion"))
              .groupId();
      ec2.authorizeSecurityGroupIngress(
          b ->
              b.groupId(ssh)
                  .ipPermissions(
                      p ->
                          p.ipProtocol("tcp")
                              .fromPort(22)
                              .toPort(22)
                              .ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
      ec2.runInstances(
          b ->
              b.imageId(image)
                  .minCount(1)
                  .maxCount(1)
                  .securityGroupIds(ssh)
                  .metadataOptions(
                      m ->
                          m.httpTokens(HttpTokensState.OPTIONAL)
                              .httpEndpoint(InstanceMetadataEndpointState.ENABLED)));
      seeded.add(
          "EC2: security group bastion-ssh allows TCP 22 from 0.0.0.0/0, attached to an instance that allows IMDSv1");

      var https =
          ec2.createSecurityGroup(b -> b.groupName("web-https").description("HTTPS only"))
              .groupId();
      ec2.authorizeSecurityGroupIngress(
          b ->
              b.groupId(https)
                  .ipPermissions(
                      p ->
                          p.ipProtocol("tcp")
                              .fromPort(443)
                              .toPort(443)
                              .ipRanges(r -> r.cidrIp("0.0.0.0/0"))));
      ec2.runInstances(
          b ->
              b.imageId(image)
                  .minCount(1)
                  .maxCount(1)
                  .securityGroupIds(https)
                  .metadataOptions(
                      m ->
                          m.httpTokens(HttpTokensState.REQUIRED)
                              .httpEndpoint(InstanceMetadataEndpointState.ENABLED)));
      seeded.add(
          "EC2: security group web-https (TCP 443 only) on an instance that requires IMDSv2 (clean)");

      s3.createBucket(b -> b.bucket("acme-public-assets"));
      s3.putBucketPolicy(
          b ->
              b.bucket("acme-public-assets")
                  .policy(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                          + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::acme-public-assets/*\"}]}"));
      seeded.add("S3: bucket acme-public-assets readable by anyone through its bucket policy");

      s3.createBucket(b -> b.bucket("acme-private-logs"));
      s3.putPublicAccessBlock(
          b ->
              b.bucket("acme-private-logs")
                  .publicAccessBlockConfiguration(
                      c ->
                          c.blockPublicAcls(true)
                              .ignorePublicAcls(true)
                              .blockPublicPolicy(true)
                              .restrictPublicBuckets(true)));
      s3.putBucketVersioning(
          b ->
              b.bucket("acme-private-logs")
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      s3.putBucketOwnershipControls(
          b ->
              b.bucket("acme-private-logs")
                  .ownershipControls(
                      o -> o.rules(r -> r.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED))));
      s3.putBucketPolicy(
          b ->
              b.bucket("acme-private-logs")
                  .policy(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"TlsOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\","
                          + "\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::acme-private-logs\",\"arn:aws:s3:::acme-private-logs/*\"],"
                          + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}"));
      seeded.add(
          "S3: bucket acme-private-logs with Block Public Access, versioning, owner-enforced ACLs and a TLS-only policy"
              + " (clean, except MFA delete: the emulator cannot turn it on, so CIS 2.1.2 fails on every bucket)");

      iam.createUser(b -> b.userName("alice"));
      iam.createLoginProfile(b -> b.userName("alice").password("Demo-Only-Password-1!"));
      seeded.add(
          "IAM: user alice can sign in to the console with a password and has no MFA device");
      iam.createUser(b -> b.userName("ci-deployer"));
      seeded.add("IAM: user ci-deployer has no console password (clean)");

      seeded.add("CloudTrail: no trail at all, so no multi-region trail");
    }
    return seeded;
  }
}
