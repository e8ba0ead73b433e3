package dev.parapet.operator.aws.rules.cloudwatch;

import dev.parapet.operator.aws.rules.AwsRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CIS v5.0.0 monitoring recommendations 4.1-4.15, one rule each on the shared {@link
 * MonitoringAlarmRule} mechanism. Each carries sample CloudTrail events: those the benchmark's
 * filter pattern is written to catch (every one must match) and near misses (none may match). In
 * v5.0.0 these recommendations are assessed manually (CloudTrail may go to a SIEM instead of
 * CloudWatch); the rules judge the CloudWatch route the benchmark's audit procedure describes.
 */
public final class CisMonitoring {
  private CisMonitoring() {}

  /** One sample event: source, name, then property/value pairs. */
  static Map<String, Object> ev(String source, String name, Object... more) {
    var kv = new ArrayList<Object>(List.of("eventSource", source, "eventName", name));
    kv.addAll(List.of(more));
    if (!kv.contains("eventType")) {
      kv.addAll(List.of("eventType", "AwsApiCall"));
    }
    if (!kv.contains("userIdentity.type")) {
      kv.addAll(List.of("userIdentity.type", "IAMUser"));
    }
    kv.addAll(List.of("sourceIPAddress", "198.51.100.7", "awsRegion", "us-east-1"));
    return FilterPattern.event(kv.toArray());
  }

  /** One successful event per name, all from {@code source}. */
  static List<Map<String, Object>> names(String source, String... names) {
    return java.util.Arrays.stream(names).map(n -> ev(source, n)).toList();
  }

  static List<Map<String, Object>> all(Object... samples) {
    var out = new ArrayList<Map<String, Object>>();
    for (var s : samples) {
      if (s instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        var e = (Map<String, Object>) m;
        out.add(e);
      } else {
        @SuppressWarnings("unchecked")
        var l = (List<Map<String, Object>>) s;
        out.addAll(l);
      }
    }
    return out;
  }

  private static MonitoringAlarmRule rule(
      String cis,
      String fsbp,
      String slug,
      String what,
      String whatJa,
      String pattern,
      List<Map<String, Object>> matching,
      List<Map<String, Object>> notMatching) {
    var url =
        fsbp == null
            ? "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html"
            : "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-"
                + fsbp.substring(fsbp.indexOf('.') + 1);
    var definition =
        MonitoringAlarmRule.definition("aws-cloudwatch-no-alarm-" + slug, cis, fsbp)
            .title(
                "No CloudWatch alarm with a subscriber watches " + what,
                whatJa + "を監視し通知先を持つ CloudWatch アラームがありません")
            .remediation(
                "On the CloudWatch Logs log group of a logging multi-region trail, create a metric"
                    + " filter with the CIS "
                    + cis
                    + " pattern "
                    + pattern
                    + ", an alarm on its metric (Sum >= 1 over 300 s) whose action is an SNS topic,"
                    + " and a subscription to that topic.",
                "ログ記録中のマルチリージョン証跡の CloudWatch Logs ロググループに CIS "
                    + cis
                    + " のパターン "
                    + pattern
                    + " のメトリクスフィルターを作成し、そのメトリクスに SNS トピックを通知先とするアラーム"
                    + " (300 秒間の合計 >= 1) と、トピックのサブスクリプションを作成してください。",
                url)
            .build();
    return new MonitoringAlarmRule(definition, pattern, matching, notMatching);
  }

