package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A status condition in the shape Kubernetes conventions use. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    @Required
        @JsonPropertyDescription("Condition type, for example Ready, Accepted or ScanSucceeded.")
        String type,
    @Required
        @Pattern("^(True|False|Unknown)$")
        @JsonPropertyDescription("Condition status: True, False or Unknown.")
        String status,
    @JsonPropertyDescription("Machine-readable CamelCase reason for the last transition.")
        String reason,
    @JsonPropertyDescription(
            "Human-readable explanation of the condition, including the fix where there is one.")
        String message,
    @JsonPropertyDescription(
            "When the status last changed (RFC 3339); unchanged while the status stays the same.")
        String lastTransitionTime,
    @JsonPropertyDescription("The .metadata.generation this condition was computed from.")
        Long observedGeneration) {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";
}
