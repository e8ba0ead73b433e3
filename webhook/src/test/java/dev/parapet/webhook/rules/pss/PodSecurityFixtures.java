package dev.parapet.webhook.rules.pss;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The fixture Pods of {@code pss/fixtures.yaml} with the pss-* rules expected at each level. */
public final class PodSecurityFixtures {
  private PodSecurityFixtures() {}

  public static final String BASELINE = "fixture.parapet.dev/baseline";
  public static final String RESTRICTED = "fixture.parapet.dev/restricted";

  public static List<Pod> load() {
    try (var in = PodSecurityFixtures.class.getResourceAsStream("/pss/fixtures.yaml")) {
      var text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      var out = new ArrayList<Pod>();
      for (var doc : text.split("(?m)^---$")) {
        if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
          out.add(Serialization.unmarshal(doc, Pod.class));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The rule ids the fixture's annotation expects at {@code level} (an annotation key). */
  public static Set<String> expected(Pod pod, String level) {
    var v = pod.getMetadata().getAnnotations().get(level);
    var out = new TreeSet<String>();
    if (v != null && !v.isBlank()) {
      out.addAll(Arrays.asList(v.split(",")));
    }
    return out;
  }
}
