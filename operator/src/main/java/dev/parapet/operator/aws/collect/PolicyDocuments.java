package dev.parapet.operator.aws.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses IAM and resource policy JSON (URL-encoded or plain) into {@link PolicyDocument}. */
public final class PolicyDocuments {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PolicyDocuments() {}

  /**
   * IAM returns documents URL-encoded (RFC 3986); S3 returns plain JSON. Only an encoded document
   * is decoded, so a literal {@code +} in plain JSON is never turned into a space.
   */
  public static PolicyDocument parse(String text) {
    if (text == null || text.isBlank()) {
      return new PolicyDocument(List.of());
    }
    var json = text.strip();
    if (json.startsWith("%")) {
      json = URLDecoder.decode(json, StandardCharsets.UTF_8);
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("policy document is not valid JSON: " + e.getMessage(), e);
    }
    var statements = new ArrayList<PolicyDocument.Statement>();
    for (var s : each(root.path("Statement"))) {
      statements.add(
          new PolicyDocument.Statement(
              s.path("Sid").asText(""),
              s.path("Effect").asText(""),
              principals(s.path("Principal")),
              strings(s.path("Action")),
              strings(s.path("NotAction")),
              strings(s.path("Resource")),
              strings(s.path("NotResource")),
              conditions(s.path("Condition"))));
    }
    return new PolicyDocument(statements);
  }

  private static List<JsonNode> each(JsonNode node) {
    var out = new ArrayList<JsonNode>();
    if (node.isArray()) {
      node.forEach(out::add);
    } else if (node.isObject()) {
      out.add(node);
    }
    return out;
  }

  private static List<String> strings(JsonNode node) {
    var out = new ArrayList<String>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (!node.isMissingNode() && !node.isNull()) {
      out.add(node.asText());
    }
    return out;
  }

  private static List<String> principals(JsonNode node) {
    if (node.isObject()) {
      var out = new ArrayList<String>();
      node.fields().forEachRemaining(e -> out.addAll(strings(e.getValue())));
      return out;
    }
    return strings(node);
  }

  private static Map<String, Map<String, List<String>>> conditions(JsonNode node) {
    var out = new LinkedHashMap<String, Map<String, List<String>>>();
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              op -> {
                var byKey = new LinkedHashMap<String, List<String>>();
                if (op.getValue().isObject()) {
                  op.getValue()
                      .fields()
                      .forEachRemaining(k -> byKey.put(k.getKey(), strings(k.getValue())));
                }
                out.put(op.getKey(), Map.copyOf(byKey));
              });
    }
    return out;
  }
}
