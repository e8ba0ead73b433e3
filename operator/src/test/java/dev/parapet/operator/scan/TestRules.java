package dev.parapet.operator.scan;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.RuleMetadata.Source;
import dev.parapet.core.Severity;
import java.util.List;

/** A small rule catalog for tests that do not need the AWS engine. */
public final class TestRules {

  public static final RuleMetadata SSH =
      RuleMetadata.builder("aws-ec2-sg-ssh-open", Source.AWS)
          .title("Security group allows SSH from the internet", "セキュリティグループがインターネットからの SSH を許可")
          .severity(Severity.HIGH)
          .resourceType("AWS::EC2::SecurityGroup")
          .controls(RuleMetadata.CIS_AWS, "5.3")
          .controls(RuleMetadata.AWS_FSBP, "EC2.13")
          .remediation(
              "Remove the 0.0.0.0/0 rule for TCP 22.",
              "TCP 22 の 0.0.0.0/0 ルールを削除してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13")
          .requiredActions(List.of("ec2:DescribeSecurityGroups", "ec2:DescribeNetworkInterfaces"))
          .services(List.of("ec2"))
          .build();
  public static final RuleMetadata ALL_PORTS =
      RuleMetadata.builder("aws-ec2-sg-all-ports-open", Source.AWS)
          .title("Security group allows all ports from the internet", null)
          .severity(Severity.CRITICAL)
          .resourceType("AWS::EC2::SecurityGroup")
          .controls(RuleMetadata.AWS_FSBP, "EC2.18")
          .remediation("Restrict the rule to the ports you need.", null)
          .requiredActions(List.of("ec2:DescribeSecurityGroups"))
          .services(List.of("ec2"))
          .build();
  public static final RuleMetadata S3_VERSIONING =
      RuleMetadata.builder("aws-s3-versioning-off", Source.AWS)
          .title("S3 bucket versioning is off", null)
          .severity(Severity.LOW)
          .resourceType("AWS::S3::Bucket")
          .controls(RuleMetadata.AWS_FSBP, "S3.14")
          .remediation("Enable versioning.", null)
          .requiredActions(List.of("s3:GetBucketVersioning"))
          .services(List.of("s3"))
          .build();

  /** An account-level setting: its results carry no tags. */
  public static final RuleMetadata ROOT_MFA =
      RuleMetadata.builder("aws-iam-root-mfa-off", Source.AWS)
          .title("Root user has no MFA", null)
          .severity(Severity.CRITICAL)
          .resourceType(RuleMetadata.ACCOUNT)
          .controls(RuleMetadata.CIS_AWS, "1.4")
          .controls(RuleMetadata.AWS_FSBP, "IAM.9")
          .remediation("Enable MFA for the root user.", null)
          .requiredActions(List.of("iam:GetAccountSummary"))
          .services(List.of("iam"))
          .build();

  public static final RuleMetadata WORKLOAD_PORT =
      RuleMetadata.workload(
          "k8s-forbidden-port",
          "Container exposes a forbidden port",
          null,
          "Remove the port.",
          null,
          Severity.HIGH,
          RuleMetadata.POD_KINDS);

  public static final List<RuleMetadata> ALL =
      List.of(SSH, ALL_PORTS, S3_VERSIONING, ROOT_MFA, WORKLOAD_PORT);

  public static final RuleCatalog CATALOG = () -> ALL;

  private TestRules() {}
}
