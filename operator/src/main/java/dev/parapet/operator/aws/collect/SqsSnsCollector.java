package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.sns.Topics;
import dev.parapet.operator.aws.inventory.sqs.Queues;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SQS and SNS collectors: one list call per region (paginated), then one attribute call per queue
 * or topic (neither service has a call that reads several). Ownership is judged on the returned URL
 * or ARN, not assumed from the credentials.
 */
public final class SqsSnsCollector {
  static final int PAGE = 1000;

  private SqsSnsCollector() {}

  public static List<Collector<?>> all() {
    return List.of(
        Collector.of(Queues.class, SqsSnsCollector::queues),
        Collector.of(Topics.class, SqsSnsCollector::topics));
  }

  static Queues queues(CollectContext ctx) {
    var sqs = ctx.session().client(SqsClient.class, ctx.region());
    var calls = new PerResourceCalls(ctx, "sqs");
    var out = new ArrayList<Queues.Queue>();
    for (var url : sqs.listQueuesPaginator(b -> b.maxResults(PAGE)).queueUrls()) {
      var path = URI.create(url).getPath().split("/");
      // https://sqs.<region>.amazonaws.com/<account>/<name>
      if (path.length < 3 || !Ownership.ownedBy(path[path.length - 2], ctx.accountId())) {
        continue;
      }
      var name = path[path.length - 1];
      var attributes =
          calls.read(
              "GetQueueAttributes",
              "queue " + name,
              () -> {
                var a =
                    sqs.getQueueAttributes(
                            b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                        .attributes();
                var policy = a.get(QueueAttributeName.POLICY);
                return new Queues.Attributes(
                    a.get(QueueAttributeName.QUEUE_ARN),
                    blankToNull(a.get(QueueAttributeName.KMS_MASTER_KEY_ID)),
                    "true".equalsIgnoreCase(a.get(QueueAttributeName.SQS_MANAGED_SSE_ENABLED)),
                    policy == null || policy.isBlank() ? null : PolicyDocuments.parse(policy));
              });
      out.add(new Queues.Queue(name, url, attributes));
    }
    calls.finish();
    return new Queues(out);
  }

  static Topics topics(CollectContext ctx) {
    var sns = ctx.session().client(SnsClient.class, ctx.region());
    var calls = new PerResourceCalls(ctx, "sns");
    var out = new ArrayList<Topics.Topic>();
    for (var topic : sns.listTopicsPaginator(b -> {}).topics()) {
      var arn = topic.topicArn();
      if (!Ownership.arnOwnedBy(arn, ctx.accountId())) {
        continue;
      }
      var attributes =
          calls.read(
              "GetTopicAttributes",
              "topic " + arn,
              () -> {
                var a = sns.getTopicAttributes(b -> b.topicArn(arn)).attributes();
                var policy = a.get("Policy");
                return new Topics.Attributes(
                    blankToNull(a.get("KmsMasterKeyId")),
                    policy == null || policy.isBlank() ? null : PolicyDocuments.parse(policy));
              });
      out.add(new Topics.Topic(arn, attributes));
    }
    calls.finish();
    return new Topics(out);
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
