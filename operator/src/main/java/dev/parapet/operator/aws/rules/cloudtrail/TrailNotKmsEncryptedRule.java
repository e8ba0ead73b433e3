package dev.parapet.operator.aws.rules.cloudtrail;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.cloudtrail.TrailTags;
import dev.parapet.operator.aws.inventory.cloudtrail.Trails;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/**
 * CIS 3.5: a trail (judged in its home region) does not encrypt its log files with SSE-KMS: the
 * {@code KmsKeyId} DescribeTrails returns is absent.
 */
public final class TrailNotKmsEncryptedRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-cloudtrail-not-kms-encrypted")
          .title(
              "CloudTrail trail logs are not encrypted with a KMS key (SSE-KMS)",
              "CloudTrail 証跡のログが KMS キー (SSE-KMS) で暗号化されていません")
          .remediation(
              "Give the trail a customer managed KMS key whose policy lets CloudTrail encrypt"
                  + " (aws cloudtrail update-trail --name <trail> --kms-key-id <key>).",
              "CloudTrail による暗号化を許可するキーポリシーを持つカスタマーマネージド KMS キーを証跡に設定してください"
                  + " (aws cloudtrail update-trail --name <trail> --kms-key-id <key>)。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-2")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::CloudTrail::Trail")
          .cis("3.5")
          .fsbp("CloudTrail.2")
          .reads(Trails.class)
          .tagsFrom(TrailTags.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var trail : view.get(Trails.class).trails()) {
      if (!Trails.homedHere(trail, view.region(), view.accountId())) {
        continue; // a shadow copy or another account's (organization) trail: judged at home
      }
      var resource = TrailResources.resource(view, trail);
      if (trail.kmsKeyId() != null && !trail.kmsKeyId().isBlank()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(
                resource, "Trail " + trail.name() + " has no KMS key (KmsKeyId is not set)"));
      }
    }
  }
}
