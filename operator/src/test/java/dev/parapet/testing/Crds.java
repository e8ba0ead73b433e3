package dev.parapet.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Applies the committed CRDs (crds/*.yaml) to a test API server. */
public final class Crds {

  private Crds() {}

  public static void apply(KubernetesClient client) {
    var root = Path.of(System.getProperty("parapet.repo.root", ".."));
    var dir = root.resolve("crds");
    if (!Files.isDirectory(dir)) {
      dir = Path.of("../crds");
    }
    try (var files = Files.list(dir)) {
      for (var f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        try (var in = Files.newInputStream(f)) {
          var crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
          client.resource(crd).createOr(existing -> existing.update());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
