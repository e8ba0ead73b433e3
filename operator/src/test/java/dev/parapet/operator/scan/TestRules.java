package dev.parapet.operator.scan;

import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.core.Severity;
import java.util.List;

/** A small rule catalog for tests that do not need the AWS engine. */
public final class TestRules {

  public static final RuleInfo SSH =
      new RuleInfo(
          "aws-ec2-sg-ssh-open",
          FindingSpec.Source.AWS,
          "Security group allows SSH from the internet",
          "セキュリティグループがインターネットからの SSH を許可",
          Severity.HIGH,
          List.of(
              new FindingSpec.Compliance("cis-aws", "5.3"),
              new FindingSpec.Compliance("aws-fsbp", "EC2.13")),
          "Remove the 0.0.0.0/0 rule for TCP 22.",
          "TCP 22 の 0.0.0.0/0 ルールを削除してください。",
          "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13",
          List.of("ec2:DescribeSecurityGroups", "ec2:DescribeNetworkInterfaces"),
          List.of("ec2"),
          true);
  public static final RuleInfo ALL_PORTS =
      new RuleInfo(
          "aws-ec2-sg-all-ports-open",
          FindingSpec.Source.AWS,
          "Security group allows all ports from the internet",
          null,
          Severity.CRITICAL,
          List.of(new FindingSpec.Compliance("aws-fsbp", "EC2.18")),
          "Restrict the rule to the ports you need.",
          null,
          null,
          List.of("ec2:DescribeSecurityGroups"),
          List.of("ec2"),
          true);
  public static final RuleInfo S3_VERSIONING =
      new RuleInfo(
          "aws-s3-versioning-off",
          FindingSpec.Source.AWS,
          "S3 bucket versioning is off",
          null,
          Severity.LOW,
          List.of(new FindingSpec.Compliance("aws-fsbp", "S3.14")),
          "Enable versioning.",
          null,
          null,
          List.of("s3:GetBucketVersioning"),
          List.of("s3"),
          true);
  public static final RuleInfo ROOT_MFA =
      new RuleInfo(
          "aws-iam-root-mfa-off",
          FindingSpec.Source.AWS,
          "Root user has no MFA",
          null,
          Severity.CRITICAL,
          List.of(
              new FindingSpec.Compliance("cis-aws", "1.4"),
              new FindingSpec.Compliance("aws-fsbp", "IAM.9")),
          "Enable MFA for the root user.",
          null,
          null,
          List.of("iam:GetAccountSummary"),
          List.of("iam"),
          false);
  public static final RuleInfo WORKLOAD_PORT =
      new RuleInfo(
          "k8s-forbidden-port",
          FindingSpec.Source.KUBERNETES,
          "Container exposes a forbidden port",
          null,
          Severity.HIGH,
          List.of(),
          "Remove the port.",
          null,
          null,
          List.of(),
          List.of(),
          false);

  public static final List<RuleInfo> ALL =
      List.of(SSH, ALL_PORTS, S3_VERSIONING, ROOT_MFA, WORKLOAD_PORT);

  public static final RuleCatalog CATALOG = () -> ALL;

  private TestRules() {}
}
