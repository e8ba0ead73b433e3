package dev.parapet.operator.aws.rules;

/** Rule severity, FSBP's scale (mirrors the CRD's Severity without depending on it). */
public enum Severity {
  critical,
  high,
  medium,
  low,
  informational
}
