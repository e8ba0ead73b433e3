package dev.parapet.operator.remediation;

import dev.parapet.operator.aws.collect.AwsSession;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Turns on EBS encryption by default in one region. */
public final class EnableEbsDefaultEncryption implements RemediationAction {

  @Override
  public String id() {
    return "ec2-enable-ebs-default-encryption";
  }

  @Override
  public String ruleId() {
    return "aws-ec2-ebs-default-encryption-off";
  }

  @Override
  public List<String> iamActions() {
    return List.of("ec2:EnableEbsEncryptionByDefault", "ec2:GetEbsEncryptionByDefault");
  }

  @Override
  public String summary() {
    return "Turns on EBS encryption by default in the region (new volumes and snapshot copies;"
        + " existing volumes are not touched), with the region's current default KMS key.";
  }

  @Override
  public String undo() {
    return "DisableEbsEncryptionByDefault. Volumes created while it was on stay encrypted; launch"
        + " templates or AMIs shared with accounts that cannot use the default key may fail to"
        + " launch.";
  }

  @Override
  public Plan plan(AwsSession session, Target target) {
    var before = read(session, target);
    if (before.equals("EbsEncryptionByDefault=true")) {
      return Plan.skip("EBS encryption by default is already on", before, null);
    }
    return Plan.call(
        Calls.render(
            "ec2:EnableEbsEncryptionByDefault",
            "ec2 enable-ebs-encryption-by-default",
            target.region()),
        before,
        null,
        target.region());
  }

  @Override
  public String apply(AwsSession session, Target target, Plan plan) {
    session.client(Ec2Client.class, target.region()).enableEbsEncryptionByDefault(r -> {});
    return read(session, target);
  }

  private static String read(AwsSession session, Target target) {
    return "EbsEncryptionByDefault="
        + session
            .client(Ec2Client.class, target.region())
            .getEbsEncryptionByDefault(r -> {})
            .ebsEncryptionByDefault();
  }
}
