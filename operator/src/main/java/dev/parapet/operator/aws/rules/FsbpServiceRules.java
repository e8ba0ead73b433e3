package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.rules.ecr.EcrRules;
import dev.parapet.operator.aws.rules.eks.EksRules;
import dev.parapet.operator.aws.rules.elb.ElbRules;
import dev.parapet.operator.aws.rules.guardduty.GuardDutyRules;
import dev.parapet.operator.aws.rules.lambda.LambdaRules;
import dev.parapet.operator.aws.rules.secretsmanager.SecretsManagerRules;
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
    all.addAll(ElbRules.all());
    all.addAll(LambdaRules.all());
    all.addAll(EcrRules.all());
    all.addAll(EksRules.all());
    all.addAll(SqsRules.all());
    all.addAll(SnsRules.all());
    all.addAll(SecretsManagerRules.all());
    all.addAll(GuardDutyRules.all());
    return List.copyOf(all);
  }
}
