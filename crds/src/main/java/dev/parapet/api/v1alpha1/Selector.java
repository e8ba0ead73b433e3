package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/**
 * A label selector: all of matchLabels and all of matchExpressions must hold. Empty matches all.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Selector(
    @JsonPropertyDescription("Labels that must all be present with these exact values.")
        Map<String, String> matchLabels,
    @JsonPropertyDescription("Set-based requirements that must all hold.")
        List<Requirement> matchExpressions) {

  /** One set-based label requirement. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Requirement(
      @Required @JsonPropertyDescription("The label key the requirement applies to.") String key,
      @Required
          @Pattern("^(In|NotIn|Exists|DoesNotExist)$")
          @JsonPropertyDescription("One of In, NotIn, Exists, DoesNotExist.")
          String operator,
      @JsonPropertyDescription(
              "Values for In and NotIn; must be empty for Exists and DoesNotExist.")
          List<String> values) {}

  /** True when the labels satisfy this selector; a null or empty selector matches everything. */
  public boolean matches(Map<String, String> labels) {
    var actual = labels == null ? Map.<String, String>of() : labels;
    if (matchLabels != null) {
      for (var e : matchLabels.entrySet()) {
        if (!e.getValue().equals(actual.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (matchExpressions != null) {
      for (var r : matchExpressions) {
        var value = actual.get(r.key());
        var values = r.values() == null ? List.<String>of() : r.values();
        var ok =
            switch (r.operator()) {
              case "In" -> value != null && values.contains(value);
              case "NotIn" -> value == null || !values.contains(value);
              case "Exists" -> actual.containsKey(r.key());
              case "DoesNotExist" -> !actual.containsKey(r.key());
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }
}
