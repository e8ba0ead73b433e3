package dev.parapet.operator.aws.events.activity;

import dev.parapet.core.RuleMetadata;
import java.util.Objects;

/**
 * One thing an activity rule saw in one CloudTrail record: who (principal ARN and type), when
 * (eventTime), from where (source IP), which event (id, name, source, region), on what resource,
 * and a one-line evidence text. Every field is copied from the record one by one; request
 * parameters and credentials (access key ids, session tokens) are never carried whole.
 *
 * @param rule the activity rule
 * @param accountId the account the event happened in (recipientAccountId, else the principal's)
 * @param resourceType CloudFormation type of the resource acted on
 * @param resourceId short id of that resource (security group id, trail name, user name, ...)
 * @param resourceArn its ARN when the record names or implies one, else null
 * @param evidence what happened, in English, before redaction
 */
public record ActivityObservation(
    RuleMetadata rule,
    String eventId,
    String eventName,
    String eventSource,
    String eventTime,
    String region,
    String accountId,
    String principalArn,
    String principalType,
    String sourceIp,
    String resourceType,
    String resourceId,
    String resourceArn,
    String evidence) {

  public ActivityObservation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(resourceId, "resourceId");
  }
}
