package dev.parapet.operator.remediation;

import dev.parapet.operator.aws.collect.AwsSession;
import java.util.List;

/**
 * One remediation: the narrowest change that resolves one rule on one resource. An action first
 * {@link #plan plans} (reads the resource as it is now and decides the exact call, or why there is
 * none), then, only in Apply mode, {@link #apply applies} that exact call and reads the result
 * back. Implementations hold no state; every AWS call goes through the given session.
 */
public interface RemediationAction {

  /** Stable action id, e.g. {@code ec2-revoke-ssh-ingress}. */
  String id();

  /** The rule whose failure this action resolves. */
  String ruleId();

  /**
   * Every IAM action the write role needs for this action: the write itself and the reads made to
   * plan it and read it back. The write-role policy is generated from these.
   */
  List<String> iamActions();

  /** What the action changes, for the docs table. */
  String summary();

  /** What the action cannot undo, or how to undo it, for the docs table. */
  String undo();

  /**
   * Reads the resource and decides the call. Never changes anything. Throws the SDK's exception
   * when the resource cannot be read.
   */
  Plan plan(AwsSession session, Target target);

  /**
   * Makes exactly the planned call, then reads the changed configuration back (the "after" shown on
   * the Finding). Throws the SDK's exception when the call fails.
   */
  String apply(AwsSession session, Target target, Plan plan);
}
