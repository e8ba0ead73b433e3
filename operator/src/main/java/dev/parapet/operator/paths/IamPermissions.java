package dev.parapet.operator.paths;

import dev.parapet.operator.aws.inventory.PolicyDocument;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an IAM role may do, from the IAM data the AWS engine collects ({@link AuthorizationDetails}:
 * the role's attached managed policies, default version, and its inline policies). An action on a
 * resource is granted when an {@code Allow} statement matches both (IAM wildcards {@code *} and
 * {@code ?}; {@code NotAction}/{@code NotResource} read as "everything but") and no unconditional
 * {@code Deny} statement matches them. An Allow with a Condition is counted (and said to be
 * conditional in the evidence); a Deny with a Condition is not (it may not apply). Permission
 * boundaries, SCPs, session policies and resource policies are not read: the result over-approaches
 * what the role can do, which is the safe side for an attack-path finding.
 */
public final class IamPermissions {
  private IamPermissions() {}

  /** One policy of a role: a managed policy by ARN, or an inline policy by role and name. */
  public record Policy(String ref, PolicyDocument document) {}

  /** The statement that grants a probe. */
  public record Grant(Policy policy, String statement, boolean conditional, String summary) {
    /** {@code <policy> (<statement>: Allow <actions> on <resources>[, conditional])}. */
    public String describe() {
      return policy.ref()
          + " ("
          + statement
          + ": "
          + summary
          + (conditional ? ", conditional" : "")
          + ")";
    }
  }

  /** The policies of a role, or null when the role is not in the data. */
  public static List<Policy> ofRole(AuthorizationDetails details, String roleArn) {
    AuthorizationDetails.Attachments found = null;
    for (var a : details.attachments()) {
      if ("Role".equals(a.principalType()) && roleArn.equals(a.principalArn())) {
        found = a;
        break;
      }
    }
    if (found == null) {
      return null;
    }
    var out = new ArrayList<Policy>();
    for (var arn : found.managedPolicyArns()) {
      for (var m : details.managedPolicies()) {
        if (arn.equals(m.arn()) && m.defaultVersion() != null) {
          out.add(new Policy(arn, m.defaultVersion()));
        }
      }
    }
    for (var p : details.inlinePolicies()) {
      if ("Role".equals(p.principalType())
          && roleArn.equals(p.principalArn())
          && found.inlinePolicyNames().contains(p.policyName())) {
        out.add(new Policy(roleArn + " inline policy " + p.policyName(), p.document()));
      }
    }
    return out;
  }

  /**
   * The Allow that grants {@code action} on {@code resource}, or null (none, or denied). The probe
   * values are literal: {@code "*"} as a resource is matched only by patterns that match every
   * resource, so {@code grant(p, "*", "*")} asks for administrator access.
   */
  public static Grant grant(List<Policy> policies, String action, String resource) {
    for (var p : policies) {
      for (var s : p.document().statements()) {
        if (s.denies() && s.conditions().isEmpty() && covers(s, action, resource)) {
          return null;
        }
      }
    }
    for (var p : policies) {
      var statements = p.document().statements();
      for (var i = 0; i < statements.size(); i++) {
        var s = statements.get(i);
        if (s.allows() && covers(s, action, resource)) {
          return new Grant(
              p,
              s.sid().isEmpty() ? "statement #" + i : "statement " + s.sid(),
              !s.conditions().isEmpty(),
              "Allow "
                  + (s.actions().isEmpty() ? "NotAction " + s.notActions() : s.actions())
                  + " on "
                  + (s.resources().isEmpty() ? "NotResource " + s.notResources() : s.resources()));
        }
      }
    }
    return null;
  }

  static boolean covers(PolicyDocument.Statement s, String action, String resource) {
    boolean a =
        !s.actions().isEmpty()
            ? s.actions().stream().anyMatch(x -> matches(x, action, true))
            : !s.notActions().isEmpty()
                && s.notActions().stream().noneMatch(x -> matches(x, action, true));
    boolean r =
        !s.resources().isEmpty()
            ? s.resources().stream().anyMatch(x -> matches(x, resource, false))
            : !s.notResources().isEmpty()
                && s.notResources().stream().noneMatch(x -> matches(x, resource, false));
    return a && r;
  }

  /** IAM wildcard match: {@code *} any run of characters, {@code ?} any one character. */
  public static boolean matches(String pattern, String value, boolean ignoreCase) {
    if (pattern == null || value == null) {
      return false;
    }
    var p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
    var v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    // iterative glob match with backtracking on the last star
    int pi = 0, vi = 0, star = -1, mark = 0;
    while (vi < v.length()) {
      if (pi < p.length() && p.charAt(pi) == '*') {
        star = pi++;
        mark = vi;
      } else if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == v.charAt(vi))) {
        pi++;
        vi++;
      } else if (star >= 0) {
        pi = star + 1;
        vi = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }
}
