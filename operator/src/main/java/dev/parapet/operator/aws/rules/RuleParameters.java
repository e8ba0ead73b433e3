package dev.parapet.operator.aws.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Policy parameters rules read. Defaults follow CIS / FSBP. {@code includeUnusedSecurityGroups}
 * turns on checks of security groups no network interface uses (off by default to cut noise).
 */
public record RuleParameters(
    Set<Integer> sensitivePorts,
    int maxAccessKeyAgeDays,
    int unusedCredentialDays,
    int minPasswordLength,
    int passwordReusePrevention,
    boolean includeUnusedSecurityGroups) {

  public static final Set<Integer> DEFAULT_SENSITIVE_PORTS =
      Set.of(25, 110, 135, 143, 445, 1433, 3306, 5432, 6379, 9200, 27017);

  public RuleParameters {
    sensitivePorts = Set.copyOf(new TreeSet<>(sensitivePorts));
  }

  public static RuleParameters defaults() {
    return new RuleParameters(DEFAULT_SENSITIVE_PORTS, 90, 45, 14, 24, false);
  }

  public RuleParameters withSensitivePorts(Set<Integer> ports) {
    return new RuleParameters(
        ports,
        maxAccessKeyAgeDays,
        unusedCredentialDays,
        minPasswordLength,
        passwordReusePrevention,
        includeUnusedSecurityGroups);
  }

  public RuleParameters withIncludeUnusedSecurityGroups(boolean include) {
    return new RuleParameters(
        sensitivePorts,
        maxAccessKeyAgeDays,
        unusedCredentialDays,
        minPasswordLength,
        passwordReusePrevention,
        include);
  }

  /** Every problem with these values, each naming the parameter; empty when valid. */
  public List<String> validate() {
    var errors = new ArrayList<String>();
    for (var port : sensitivePorts) {
      if (port == null || port < 0 || port > 65535) {
        errors.add("parameters.sensitivePorts: " + port + " is not a port (0-65535)");
      }
    }
    if (maxAccessKeyAgeDays < 1) {
      errors.add("parameters.maxAccessKeyAgeDays: must be >= 1, got " + maxAccessKeyAgeDays);
    }
    if (unusedCredentialDays < 1) {
      errors.add("parameters.unusedCredentialDays: must be >= 1, got " + unusedCredentialDays);
    }
    if (minPasswordLength < 1 || minPasswordLength > 128) {
      errors.add("parameters.minPasswordLength: must be 1-128, got " + minPasswordLength);
    }
    if (passwordReusePrevention < 0 || passwordReusePrevention > 24) {
      errors.add(
          "parameters.passwordReusePrevention: must be 0-24, got " + passwordReusePrevention);
    }
    return errors;
  }
}
