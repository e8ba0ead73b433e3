package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret in the same namespace as the object that refers to it. */
public record SecretKeySelector(
    @Required @JsonPropertyDescription("Name of the Secret, in the referring object's namespace.")
        String name,
    @Required @JsonPropertyDescription("Key within the Secret's data.") String key) {}