  /** The fifteen rules, in benchmark order. */
  public static List<AwsRule> rules() {
    return List.of(
        rule(
            "4.1",
            "CloudWatch.2",
            "unauthorized-api-calls",
            "unauthorized API calls",
            "不正な API コール",
            "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") && ($.sourceIPAddress != \"delivery.logs.amazonaws.com\") && ($.eventName != \"HeadBucket\") }",
            all(
                ev(
                    "ec2.amazonaws.com",
                    "RunInstances",
                    "errorCode",
                    "Client.UnauthorizedOperation"),
                ev("s3.amazonaws.com", "GetObject", "errorCode", "AccessDenied")),
            all(ev("ec2.amazonaws.com", "DescribeInstances"))),
        rule(
            "4.2",
            "CloudWatch.3",
            "console-signin-without-mfa",
            "console sign-ins without MFA",
            "MFA なしのコンソールサインイン",
            "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") && ($.userIdentity.type = \"IAMUser\") && ($.responseElements.ConsoleLogin = \"Success\") }",
            all(
                ev(
                    "signin.amazonaws.com",
                    "ConsoleLogin",
                    "additionalEventData.MFAUsed",
                    "No",
                    "userIdentity.type",
                    "IAMUser",
                    "responseElements.ConsoleLogin",
                    "Success")),
            all(
                ev(
                    "signin.amazonaws.com",
                    "ConsoleLogin",
                    "additionalEventData.MFAUsed",
                    "Yes",
                    "userIdentity.type",
                    "IAMUser",
                    "responseElements.ConsoleLogin",
                    "Success"))),
        rule(
            "4.3",
            "CloudWatch.1",
            "root-usage",
            "use of the root user",
            "ルートユーザーの使用",
            "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }",
            all(
                ev(
                    "iam.amazonaws.com",
                    "CreateUser",
                    "userIdentity.type",
                    "Root",
                    "eventType",
                    "AwsApiCall"),
                ev(
                    "signin.amazonaws.com",
                    "ConsoleLogin",
                    "userIdentity.type",
                    "Root",
                    "eventType",
                    "AwsConsoleSignIn")),
            all(
                ev(
                    "iam.amazonaws.com",
                    "CreateUser",
                    "userIdentity.type",
                    "IAMUser",
                    "eventType",
                    "AwsApiCall"))),
        rule(
            "4.4",
            "CloudWatch.4",
            "iam-policy-changes",
            "IAM policy changes",
            "IAM ポリシーの変更",
            "{ ($.eventName = \"DeleteGroupPolicy\") || ($.eventName = \"DeleteRolePolicy\") || ($.eventName = \"DeleteUserPolicy\") || ($.eventName = \"PutGroupPolicy\") || ($.eventName = \"PutRolePolicy\") || ($.eventName = \"PutUserPolicy\") || ($.eventName = \"CreatePolicy\") || ($.eventName = \"DeletePolicy\") || ($.eventName = \"CreatePolicyVersion\") || ($.eventName = \"DeletePolicyVersion\") || ($.eventName = \"AttachRolePolicy\") || ($.eventName = \"DetachRolePolicy\") || ($.eventName = \"AttachUserPolicy\") || ($.eventName = \"DetachUserPolicy\") || ($.eventName = \"AttachGroupPolicy\") || ($.eventName = \"DetachGroupPolicy\") }",
            all(
                names(
                    "iam.amazonaws.com",
                    "DeleteGroupPolicy",
                    "DeleteRolePolicy",
                    "DeleteUserPolicy",
                    "PutGroupPolicy",
                    "PutRolePolicy",
                    "PutUserPolicy",
                    "CreatePolicy",
                    "DeletePolicy",
                    "CreatePolicyVersion",
                    "DeletePolicyVersion",
                    "AttachRolePolicy",
                    "DetachRolePolicy",
                    "AttachUserPolicy",
                    "DetachUserPolicy",
                    "AttachGroupPolicy",
                    "DetachGroupPolicy")),
            all(ev("iam.amazonaws.com", "GetPolicy"))),
        rule(
            "4.5",
            "CloudWatch.5",
            "cloudtrail-config-changes",
            "CloudTrail configuration changes",
            "CloudTrail の設定変更",
            "{ ($.eventName = \"CreateTrail\") || ($.eventName = \"UpdateTrail\") || ($.eventName = \"DeleteTrail\") || ($.eventName = \"StartLogging\") || ($.eventName = \"StopLogging\") }",
            all(
                names(
                    "cloudtrail.amazonaws.com",
                    "CreateTrail",
                    "UpdateTrail",
                    "DeleteTrail",
                    "StartLogging",
                    "StopLogging")),
            all(ev("cloudtrail.amazonaws.com", "DescribeTrails"))),
        rule(
            "4.6",
            "CloudWatch.6",
            "console-auth-failures",
            "console authentication failures",
            "コンソール認証の失敗",
            "{ ($.eventName = \"ConsoleLogin\") && ($.errorMessage = \"Failed authentication\") }",
            all(
                ev(
                    "signin.amazonaws.com",
                    "ConsoleLogin",
                    "errorMessage",
                    "Failed authentication")),
            all(
                ev(
                    "signin.amazonaws.com",
                    "ConsoleLogin",
                    "responseElements.ConsoleLogin",
                    "Success"))),
        rule(
            "4.7",
            "CloudWatch.7",
            "cmk-disable-or-deletion",
            "disabling or scheduled deletion of customer managed keys",
            "カスタマーマネージドキーの無効化または削除予定",
            "{ ($.eventSource = \"kms.amazonaws.com\") && (($.eventName = \"DisableKey\") || ($.eventName = \"ScheduleKeyDeletion\")) }",
            all(names("kms.amazonaws.com", "DisableKey", "ScheduleKeyDeletion")),
            all(ev("kms.amazonaws.com", "Encrypt"), ev("ec2.amazonaws.com", "DisableKey"))),
        rule(
            "4.8",
            "CloudWatch.8",
            "s3-bucket-policy-changes",
            "S3 bucket policy changes",
            "S3 バケットポリシーの変更",
            "{ ($.eventSource = \"s3.amazonaws.com\") && (($.eventName = \"PutBucketAcl\") || ($.eventName = \"PutBucketPolicy\") || ($.eventName = \"PutBucketCors\") || ($.eventName = \"PutBucketLifecycle\") || ($.eventName = \"PutBucketReplication\") || ($.eventName = \"DeleteBucketPolicy\") || ($.eventName = \"DeleteBucketCors\") || ($.eventName = \"DeleteBucketLifecycle\") || ($.eventName = \"DeleteBucketReplication\")) }",
            all(
                names(
                    "s3.amazonaws.com",
                    "PutBucketAcl",
                    "PutBucketPolicy",
                    "PutBucketCors",
                    "PutBucketLifecycle",
                    "PutBucketReplication",
                    "DeleteBucketPolicy",
                    "DeleteBucketCors",
                    "DeleteBucketLifecycle",
                    "DeleteBucketReplication")),
            all(ev("s3.amazonaws.com", "GetObject"))),
        rule(
            "4.9",
            "CloudWatch.9",
            "config-changes",
            "AWS Config configuration changes",
            "AWS Config の設定変更",
            "{ ($.eventSource = \"config.amazonaws.com\") && (($.eventName = \"StopConfigurationRecorder\") || ($.eventName = \"DeleteDeliveryChannel\") || ($.eventName = \"PutDeliveryChannel\") || ($.eventName = \"PutConfigurationRecorder\")) }",
            all(
                names(
                    "config.amazonaws.com",
                    "StopConfigurationRecorder",
                    "DeleteDeliveryChannel",
                    "PutDeliveryChannel",
                    "PutConfigurationRecorder")),
            all(ev("config.amazonaws.com", "DescribeConfigRules"))),
        rule(
            "4.10",
            "CloudWatch.10",
            "security-group-changes",
            "security group changes",
            "セキュリティグループの変更",
            "{ ($.eventName = \"AuthorizeSecurityGroupIngress\") || ($.eventName = \"AuthorizeSecurityGroupEgress\") || ($.eventName = \"RevokeSecurityGroupIngress\") || ($.eventName = \"RevokeSecurityGroupEgress\") || ($.eventName = \"CreateSecurityGroup\") || ($.eventName = \"DeleteSecurityGroup\") || ($.eventName = \"ModifySecurityGroupRules\") }",
            all(
                names(
                    "ec2.amazonaws.com",
                    "AuthorizeSecurityGroupIngress",
                    "AuthorizeSecurityGroupEgress",
                    "RevokeSecurityGroupIngress",
                    "RevokeSecurityGroupEgress",
                    "CreateSecurityGroup",
                    "DeleteSecurityGroup",
                    "ModifySecurityGroupRules")),
            all(ev("ec2.amazonaws.com", "DescribeSecurityGroups"))),
        rule(
            "4.11",
            "CloudWatch.11",
            "nacl-changes",
            "network ACL changes",
            "ネットワーク ACL の変更",
            "{ ($.eventName = \"CreateNetworkAcl\") || ($.eventName = \"CreateNetworkAclEntry\") || ($.eventName = \"DeleteNetworkAcl\") || ($.eventName = \"DeleteNetworkAclEntry\") || ($.eventName = \"ReplaceNetworkAclEntry\") || ($.eventName = \"ReplaceNetworkAclAssociation\") }",
            all(
                names(
                    "ec2.amazonaws.com",
                    "CreateNetworkAcl",
                    "CreateNetworkAclEntry",
                    "DeleteNetworkAcl",
                    "DeleteNetworkAclEntry",
                    "ReplaceNetworkAclEntry",
                    "ReplaceNetworkAclAssociation")),
            all(ev("ec2.amazonaws.com", "DescribeNetworkAcls"))),
        rule(
            "4.12",
            "CloudWatch.12",
            "network-gateway-changes",
            "network gateway changes",
            "ネットワークゲートウェイの変更",
            "{ ($.eventName = \"CreateCustomerGateway\") || ($.eventName = \"DeleteCustomerGateway\") || ($.eventName = \"AttachInternetGateway\") || ($.eventName = \"CreateInternetGateway\") || ($.eventName = \"DeleteInternetGateway\") || ($.eventName = \"DetachInternetGateway\") }",
            all(
                names(
                    "ec2.amazonaws.com",
                    "CreateCustomerGateway",
                    "DeleteCustomerGateway",
                    "AttachInternetGateway",
                    "CreateInternetGateway",
                    "DeleteInternetGateway",
                    "DetachInternetGateway")),
            all(ev("ec2.amazonaws.com", "DescribeInternetGateways"))),
        rule(
            "4.13",
            "CloudWatch.13",
            "route-table-changes",
            "route table changes",
            "ルートテーブルの変更",
            "{ ($.eventSource = \"ec2.amazonaws.com\") && (($.eventName = \"CreateRoute\") || ($.eventName = \"CreateRouteTable\") || ($.eventName = \"ReplaceRoute\") || ($.eventName = \"ReplaceRouteTableAssociation\") || ($.eventName = \"DeleteRouteTable\") || ($.eventName = \"DeleteRoute\") || ($.eventName = \"DisassociateRouteTable\")) }",
            all(
                names(
                    "ec2.amazonaws.com",
                    "CreateRoute",
                    "CreateRouteTable",
                    "ReplaceRoute",
                    "ReplaceRouteTableAssociation",
                    "DeleteRouteTable",
                    "DeleteRoute",
                    "DisassociateRouteTable")),
            all(ev("ec2.amazonaws.com", "DescribeRouteTables"))),
        rule(
            "4.14",
            "CloudWatch.14",
            "vpc-changes",
            "VPC changes",
            "VPC の変更",
            "{ ($.eventName = \"CreateVpc\") || ($.eventName = \"DeleteVpc\") || ($.eventName = \"ModifyVpcAttribute\") || ($.eventName = \"AcceptVpcPeeringConnection\") || ($.eventName = \"CreateVpcPeeringConnection\") || ($.eventName = \"DeleteVpcPeeringConnection\") || ($.eventName = \"RejectVpcPeeringConnection\") || ($.eventName = \"AttachClassicLinkVpc\") || ($.eventName = \"DetachClassicLinkVpc\") || ($.eventName = \"DisableVpcClassicLink\") || ($.eventName = \"EnableVpcClassicLink\") }",
            all(
                names(
                    "ec2.amazonaws.com",
                    "CreateVpc",
                    "DeleteVpc",
                    "ModifyVpcAttribute",
                    "AcceptVpcPeeringConnection",
                    "CreateVpcPeeringConnection",
                    "DeleteVpcPeeringConnection",
                    "RejectVpcPeeringConnection",
                    "AttachClassicLinkVpc",
                    "DetachClassicLinkVpc",
                    "DisableVpcClassicLink",
                    "EnableVpcClassicLink")),
            all(ev("ec2.amazonaws.com", "DescribeVpcs"))),
        rule(
            "4.15",
            null,
            "organizations-changes",
            "AWS Organizations changes",
            "AWS Organizations の変更",
            "{ ($.eventSource = \"organizations.amazonaws.com\") && (($.eventName = \"AcceptHandshake\") || ($.eventName = \"AttachPolicy\") || ($.eventName = \"CreateAccount\") || ($.eventName = \"CreateOrganizationalUnit\") || ($.eventName = \"CreatePolicy\") || ($.eventName = \"DeclineHandshake\") || ($.eventName = \"DeleteOrganization\") || ($.eventName = \"DeleteOrganizationalUnit\") || ($.eventName = \"DeletePolicy\") || ($.eventName = \"DetachPolicy\") || ($.eventName = \"DisablePolicyType\") || ($.eventName = \"EnablePolicyType\") || ($.eventName = \"InviteAccountToOrganization\") || ($.eventName = \"LeaveOrganization\") || ($.eventName = \"MoveAccount\") || ($.eventName = \"RemoveAccountFromOrganization\") || ($.eventName = \"UpdatePolicy\") || ($.eventName = \"UpdateOrganizationalUnit\")) }",
            all(
                names(
                    "organizations.amazonaws.com",
                    "AcceptHandshake",
                    "AttachPolicy",
                    "CreateAccount",
                    "CreateOrganizationalUnit",
                    "CreatePolicy",
                    "DeclineHandshake",
                    "DeleteOrganization",
                    "DeleteOrganizationalUnit",
                    "DeletePolicy",
                    "DetachPolicy",
                    "DisablePolicyType",
                    "EnablePolicyType",
                    "InviteAccountToOrganization",
                    "LeaveOrganization",
                    "MoveAccount",
                    "RemoveAccountFromOrganization",
                    "UpdatePolicy",
                    "UpdateOrganizationalUnit")),
            all(
                ev("organizations.amazonaws.com", "DescribeOrganization"),
                ev("iam.amazonaws.com", "AttachPolicy"))));
  }
}
