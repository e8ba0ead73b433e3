package dev.parapet.operator.aws.rules.sqs;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.PublicPolicy;
import dev.parapet.operator.aws.inventory.sqs.Queues;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.PerResourceRule;
import dev.parapet.operator.aws.rules.PerResourceRule.Verdict;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import java.util.List;
import java.util.Map;

/** SQS rules (FSBP SQS.1, SQS.3). */
public final class SqsRules {
  private static final String DOCS =
      "https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html";

  static final AwsRule UNENCRYPTED =
      new PerResourceRule<>(
          RuleDefinition.builder("aws-sqs-queue-unencrypted")
              .title("SQS queue is not encrypted at rest", "SQS キューが保存時に暗号化されていません")
              .remediation(
                  "Turn on server-side encryption: SSE-SQS (aws sqs set-queue-attributes"
                      + " --queue-url <url> --attributes SqsManagedSseEnabled=true) or SSE-KMS"
                      + " (KmsMasterKeyId=<key>).",
                  "サーバー側暗号化を有効にしてください: SSE-SQS (aws sqs set-queue-attributes --queue-url <url>"
                      + " --attributes SqsManagedSseEnabled=true) または SSE-KMS (KmsMasterKeyId=<key>)。",
                  DOCS + "#sqs-1")
              .severity(Severity.MEDIUM)
              .resourceType("AWS::SQS::Queue")
              .fsbp("SQS.1")
              .reads(Queues.class)
              .build(),
          Queues.class,
          Queues::queues,
          SqsRules::resource,
          (view, q) ->
              Verdict.on(
                  q.attributes(),
                  a ->
                      Verdict.failIf(
                          a.kmsKeyId() == null && !a.sqsManagedSse(),
                          "Queue "
                              + q.name()
                              + " has neither SSE-SQS nor SSE-KMS (no KmsMasterKeyId,"
                              + " SqsManagedSseEnabled is not true)")));

  static final AwsRule PUBLIC =
      new PerResourceRule<>(
          RuleDefinition.builder("aws-sqs-queue-public")
              .title("SQS queue policy allows public access", "SQS キューポリシーがパブリックアクセスを許可しています")
              .remediation(
                  "Remove the statements that allow any principal (\"*\") without a condition on"
                      + " the caller's account, organization or source, or name the accounts"
                      + " that may use the queue.",
                  "任意のプリンシパル (\"*\") を呼び出し元のアカウント・組織・送信元の条件なしに許可しているステートメントを削除するか、"
                      + "キューを使用できるアカウントを明示してください。",
                  DOCS + "#sqs-3")
              .severity(Severity.HIGH)
              .resourceType("AWS::SQS::Queue")
              .fsbp("SQS.3")
              .reads(Queues.class)
              .build(),
          Queues.class,
          Queues::queues,
          SqsRules::resource,
          (view, q) ->
              Verdict.on(
                  q.attributes(),
                  a -> {
                    var open = PublicPolicy.publicStatements(a.policy());
                    return Verdict.failIf(
                        !open.isEmpty(),
                        "Queue "
                            + q.name()
                            + " policy allows any principal in statement(s) "
                            + open);
                  }));

  private SqsRules() {}

  public static List<AwsRule> all() {
    return List.of(UNENCRYPTED, PUBLIC);
  }

  static Resource resource(RegionView view, Queues.Queue q) {
    return view.resource("AWS::SQS::Queue", q.name(), "sqs", q.name(), Map.of());
  }
}
