package dev.parapet.operator.aws.events.activity;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The activity rules: what {@link ActivityDetector} reports from single CloudTrail records. Their
 * metadata is the shared {@link RuleMetadata} (category {@link RuleMetadata.Category#ACTIVITY}), so
 * the operator's catalog, the policy validator (rule ids, severity overrides, exceptions) and
 * {@code docs/rules.md} know them like every other rule. They collect nothing: they need no IAM
 * action beyond reading the account's event queue.
 */
public final class ActivityRules {

  /** An activity rule and the CloudTrail events it reads (for the catalogue). */
  public record ActivityRule(RuleMetadata metadata, List<String> events) {
    public ActivityRule {
      events = List.copyOf(events);
    }

    public String id() {
      return metadata.id();
    }
  }

  public static final ActivityRule CONSOLE_LOGIN_WITHOUT_MFA =
      rule(
          "aws-activity-console-login-without-mfa",
          "Console sign-in without MFA",
          "MFA を使わずにコンソールにサインインしました",
          "Require MFA for every IAM user with a console password (assign a device, and deny"
              + " actions without aws:MultiFactorAuthPresent), or move people to IAM Identity"
              + " Center. Confirm with the user that the sign-in was theirs.",
          "コンソールパスワードを持つすべての IAM ユーザーに MFA を必須にしてください (デバイスを割り当て、"
              + "aws:MultiFactorAuthPresent のない操作を拒否する)。または IAM Identity Center に移行してください。"
              + "サインインが本人によるものか確認してください。",
          "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html",
          Severity.HIGH,
          "AWS::IAM::User",
          List.of("signin:ConsoleLogin"));

  public static final ActivityRule ROOT_USER_ACTIVITY =
      rule(
          "aws-activity-root-user",
          "Root user activity",
          "ルートユーザーが操作しました",
          "Confirm the root user's action was intended and needed. Use IAM roles or IAM Identity"
              + " Center for daily work, keep root credentials locked away with MFA, and rotate"
              + " the root password if the activity is unexpected.",
          "ルートユーザーの操作が意図したもので必要なものだったか確認してください。日常の作業には IAM ロールまたは"
              + " IAM Identity Center を使い、ルートの認証情報は MFA とともに厳重に保管してください。"
              + "想定外の操作であればルートのパスワードを変更してください。",
          "https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html",
          Severity.HIGH,
          RuleMetadata.ACCOUNT,
          List.of("any event of the root user not made by an AWS service"));

  public static final ActivityRule CLOUDTRAIL_LOGGING_OFF =
      rule(
          "aws-activity-cloudtrail-logging-off",
          "CloudTrail logging stopped, trail deleted or narrowed",
          "CloudTrail のログ記録が停止、証跡が削除または縮小されました",
          "Restart logging (StartLogging) or recreate the trail, restore multi-region and global"
              + " service events, and find out who turned it off and why. Deny"
              + " cloudtrail:StopLogging, DeleteTrail and UpdateTrail with an SCP outside an"
              + " administration role.",
          "ログ記録を再開 (StartLogging) するか証跡を作り直し、マルチリージョンとグローバルサービスイベントを元に戻して、"
              + "誰がなぜ停止したかを調べてください。管理用ロール以外には SCP で cloudtrail:StopLogging、"
              + "DeleteTrail、UpdateTrail を拒否してください。",
          "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-turning-off-logging.html",
          Severity.CRITICAL,
          "AWS::CloudTrail::Trail",
          List.of("cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail"));

  public static final ActivityRule MFA_DEACTIVATED =
      rule(
          "aws-activity-mfa-deactivated",
          "MFA device deactivated or deleted",
          "MFA デバイスが無効化または削除されました",
          "Confirm the change with the user; assign a new MFA device at once if it was not a"
              + " planned replacement, and review what the principal did since.",
          "ユーザーに変更を確認し、計画された交換でなければすぐに新しい MFA デバイスを割り当てて、" + "その後のプリンシパルの操作を確認してください。",
          "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_disable.html",
          Severity.HIGH,
          "AWS::IAM::User",
          List.of("iam:DeactivateMFADevice", "iam:DeleteVirtualMFADevice"));

  public static final ActivityRule SECURITY_GROUP_OPENED =
      rule(
          "aws-activity-sg-opened-to-world",
          "Security group ingress opened to the internet (0.0.0.0/0 or ::/0)",
          "セキュリティグループのインバウンドがインターネット (0.0.0.0/0 または ::/0) に開放されました",
          "Revoke the rule (RevokeSecurityGroupIngress) unless the exposure is intended, and allow"
              + " only the address ranges that need access.",
          "意図した公開でなければルールを取り消し (RevokeSecurityGroupIngress)、アクセスが必要なアドレス範囲だけを" + "許可してください。",
          "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
          Severity.HIGH,
          "AWS::EC2::SecurityGroup",
          List.of("ec2:AuthorizeSecurityGroupIngress"));

  public static final ActivityRule NETWORK_ACL_OPENED =
      rule(
          "aws-activity-nacl-opened-to-world",
          "Network ACL ingress allowed from the internet (0.0.0.0/0 or ::/0)",
          "ネットワーク ACL のインバウンドがインターネット (0.0.0.0/0 または ::/0) から許可されました",
          "Replace or delete the entry unless the exposure is intended, and allow only the"
              + " address ranges and ports that need access.",
          "意図した公開でなければエントリを置き換えるか削除し、アクセスが必要なアドレス範囲とポートだけを許可してください。",
          "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html",
          Severity.MEDIUM,
          "AWS::EC2::NetworkAcl",
          List.of("ec2:CreateNetworkAclEntry", "ec2:ReplaceNetworkAclEntry"));

  /** Every activity rule, in catalogue order. */
  public static final List<ActivityRule> ALL =
      List.of(
          CONSOLE_LOGIN_WITHOUT_MFA,
          ROOT_USER_ACTIVITY,
          CLOUDTRAIL_LOGGING_OFF,
          MFA_DEACTIVATED,
          SECURITY_GROUP_OPENED,
          NETWORK_ACL_OPENED);

  /** The ids of every activity rule. */
  public static final Set<String> IDS =
      ALL.stream().map(ActivityRule::id).collect(Collectors.toUnmodifiableSet());

  private ActivityRules() {}

  /** The metadata of every activity rule. */
  public static List<RuleMetadata> metadata() {
    return ALL.stream().map(ActivityRule::metadata).toList();
  }

  private static ActivityRule rule(
      String id,
      String titleEn,
      String titleJa,
      String remediationEn,
      String remediationJa,
      String url,
      Severity severity,
      String resourceType,
      List<String> events) {
    return new ActivityRule(
        RuleMetadata.builder(id, RuleMetadata.Source.AWS)
            .category(RuleMetadata.Category.ACTIVITY)
            .title(titleEn, titleJa)
            .remediation(remediationEn, remediationJa, url)
            .severity(severity)
            .resourceType(resourceType)
            .build(),
        events);
  }
}
