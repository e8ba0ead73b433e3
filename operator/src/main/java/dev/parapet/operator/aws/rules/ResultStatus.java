package dev.parapet.operator.aws.rules;

/** Outcome of one rule for one resource (or, for UNKNOWN, one region). */
public enum ResultStatus {
  FAIL,
  PASS,
  UNKNOWN
}
