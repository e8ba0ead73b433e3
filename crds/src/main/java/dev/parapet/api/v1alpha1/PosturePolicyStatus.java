package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Whether the policy was accepted, and what it selected and matched. */
@JsonClassDescription("Whether the policy was accepted, and what it selected and matched.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PosturePolicyStatus(
    @JsonPropertyDescription("The .metadata.generation the status reflects.")
        Long observedGeneration,
    @JsonPropertyDescription("Accepted: False names the invalid field and the fix.")
        List<Condition> conditions,
    @JsonPropertyDescription("Rule ids this policy enables, cloud and workload.")
        List<String> enabledRules,
    @JsonPropertyDescription("CloudAccounts (namespace/name) this policy applies to.")
        List<String> matchedAccounts,
    @JsonPropertyDescription("Exceptions whose expiresAt has passed; they no longer match.")
        List<String> expiredExceptions,
    @JsonPropertyDescription("Exceptions that matched no result in the last scans.")
        List<String> unusedExceptions) {}
