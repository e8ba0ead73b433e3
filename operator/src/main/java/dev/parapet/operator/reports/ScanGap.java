package dev.parapet.operator.reports;

import dev.parapet.core.RuleMetadata;

/**
 * A rule the last scan of an account could not judge in a region (its service answered with an
 * error, e.g. AccessDenied): reported as result {@code error}, never as pass or fail.
 *
 * @param rule the rule left unjudged
 * @param account the CloudAccount's AWS account id
 * @param cloudAccount the CloudAccount's name (same namespace as the report)
 * @param service the AWS service that failed
 * @param region the region, or global
 * @param reason the error's reason (e.g. AccessDenied)
 * @param message details, never a credential (already redacted in the CloudAccount status)
 */
public record ScanGap(
    RuleMetadata rule,
    String account,
    String cloudAccount,
    String service,
    String region,
    String reason,
    String message) {}
