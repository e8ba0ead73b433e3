package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.inventory.CollectionError;

/**
 * A (rule, region) this scan could not judge. The finding writer must leave the existing findings
 * of this rule in this region untouched (neither resolve nor update them).
 */
public record UnknownScope(String ruleId, String region, CollectionError cause) {}
