package dev.parapet.operator.scan;

/** A (rule, region) pair; region {@code global} for account-wide rules. */
public record RuleRegion(String ruleId, String region) {}
