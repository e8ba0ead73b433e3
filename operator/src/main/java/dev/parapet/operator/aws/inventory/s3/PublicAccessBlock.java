package dev.parapet.operator.aws.inventory.s3;

import java.util.ArrayList;
import java.util.List;

/**
 * The four S3 Block Public Access flags. {@code configured} is false when AWS answered that no
 * configuration exists (a known state: nothing is blocked), not when it could not be read.
 */
public record PublicAccessBlock(
    boolean configured,
    boolean blockPublicAcls,
    boolean ignorePublicAcls,
    boolean blockPublicPolicy,
    boolean restrictPublicBuckets) {

  public static PublicAccessBlock absent() {
    return new PublicAccessBlock(false, false, false, false, false);
  }

  public boolean allBlocked() {
    return blockPublicAcls && ignorePublicAcls && blockPublicPolicy && restrictPublicBuckets;
  }

  /** The names of the flags that are off (all four when not configured). */
  public List<String> off() {
    var off = new ArrayList<String>();
    if (!blockPublicAcls) {
      off.add("BlockPublicAcls");
    }
    if (!ignorePublicAcls) {
      off.add("IgnorePublicAcls");
    }
    if (!blockPublicPolicy) {
      off.add("BlockPublicPolicy");
    }
    if (!restrictPublicBuckets) {
      off.add("RestrictPublicBuckets");
    }
    return off;
  }
}
