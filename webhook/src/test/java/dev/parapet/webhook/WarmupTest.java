package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.secrets.SecretDetectors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm-up goes through the whole decision path and reaches every detector. */
class WarmupTest {
  @Test
  void aRoundWarnsAboutEveryDetectorsSyntheticText() {
    var r = Warmup.run(1);
    assertThat(r.decisions()).containsExactly("warned", "warned");
    assertThat(r.violations()).isGreaterThanOrEqualTo(2 * SecretDetectors.all().size());
  }

  @Test
  void everyDetectorFindsItsSyntheticText() {
    var found =
        SecretDetectors.scanUnit(
                Warmup.texts().stream().map(t -> new SecretDetectors.Text("WARMUP", t)).toList(),
                SecretDetectors.all().keySet())
            .stream()
            .map(h -> h.match().detectorId())
            .distinct()
            .toList();
    assertThat(found)
        .containsExactlyInAnyOrderElementsOf(List.copyOf(SecretDetectors.all().keySet()));
  }
}
