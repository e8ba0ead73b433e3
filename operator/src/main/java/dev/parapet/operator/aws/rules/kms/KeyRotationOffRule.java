package dev.parapet.operator.aws.rules.kms;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.Unknown;
import dev.parapet.operator.aws.inventory.kms.KmsKeyTags;
import dev.parapet.operator.aws.inventory.kms.KmsKeys;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;
import java.util.Map;

/**
 * Check 27: an enabled customer-managed symmetric KMS key (key material from KMS) does not rotate.
 * AWS-managed, disabled, asymmetric, HMAC and imported keys are not judged.
 */
public final class KeyRotationOffRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-kms-rotation-off")
          .title(
              "KMS customer managed key does not rotate automatically",
              "KMS カスタマーマネージドキーの自動ローテーションが無効です")
          .remediation(
              "Enable automatic rotation on the key (aws kms enable-key-rotation --key-id <key>).",
              "キーの自動ローテーションを有効にしてください (aws kms enable-key-rotation --key-id <key>)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::KMS::Key")
          .cis("3.6")
          .fsbp("KMS.4")
          .reads(KmsKeys.class)
          .tagsFrom(KmsKeyTags.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    var tags = view.tagSource(KmsKeyTags.class);
    for (var key : view.get(KmsKeys.class).keys()) {
      if (key.details() instanceof Unknown<KmsKeys.Details> unknown) {
        results.add(RuleResult.unknown(view.region(), unknown.error()));
        continue;
      }
      var details = ((Known<KmsKeys.Details>) key.details()).value();
      if (!details.rotationApplies()) {
        continue;
      }
      var resource =
          view.resource(
              "AWS::KMS::Key",
              key.keyId(),
              "kms",
              "key/" + key.keyId(),
              tags.map(t -> t.of(key.keyId())).orElse(Map.of()));
      if (Boolean.TRUE.equals(details.rotationEnabled())) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(resource, "Key " + key.keyId() + " has automatic rotation off"));
      }
    }
  }
}
