package dev.parapet.operator.remediation;

import java.time.Instant;
import java.util.Map;

/**
 * The failing resource an action works on, as the scan reported it.
 *
 * @param accountId the AWS account
 * @param region the region of the resource (the home region for account-wide settings)
 * @param resourceId the resource id the rule reported (group id, instance id, bucket name, user)
 * @param tags the resource's tags as the scan read them (the action re-reads them when it can)
 * @param unusedCredentialDays the policy's limit for unused credentials
 * @param now the time the plan is made
 */
public record Target(
    String accountId,
    String region,
    String resourceId,
    Map<String, String> tags,
    int unusedCredentialDays,
    Instant now) {

  public Target {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
