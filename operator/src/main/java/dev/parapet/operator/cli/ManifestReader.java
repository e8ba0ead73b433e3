package dev.parapet.operator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads Kubernetes manifests from files, directories or standard input: multi-document YAML, JSON,
 * and {@code kind: List} objects, each object with the file and line it starts at.
 *
 * <p>A document that does not parse becomes a {@link Problem} with file and line; the other
 * documents of the same file are still read, because documents are split on {@code ---} lines
 * before parsing.
 */
public final class ManifestReader {

  /** One Kubernetes object and where it was found. */
  public record Manifest(String file, int line, int document, JsonNode object) {}

  /** A document or file that could not be read. */
  public record Problem(String file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }

  /** Everything read from the inputs. */
  public record Result(List<Manifest> manifests, List<Problem> problems) {}

  private static final Pattern SEPARATOR = Pattern.compile("^---(\\s.*)?$");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Reads each input; "-" is standard input. Directories are walked for .yaml, .yml, .json. */
  public Result read(List<String> inputs, InputStream stdin) {
    var manifests = new ArrayList<Manifest>();
    var problems = new ArrayList<Problem>();
    for (var input : inputs) {
      if (input.equals("-")) {
        try {
          parse(
              "<stdin>",
              new String(stdin.readAllBytes(), StandardCharsets.UTF_8),
              manifests,
              problems);
        } catch (IOException e) {
          problems.add(new Problem("<stdin>", 0, "cannot read standard input: " + e.getMessage()));
        }
        continue;
      }
      var path = Path.of(input);
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.walk(path)) {
          files
              .filter(Files::isRegularFile)
              .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
              .sorted()
              .forEach(p -> readFile(p, manifests, problems));
        } catch (IOException e) {
          problems.add(new Problem(input, 0, "cannot list directory: " + e.getMessage()));
        }
      } else {
        readFile(path, manifests, problems);
      }
    }
    return new Result(List.copyOf(manifests), List.copyOf(problems));
  }

  private void readFile(Path path, List<Manifest> manifests, List<Problem> problems) {
    try {
      parse(path.toString(), Files.readString(path), manifests, problems);
    } catch (IOException e) {
      problems.add(new Problem(path.toString(), 0, "cannot read file: " + e.getMessage()));
    }
  }

  void parse(String file, String text, List<Manifest> manifests, List<Problem> problems) {
    var lines = text.split("\n", -1);
    var chunk = new StringBuilder();
    int chunkStart = 1;
    int document = 0;
    for (int i = 0; i <= lines.length; i++) {
      var end = i == lines.length;
      if (end || SEPARATOR.matcher(lines[i]).matches()) {
        if (!chunk.toString().isBlank()) {
          parseDocument(file, chunk.toString(), chunkStart, document++, manifests, problems);
        }
        chunk.setLength(0);
        chunkStart = i + 2;
        continue;
      }
      chunk.append(lines[i]).append('\n');
    }
  }

  private void parseDocument(
      String file,
      String text,
      int startLine,
      int document,
      List<Manifest> manifests,
      List<Problem> problems) {
    JsonNode node;
    try {
      node = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      var line = location == null ? startLine : startLine + Math.max(0, location.getLineNr() - 1);
      problems.add(new Problem(file, line, "malformed YAML: " + e.getOriginalMessage()));
      return;
    }
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    var firstLine = startLine + leadingBlankOrCommentLines(text);
    if (!node.isObject()) {
      problems.add(new Problem(file, firstLine, "not a Kubernetes object (expected a mapping)"));
      return;
    }
    if (node.path("kind").asText().endsWith("List") && node.path("items").isArray()) {
      for (var item : node.path("items")) {
        add(file, firstLine, document, item, manifests, problems);
      }
      return;
    }
    add(file, firstLine, document, node, manifests, problems);
  }

  private static void add(
      String file,
      int line,
      int document,
      JsonNode node,
      List<Manifest> manifests,
      List<Problem> problems) {
    if (!node.path("apiVersion").isTextual() || !node.path("kind").isTextual()) {
      problems.add(
          new Problem(file, line, "not a Kubernetes object: apiVersion and kind are required"));
      return;
    }
    manifests.add(new Manifest(file, line, document, node));
  }

  private static int leadingBlankOrCommentLines(String text) {
    int n = 0;
    for (var line : text.split("\n", -1)) {
      var t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        break;
      }
      n++;
    }
    return n;
  }
}
