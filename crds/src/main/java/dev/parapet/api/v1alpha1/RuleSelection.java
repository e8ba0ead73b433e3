package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Rule ids to add to or remove from the selected set; exclude wins over include. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RuleSelection(
    @JsonPropertyDescription(
            "Rule ids to enable in addition to those the frameworks select. A trailing * matches a prefix.")
        List<String> include,
    @JsonPropertyDescription(
            "Rule ids to disable; wins over include and frameworks. A trailing * matches a prefix.")
        List<String> exclude) {}
