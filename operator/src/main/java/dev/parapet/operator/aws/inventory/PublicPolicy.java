package dev.parapet.operator.aws.inventory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether a resource policy (Lambda, ECR, SNS, SQS, Secrets Manager) lets anyone in: an {@code
 * Allow} statement whose principal is everyone ({@code "*"}, {@code {"AWS": "*"}} or an ARN with a
 * wildcard account) and whose conditions do not pin the caller down. A condition restricts the
 * principal when it compares a key that identifies the caller or its origin (account, organization,
 * source ARN or VPC, principal ARN, source IP) with an exact operator ({@code StringEquals}, {@code
 * StringLike}, {@code ArnEquals}, {@code ArnLike}, {@code IpAddress}, with or without {@code
 * ForAnyValue:}) and values that are not all wildcards. {@code ...IfExists} operators do not
 * restrict: a request without the key passes them. Deny statements are not subtracted (a policy
 * that allows everyone and then denies most is still reported, with its statement id), and {@code
 * NotPrincipal} is not parsed by {@link PolicyDocument}: an {@code Allow} with {@code NotPrincipal}
 * is not reported (a known gap).
 */
public final class PublicPolicy {
  /** Condition keys (lower case) that tie a request to a caller, an account or a network. */
  private static final Set<String> RESTRICTING_KEYS =
      Set.of(
          "aws:sourceaccount",
          "aws:sourceowner",
          "aws:sourcearn",
          "aws:sourcevpc",
          "aws:sourcevpce",
          "aws:sourceorgid",
          "aws:sourceorgpaths",
          "aws:sourceip",
          "aws:principalaccount",
          "aws:principalarn",
          "aws:principalorgid",
          "aws:principalorgpaths",
          "aws:resourceaccount",
          "aws:userid",
          "aws:username",
          "aws:calledvia",
          "lambda:eventsourcetoken",
          "kms:calleraccount");

  private static final Set<String> RESTRICTING_OPERATORS =
      Set.of("stringequals", "stringlike", "arnequals", "arnlike", "ipaddress");

  private PublicPolicy() {}

  /** The statements that grant public access ({@code sid} or {@code #index} when unnamed). */
  public static List<String> publicStatements(PolicyDocument policy) {
    if (policy == null) {
      return List.of();
    }
    var out = new java.util.ArrayList<String>();
    var statements = policy.statements();
    for (var i = 0; i < statements.size(); i++) {
      var s = statements.get(i);
      if (s.allows()
          && s.principals().stream().anyMatch(PublicPolicy::everyone)
          && !restricted(s)) {
        out.add(s.sid().isEmpty() ? "#" + i : s.sid());
      }
    }
    return out;
  }

  public static boolean isPublic(PolicyDocument policy) {
    return !publicStatements(policy).isEmpty();
  }

  /** {@code *}, or an IAM ARN whose account is a wildcard ({@code arn:aws:iam::*:root}). */
  static boolean everyone(String principal) {
    if ("*".equals(principal)) {
      return true;
    }
    var account = Ownership.arnAccount(principal);
    return principal.startsWith("arn:") && account != null && account.contains("*");
  }

  static boolean restricted(PolicyDocument.Statement s) {
    for (var op : s.conditions().entrySet()) {
      var operator = op.getKey().toLowerCase(Locale.ROOT);
      if (operator.startsWith("foranyvalue:")) {
        operator = operator.substring("foranyvalue:".length());
      }
      if (!RESTRICTING_OPERATORS.contains(operator)) {
        continue; // includes ...IfExists, Not..., and ForAllValues: (true for an empty key)
      }
      for (Map.Entry<String, List<String>> key : op.getValue().entrySet()) {
        if (RESTRICTING_KEYS.contains(key.getKey().toLowerCase(Locale.ROOT))
            && !key.getValue().isEmpty()
            && key.getValue().stream().noneMatch(PublicPolicy::wildcardOnly)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A value that matches any caller: {@code *}, or an IP range of everything. */
  private static boolean wildcardOnly(String value) {
    var v = value.strip();
    return v.isEmpty()
        || v.chars().allMatch(c -> c == '*' || c == '?')
        || v.equals("0.0.0.0/0")
        || v.equals("::/0")
        || v.matches("arn:[^:]*:[^:]*:[^:]*:\\*:.*");
  }
}
