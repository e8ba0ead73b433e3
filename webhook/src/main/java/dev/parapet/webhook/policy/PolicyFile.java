package dev.parapet.webhook.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parapet.api.v1alpha1.PosturePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads PosturePolicy documents from a YAML file (several documents separated by {@code ---}). Any
 * invalid document fails the whole load with the document number, policy name and field.
 */
public final class PolicyFile {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private PolicyFile() {}

  public static List<AdmissionPolicy> load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidPolicyException(file.toString(), "cannot read: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  public static List<AdmissionPolicy> parse(String yaml, String source) {
    var out = new ArrayList<AdmissionPolicy>();
    var names = new java.util.HashSet<String>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      int doc = 0;
      while (it.hasNextValue()) {
        doc++;
        var node = it.nextValue();
        if (node == null || node.isNull() || node.isEmpty()) {
          continue;
        }
        var where = source + " document " + doc;
        if (!"parapet.dev/v1alpha1".equals(node.path("apiVersion").asText())
            || !"PosturePolicy".equals(node.path("kind").asText())) {
          throw new InvalidPolicyException(
              where, "expected apiVersion parapet.dev/v1alpha1 and kind PosturePolicy");
        }
        PosturePolicy policy;
        try {
          policy = YAML.treeToValue(node, PosturePolicy.class);
        } catch (JsonMappingException e) {
          throw new InvalidPolicyException(
              where + " " + path(e),
              "invalid value (" + e.getOriginalMessage().split("\n")[0] + ")");
        }
        try {
          PosturePolicyMapper.map(policy)
              .ifPresent(
                  p -> {
                    if (!names.add(p.name())) {
                      throw new InvalidPolicyException("metadata.name", "duplicate " + p.name());
                    }
                    out.add(p);
                  });
        } catch (InvalidPolicyException e) {
          var at = where + " (" + node.path("metadata").path("name").asText("?") + ") ";
          throw new InvalidPolicyException(
              e.problems().stream()
                  .map(x -> new PolicyValidator.Problem(at + x.field(), x.message()))
                  .toList());
        }
      }
    } catch (IOException | com.fasterxml.jackson.databind.RuntimeJsonMappingException e) {
      // MappingIterator reports syntax errors found while iterating as unchecked exceptions.
      throw new InvalidPolicyException(source, "not valid YAML: " + e.getMessage().split("\n")[0]);
    }
    return out;
  }

  private static String path(JsonMappingException e) {
    var sb = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
