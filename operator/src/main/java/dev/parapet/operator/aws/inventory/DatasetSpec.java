package dev.parapet.operator.aws.inventory;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Static facts about a {@link Dataset}: the AWS service it comes from, whether it is read once per
 * account ({@code global}) or once per region, and the IAM actions its collector calls. Rules
 * derive their required IAM actions from the datasets they read, so the minimal IAM policy is
 * correct by construction.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DatasetSpec {
  /** Service name used in errors and status (ec2, s3, iam, ...). */
  String service();

  /** True when read once per account, not once per region. */
  boolean global() default false;

  /** IAM actions the collector of this dataset calls, e.g. {@code ec2:DescribeVolumes}. */
  String[] actions();
}
