package dev.parapet.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

  @TempDir Path dir;

  static final String MULTI =
      """
      # leading comment
      apiVersion: v1
      kind: Pod
      metadata: {name: a}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: b}
      data: {k: v}
      --- # a comment after the marker
      apiVersion: v1
      kind: List
      items:
        - {apiVersion: v1, kind: Service, metadata: {name: c}}
        - {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}}
      """;

  @Test
  void readsMultiDocumentFilesWithLinesAndExpandsLists() throws Exception {
    var file = dir.resolve("m.yaml");
    Files.writeString(file, MULTI);
    var result = new ManifestReader().read(List.of(file.toString()), null);
    assertThat(result.problems()).isEmpty();
    assertThat(result.manifests())
        .extracting(m -> m.object().path("metadata").path("name").asText() + "@" + m.line())
        .containsExactly("a@2", "b@6", "c@11", "d@11");
    assertThat(result.manifests())
        .extracting(ManifestReader.Manifest::document)
        .containsExactly(0, 1, 2, 2);
  }

  @Test
  void malformedDocumentIsReportedWithFileAndLineAndOthersStillRead() throws Exception {
    var file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: ok-1}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: [unclosed
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: ok-2}
        """);
    var result = new ManifestReader().read(List.of(file.toString()), null);
    assertThat(result.manifests())
        .extracting(m -> m.object().path("metadata").path("name").asText())
        .containsExactly("ok-1", "ok-2");
    assertThat(result.problems()).hasSize(1);
    var problem = result.problems().get(0);
    assertThat(problem.file()).isEqualTo(file.toString());
    assertThat(problem.line()).isBetween(5, 8);
    assertThat(problem.message()).startsWith("malformed YAML");
  }

  @Test
  void directoriesAreWalkedAndNonObjectsRejected() throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(
        dir.resolve("sub/x.yml"), "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n");
    Files.writeString(dir.resolve("y.json"), "{\"kind\": \"Pod\"}");
    Files.writeString(dir.resolve("notes.txt"), "not: read");
    var result = new ManifestReader().read(List.of(dir.toString()), null);
    assertThat(result.manifests()).hasSize(1);
    assertThat(result.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("apiVersion and kind"));
  }

  @Test
  void standardInputIsDash() {
    var stdin =
        new ByteArrayInputStream(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n".getBytes(StandardCharsets.UTF_8));
    var result = new ManifestReader().read(List.of("-"), stdin);
    assertThat(result.manifests())
        .singleElement()
        .satisfies(m -> assertThat(m.file()).isEqualTo("<stdin>"));
  }

  @Test
  void missingFileIsAProblemNotACrash() {
    var result = new ManifestReader().read(List.of(dir.resolve("nope.yaml").toString()), null);
    assertThat(result.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("cannot read file"));
  }
}
