package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.rules.sns.SnsRules;
import dev.parapet.operator.aws.rules.sqs.SqsRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The FSBP rules of the services collected for them alone (ELB, Lambda, ECR, EKS, SNS, SQS, Secrets
 * Manager, GuardDuty), in registry order, one service's list per line.
 */
final class FsbpServiceRules {
  private FsbpServiceRules() {}

  static List<AwsRule> all() {
    var all = new ArrayList<AwsRule>();
    all.addAll(SqsRules.all());
    all.addAll(SnsRules.all());
    return List.copyOf(all);
  }
}
