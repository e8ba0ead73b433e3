package dev.parapet.operator.aws.rules.efs;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.cis.EfsFileSystems;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.RegionalRule;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;

/** CIS 2.3.1: an EFS file system is not encrypted at rest (the returned {@code Encrypted}). */
public final class EfsUnencryptedRule extends RegionalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-efs-unencrypted")
          .title("EFS file system is not encrypted at rest", "EFS ファイルシステムが保存時に暗号化されていません")
          .remediation(
              "Encryption at rest is chosen at creation: create an encrypted file system (aws efs"
                  + " create-file-system --encrypted --kms-key-id <key>), copy the data (AWS"
                  + " DataSync) and delete the unencrypted one.",
              "保存時の暗号化は作成時にしか選べません。暗号化したファイルシステムを作成し (aws efs create-file-system"
                  + " --encrypted --kms-key-id <key>)、データを移して (AWS DataSync) 暗号化されていないものを削除してください。",
              "https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html#efs-1")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::EFS::FileSystem")
          .cis("2.3.1")
          .fsbp("EFS.1")
          .reads(EfsFileSystems.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateRegion(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var fs : view.get(EfsFileSystems.class).fileSystems()) {
      var resource =
          fs.arn() == null
              ? view.resource(
                  "AWS::EFS::FileSystem",
                  fs.id(),
                  "elasticfilesystem",
                  "file-system/" + fs.id(),
                  fs.tags())
              : new Resource(
                  "AWS::EFS::FileSystem",
                  fs.id(),
                  fs.arn(),
                  view.accountId(),
                  view.region(),
                  fs.tags());
      if (fs.encrypted() == null) {
        results.add(
            RuleResult.unknown(
                view.region(),
                new CollectionError(
                    "efs",
                    view.region(),
                    "DescribeFileSystems",
                    UnknownReason.Error,
                    "no Encrypted returned for file system " + fs.id())));
      } else if (fs.encrypted()) {
        results.add(RuleResult.pass(resource));
      } else {
        results.add(
            RuleResult.fail(resource, "File system " + fs.id() + " is not encrypted at rest"));
      }
    }
  }
}
