/**
 * The {@code parapet.dev/v1alpha1} API: CloudAccount, PosturePolicy and Finding.
 *
 * <p>Every field carries a {@code @JsonPropertyDescription}; it becomes {@code kubectl explain}
 * text. Value types are records so that equality is structural: the finding writer compares desired
 * and observed specs with {@code equals} and writes nothing when they match.
 */
package dev.parapet.api.v1alpha1;
