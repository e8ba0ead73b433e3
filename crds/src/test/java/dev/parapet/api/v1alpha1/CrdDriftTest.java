package dev.parapet.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed CRD YAML (crds/ and helm/parapet/crds/) must equal what the classes generate. */
class CrdDriftTest {

  static Stream<Class<? extends HasMetadata>> kinds() {
    return CrdFiles.KINDS.stream();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void committedCrdMatchesGenerated(Class<? extends HasMetadata> kind) {
    var expected = CrdFiles.render(kind);
    var update = Boolean.getBoolean("parapet.crds.update");
    for (var copy : CrdFiles.committedCopies(kind)) {
      if (update) {
        CrdFiles.write(copy, expected);
      }
      assertThat(CrdFiles.read(copy))
          .as(
              "%s differs from what the classes generate; run: ./mvnw -pl crds verify"
                  + " -Dparapet.crds.update=true",
              copy)
          .isEqualTo(expected);
    }
  }
}
