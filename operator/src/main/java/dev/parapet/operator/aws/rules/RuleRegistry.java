package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.rules.accessanalyzer.AccessAnalyzerOffRule;
import dev.parapet.operator.aws.rules.cloudtrail.LogFileValidationOffRule;
import dev.parapet.operator.aws.rules.cloudtrail.NoMultiRegionTrailRule;
import dev.parapet.operator.aws.rules.cloudtrail.S3ObjectReadsNotLoggedRule;
import dev.parapet.operator.aws.rules.cloudtrail.S3ObjectWritesNotLoggedRule;
import dev.parapet.operator.aws.rules.cloudtrail.TrailBucketAccessLoggingOffRule;
import dev.parapet.operator.aws.rules.cloudtrail.TrailNotKmsEncryptedRule;
import dev.parapet.operator.aws.rules.cloudwatch.CisMonitoring;
import dev.parapet.operator.aws.rules.config.ConfigRecorderOffRule;
import dev.parapet.operator.aws.rules.ec2.AmiPublicRule;
import dev.parapet.operator.aws.rules.ec2.DefaultSecurityGroupRulesRule;
import dev.parapet.operator.aws.rules.ec2.EbsDefaultEncryptionOffRule;
import dev.parapet.operator.aws.rules.ec2.EbsSnapshotPublicRule;
import dev.parapet.operator.aws.rules.ec2.EbsVolumeUnencryptedRule;
import dev.parapet.operator.aws.rules.ec2.Imdsv2NotRequiredRule;
import dev.parapet.operator.aws.rules.ec2.InstanceWithoutIamRoleRule;
import dev.parapet.operator.aws.rules.ec2.NetworkAclAdminPortsOpenRule;
import dev.parapet.operator.aws.rules.ec2.SecurityGroupAllPortsOpenRule;
import dev.parapet.operator.aws.rules.ec2.SecurityGroupOpenCifsRule;
import dev.parapet.operator.aws.rules.ec2.SecurityGroupOpenRdpRule;
import dev.parapet.operator.aws.rules.ec2.SecurityGroupOpenSshRule;
import dev.parapet.operator.aws.rules.ec2.SecurityGroupSensitivePortOpenRule;
import dev.parapet.operator.aws.rules.ec2.SnapshotBlockPublicAccessOffRule;
import dev.parapet.operator.aws.rules.ec2.VpcFlowLogsOffRule;
import dev.parapet.operator.aws.rules.efs.EfsUnencryptedRule;
import dev.parapet.operator.aws.rules.iam.AccessKeyRotationRule;
import dev.parapet.operator.aws.rules.iam.AdminPolicyAttachedRule;
import dev.parapet.operator.aws.rules.iam.CloudShellFullAccessRule;
import dev.parapet.operator.aws.rules.iam.ConsoleUserUnusedKeyRule;
import dev.parapet.operator.aws.rules.iam.ConsoleUserWithoutMfaRule;
import dev.parapet.operator.aws.rules.iam.ExpiredServerCertificateRule;
import dev.parapet.operator.aws.rules.iam.RootAccessKeyRule;
import dev.parapet.operator.aws.rules.iam.RootMfaOffRule;
import dev.parapet.operator.aws.rules.iam.SupportRoleMissingRule;
import dev.parapet.operator.aws.rules.iam.UnusedCredentialsRule;
import dev.parapet.operator.aws.rules.iam.UserDirectPoliciesRule;
import dev.parapet.operator.aws.rules.iam.WeakPasswordPolicyRule;
import dev.parapet.operator.aws.rules.kms.KeyRotationOffRule;
import dev.parapet.operator.aws.rules.rds.DbAutoMinorUpgradeOffRule;
import dev.parapet.operator.aws.rules.rds.DbInstancePublicRule;
import dev.parapet.operator.aws.rules.rds.DbNotMultiAzRule;
import dev.parapet.operator.aws.rules.rds.DbSnapshotPublicRule;
import dev.parapet.operator.aws.rules.rds.DbStorageUnencryptedRule;
import dev.parapet.operator.aws.rules.s3.AccountPublicAccessBlockOffRule;
import dev.parapet.operator.aws.rules.s3.BucketAclsEnabledRule;
import dev.parapet.operator.aws.rules.s3.BucketMfaDeleteOffRule;
import dev.parapet.operator.aws.rules.s3.BucketPublicAccessBlockOffRule;
import dev.parapet.operator.aws.rules.s3.BucketPublicRule;
import dev.parapet.operator.aws.rules.s3.BucketTlsNotEnforcedRule;
import dev.parapet.operator.aws.rules.s3.BucketVersioningOffRule;
import dev.parapet.operator.aws.rules.securityhub.SecurityHubDisabledRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one list of AWS rules. Add a rule by appending one line to {@link #ALL}. */
public final class RuleRegistry {

  private static final List<AwsRule> CORE =
      java.util.stream.Stream.concat(
              List.<AwsRule>of(
                  // EC2 / VPC (checks 1-11, 31, then network ACLs: CIS 5.2)
                  new SecurityGroupOpenSshRule(),
                  new SecurityGroupOpenRdpRule(),
                  new SecurityGroupAllPortsOpenRule(),
                  new SecurityGroupSensitivePortOpenRule(),
                  new DefaultSecurityGroupRulesRule(),
                  new Imdsv2NotRequiredRule(),
                  new EbsDefaultEncryptionOffRule(),
                  new EbsVolumeUnencryptedRule(),
                  new EbsSnapshotPublicRule(),
                  new SnapshotBlockPublicAccessOffRule(),
                  new AmiPublicRule(),
                  new VpcFlowLogsOffRule(),
                  new NetworkAclAdminPortsOpenRule(),
                  // S3 (checks 12-17)
                  new AccountPublicAccessBlockOffRule(),
                  new BucketPublicAccessBlockOffRule(),
                  new BucketPublicRule(),
                  new BucketAclsEnabledRule(),
                  new BucketTlsNotEnforcedRule(),
                  new BucketVersioningOffRule(),
                  // IAM (checks 18-24)
                  new RootMfaOffRule(),
                  new RootAccessKeyRule(),
                  new ConsoleUserWithoutMfaRule(),
                  new UnusedCredentialsRule(),
                  new AccessKeyRotationRule(),
                  new WeakPasswordPolicyRule(),
                  new AdminPolicyAttachedRule(),
                  // CloudTrail (checks 25-26)
                  new NoMultiRegionTrailRule(),
                  new LogFileValidationOffRule(),
                  // KMS (check 27)
                  new KeyRotationOffRule(),
                  // RDS (checks 28-30)
                  new DbInstancePublicRule(),
                  new DbStorageUnencryptedRule(),
                  new DbSnapshotPublicRule(),
                  // CIS v5.0 IAM (1.14, 1.16, 1.17, 1.18)
                  new UserDirectPoliciesRule(),
                  new SupportRoleMissingRule(),
                  new InstanceWithoutIamRoleRule(),
                  new ExpiredServerCertificateRule(),
                  // CIS v5.0 storage and logging (2.2.2, 2.2.4, 3.5, 3.8, 3.9)
                  new DbAutoMinorUpgradeOffRule(),
                  new DbNotMultiAzRule(),
                  new TrailNotKmsEncryptedRule(),
                  new S3ObjectWritesNotLoggedRule(),
                  new S3ObjectReadsNotLoggedRule(),
                  // CIS v5.0 account services (1.19, 2.3.1, 3.3, 4.16)
                  new AccessAnalyzerOffRule(),
                  new EfsUnencryptedRule(),
                  new ConfigRecorderOffRule(),
                  new SecurityHubDisabledRule(),
                  // CIS v5.0 (1.10, 1.21, 2.1.2, 3.4, 5.1.2)
                  new ConsoleUserUnusedKeyRule(),
                  new CloudShellFullAccessRule(),
                  new BucketMfaDeleteOffRule(),
                  new TrailBucketAccessLoggingOffRule(),
                  new SecurityGroupOpenCifsRule())
                  .stream(),
              // CIS v5.0 monitoring (4.1-4.15): one rule each, one mechanism
              CisMonitoring.rules().stream())
          .toList();

  /**
   * The core list, then the FSBP rules of the services added for them ({@link FsbpServiceRules}).
   */
  private static final List<AwsRule> ALL =
      java.util.stream.Stream.concat(CORE.stream(), FsbpServiceRules.all().stream()).toList();

  private static final RuleRegistry DEFAULT = new RuleRegistry(ALL);

  private final Map<String, AwsRule> byId = new LinkedHashMap<>();

  /** A registry over the given rules (tests use small ones); ids must be unique. */
  public RuleRegistry(List<AwsRule> rules) {
    for (var rule : rules) {
      if (byId.putIfAbsent(rule.id(), rule) != null) {
        throw new IllegalStateException("duplicate rule id " + rule.id());
      }
    }
  }

  /** The shipped list as written (the catalogue test checks it for duplicate ids). */
  public static List<AwsRule> shipped() {
    return ALL;
  }

  /** Every shipped rule. */
  public static RuleRegistry defaults() {
    return DEFAULT;
  }

  public List<AwsRule> rules() {
    return List.copyOf(byId.values());
  }

  public Optional<AwsRule> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }
}
