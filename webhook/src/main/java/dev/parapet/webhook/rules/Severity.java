package dev.parapet.webhook.rules;

/**
 * Severity of a workload rule; the same constants as the API's {@code Severity} so that the
 * controller maps them by name.
 */
public enum Severity {
  critical,
  high,
  medium,
  low,
  informational
}
