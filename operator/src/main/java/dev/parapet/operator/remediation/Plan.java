package dev.parapet.operator.remediation;

import java.util.Map;

/**
 * What an action would do to one resource.
 *
 * @param call the exact API call, e.g. {@code ec2:RevokeSecurityGroupIngress {"GroupId":...}}; null
 *     when skipped
 * @param before the relevant configuration as read now
 * @param tags the resource's tags as read now (null when the resource has none to read: account
 *     settings)
 * @param request the SDK request {@link RemediationAction#apply} sends (action-specific)
 * @param skip why nothing is to be done (already fixed, would change more than the rule needs);
 *     null when there is a call
 */
public record Plan(
    String call, String before, Map<String, String> tags, Object request, String skip) {

  /** A call to make. */
  public static Plan call(String call, String before, Map<String, String> tags, Object request) {
    return new Plan(call, before, tags, request, null);
  }

  /** Nothing to do, and why. */
  public static Plan skip(String reason, String before, Map<String, String> tags) {
    return new Plan(null, before, tags, null, reason);
  }

  public boolean skipped() {
    return skip != null;
  }
}
