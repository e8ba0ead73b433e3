package dev.parapet.webhook.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a value found under a password-like key (or in a connection string) is a literal secret
 * rather than a reference, a placeholder or a documented example. Used by the configuration and
 * connection-string detectors; every check reads the value once.
 */
final class LiteralValues {
  private LiteralValues() {}

  /** Prefixes of references to a secret store or of values resolved at run time. */
  static final List<String> REFERENCE_PREFIXES =
      List.of(
          "env:",
          "vault:",
          "secret:",
          "secrets:",
          "file:",
          "ssm:",
          "sm://",
          "op://",
          "arn:aws:secretsmanager:",
          "arn:aws:ssm:",
          "aws-secretsmanager:",
          "azure-keyvault:",
          "keyvault:",
          "gcp-secretmanager:",
          "!vault",
          "enc(",
          "{cipher}",
          "#{",
          "%{",
          "%(",
          "%s",
          "@@",
          "$2a$",
          "$2b$",
          "$2y$",
          "$argon2",
          "{bcrypt}",
          "{ssha}");

  /** Documented example and default values (weak defaults are out of scope, like changeme). */
  static final Set<String> EXAMPLES =
      Set.of(
          "pass",
          "passwd",
          "pwd",
          "pw",
          "guest",
          "admin",
          "root",
          "postgres",
          "mysql",
          "redis",
          "example",
          "sample",
          "mypassword",
          "mysecretpassword",
          "yourpassword",
          "my-secret-pw",
          "secretpassword",
          "user",
          "username",
          "foo",
          "bar",
          "foobar",
          "hunter2");

  /**
   * Words configuration uses as a setting's value (switches and modes), e.g. EC2's {@code
   * HttpTokens=required}: a key holding one of them names a setting, not a credential.
   */
  static final Set<String> SETTINGS =
      Set.of(
          "true",
          "false",
          "yes",
          "no",
          "on",
          "off",
          "enabled",
          "disabled",
          "enable",
          "disable",
          "required",
          "optional",
          "auto",
          "default",
          "always",
          "never",
          "strict",
          "lax");

  /** True when {@code value} (already unquoted and stripped) is a literal secret. */
  static boolean isLiteral(String value) {
    var v = value.strip();
    if (v.length() < 4 || Placeholders.isPlaceholder(v)) {
      return false;
    }
    var lower = v.toLowerCase(Locale.ROOT);
    if (EXAMPLES.contains(lower) || SETTINGS.contains(lower)) {
      return false;
    }
    for (var p : REFERENCE_PREFIXES) {
      if (lower.startsWith(p)) {
        return false;
      }
    }
    char first = v.charAt(0);
    if (first == '{' || first == '[' || first == '$' || first == '&' || first == '*') {
      return false; // a nested object, a variable, a YAML anchor or alias
    }
    if (first == '/' && v.indexOf(' ') < 0) {
      return false; // a file path
    }
    if (v.length() <= 6 && v.chars().allMatch(Character::isDigit)) {
      return false;
    }
    if (lower.equals("null") || lower.equals("~") || lower.equals("none")) {
      return false;
    }
    // Prose (a description, a prompt) rather than a secret: three or more words.
    int words = 1;
    for (int i = 1; i < v.length(); i++) {
      if (v.charAt(i) == ' ' && v.charAt(i - 1) != ' ') {
        words++;
      }
    }
    return words < 3;
  }
}
