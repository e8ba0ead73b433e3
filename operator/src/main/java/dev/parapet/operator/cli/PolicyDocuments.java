package dev.parapet.operator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.policy.PolicyMerger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** PosturePolicy documents from a file, validated as the operator validates them. */
final class PolicyDocuments {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private PolicyDocuments() {}

  /**
   * The {@code spec.reporting.language} of the file's PosturePolicies (the first by name that sets
   * one, as the operator picks it), read leniently: empty when none sets one or the file cannot be
   * read (loading it reports why).
   */
  static java.util.Optional<PosturePolicySpec.Language> declaredLanguage(Path file) {
    var named = new java.util.TreeMap<String, String>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
      while (it.hasNextValue()) {
        var node = it.nextValue();
        if (node == null || !"PosturePolicy".equals(node.path("kind").asText())) {
          continue;
        }
        var language = node.path("spec").path("reporting").path("language").asText("");
        if (!language.isEmpty()) {
          named.putIfAbsent(node.path("metadata").path("name").asText(""), language);
        }
      }
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
    return named.values().stream()
        .findFirst()
        .map(v -> "ja".equals(v) ? PosturePolicySpec.Language.JA : PosturePolicySpec.Language.EN);
  }

  /** Every PosturePolicy in the file; other kinds are skipped. Throws with file and field. */
  static List<PosturePolicy> load(Path file, Collection<RuleMetadata> catalog) {
    var out = new ArrayList<PosturePolicy>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
      int doc = 0;
      while (it.hasNextValue()) {
        doc++;
        var node = it.nextValue();
        if (node == null || !"PosturePolicy".equals(node.path("kind").asText())) {
          continue;
        }
        var policy = YAML.treeToValue(node, PosturePolicy.class);
        if (policy.getMetadata() == null || policy.getMetadata().getName() == null) {
          throw new IllegalArgumentException(
              file + " document " + doc + ": metadata.name is required");
        }
        if (policy.getSpec() != null) {
          var problems =
              PolicyMerger.validator(catalog).validate(policy.getSpec(), Instant.now(), false);
          if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                file
                    + " document "
                    + doc
                    + " (policy "
                    + policy.getMetadata().getName()
                    + "): "
                    + problems.stream()
                        .map(Object::toString)
                        .collect(java.util.stream.Collectors.joining("; ")));
          }
        }
        out.add(policy);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read policy " + file + ": " + e.getMessage(), e);
    }
    return out;
  }
}
