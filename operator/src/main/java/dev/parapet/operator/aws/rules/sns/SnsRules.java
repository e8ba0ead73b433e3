package dev.parapet.operator.aws.rules.sns;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.PublicPolicy;
import dev.parapet.operator.aws.inventory.sns.Topics;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.PerResourceRule;
import dev.parapet.operator.aws.rules.PerResourceRule.Verdict;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import java.util.List;
import java.util.Map;

/** SNS rules (FSBP SNS.1, SNS.4). */
public final class SnsRules {
  private static final String DOCS =
      "https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html";

  static final AwsRule UNENCRYPTED =
      new PerResourceRule<>(
          RuleDefinition.builder("aws-sns-topic-unencrypted")
              .title(
                  "SNS topic is not encrypted at rest with AWS KMS",
                  "SNS トピックが AWS KMS で保存時に暗号化されていません")
              .remediation(
                  "Set a KMS key on the topic (aws sns set-topic-attributes --topic-arn <arn>"
                      + " --attribute-name KmsMasterKeyId --attribute-value <key>).",
                  "トピックに KMS キーを設定してください (aws sns set-topic-attributes --topic-arn <arn>"
                      + " --attribute-name KmsMasterKeyId --attribute-value <key>)。",
                  DOCS + "#sns-1")
              .severity(Severity.MEDIUM)
              .resourceType("AWS::SNS::Topic")
              .fsbp("SNS.1")
              .reads(Topics.class)
              .build(),
          Topics.class,
          Topics::topics,
          SnsRules::resource,
          (view, t) ->
              Verdict.on(
                  t.attributes(),
                  a ->
                      Verdict.failIf(
                          a.kmsKeyId() == null, "Topic " + t.name() + " has no KmsMasterKeyId")));

  static final AwsRule PUBLIC =
      new PerResourceRule<>(
          RuleDefinition.builder("aws-sns-topic-public")
              .title("SNS topic policy allows public access", "SNS トピックポリシーがパブリックアクセスを許可しています")
              .remediation(
                  "Remove the statements that allow any principal (\"*\") without a condition on"
                      + " the caller's account, organization or source (the default policy's"
                      + " AWS:SourceOwner condition is such a restriction).",
                  "任意のプリンシパル (\"*\") を呼び出し元のアカウント・組織・送信元の条件なしに許可しているステートメントを削除してください"
                      + " (デフォルトポリシーの AWS:SourceOwner 条件はこの制限に当たります)。",
                  DOCS + "#sns-4")
              .severity(Severity.CRITICAL)
              .resourceType("AWS::SNS::Topic")
              .fsbp("SNS.4")
              .reads(Topics.class)
              .build(),
          Topics.class,
          Topics::topics,
          SnsRules::resource,
          (view, t) ->
              Verdict.on(
                  t.attributes(),
                  a -> {
                    var open = PublicPolicy.publicStatements(a.policy());
                    return Verdict.failIf(
                        !open.isEmpty(),
                        "Topic "
                            + t.name()
                            + " policy allows any principal in statement(s) "
                            + open);
                  }));

  private SnsRules() {}

  public static List<AwsRule> all() {
    return List.of(UNENCRYPTED, PUBLIC);
  }

  static Resource resource(RegionView view, Topics.Topic t) {
    return new Resource(
        "AWS::SNS::Topic", t.name(), t.arn(), view.accountId(), view.region(), Map.of());
  }
}
