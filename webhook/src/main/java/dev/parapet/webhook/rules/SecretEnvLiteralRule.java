package dev.parapet.webhook.rules;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.WorkloadReview;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.ScanLocation;
import dev.parapet.webhook.secrets.Placeholders;
import dev.parapet.webhook.secrets.SecretNames;
import dev.parapet.webhook.secrets.Shown;
import java.util.HashSet;

/**
 * A secret-ish env name ({@code *PASSWORD*}, {@code *SECRET*}, {@code *TOKEN*}, {@code *API_KEY*}
 * ...) holding a literal value where {@code valueFrom.secretKeyRef} belongs. Deliberately not
 * reported: empty values, placeholders ({@code changeme}, {@code <...>}, {@code $(VAR)}, {@code
 * ${VAR}}, {@code xxx}, {@code EXAMPLE} — a placeholder holds no secret; weak default passwords are
 * out of this rule's scope), booleans, numbers of up to 6 digits, absolute paths, values shorter
 * than 4 chars, and env vars a specific detector already reported.
 */
public final class SecretEnvLiteralRule implements WorkloadRule {
  public static final RuleMetadata METADATA =
      RuleMetadata.workload(
          "env-secret-literal",
          "Secret-like environment variable holds a literal value",
          "秘密情報らしい環境変数にリテラル値が設定されています",
          "use valueFrom.secretKeyRef instead of a literal value",
          "リテラル値の代わりに valueFrom.secretKeyRef を使用してください",
          Severity.HIGH,
          RuleMetadata.POD_KINDS);

  @Override
  public RuleMetadata metadata() {
    return METADATA;
  }

  @Override
  public boolean enabled(AdmissionPolicy policy) {
    return policy.detectors().contains(AdmissionPolicy.SECRET_ENV_NAME)
        && policy.scan().contains(ScanLocation.env);
  }

  @Override
  public void evaluate(WorkloadReview review, AdmissionPolicy policy, Findings out) {
    var reported = new HashSet<String>();
    for (var hit :
        review.credentials(policy.detectors(), policy.customDetectors(), policy.scan())) {
      reported.add(hit.fieldPath());
    }
    for (var ps : review.podSpecs()) {
      for (var c : ps.containers()) {
        for (int i = 0; i < c.env().size(); i++) {
          var e = c.env().get(i);
          if (e == null || !SecretNames.isSecretish(e.getName())) {
            continue;
          }
          var path = c.path() + ".env[" + i + "].value";
          var v = e.getValue();
          if (v == null || !looksLikeValue(v) || reported.contains(path)) {
            continue;
          }
          out.add(
              c.name(),
              path,
              METADATA.id() + "/" + c.name() + "/" + e.getName(),
              "container \""
                  + Shown.name(c.name())
                  + "\" ("
                  + path
                  + ") env "
                  + Shown.name(e.getName())
                  + " holds a literal value ("
                  + v.length()
                  + " chars redacted)");
        }
      }
    }
  }

  static boolean looksLikeValue(String v) {
    var s = v.strip();
    if (s.length() < 4 || Placeholders.isPlaceholder(s)) {
      return false;
    }
    if (s.length() <= 6 && s.chars().allMatch(Character::isDigit)) {
      return false;
    }
    return !(s.startsWith("/") && s.indexOf(' ') < 0);
  }
}
