package dev.parapet.webhook.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Runs a detector the way the scanner does (prefilter, then scan) and checks redaction. */
final class DetectorAssertions {
  private DetectorAssertions() {}

  static List<SecretMatch> scan(SecretDetector d, String name, String text, ScanHints hints) {
    var out = new ArrayList<SecretMatch>();
    if (d.prefilter(name, text, hints)) {
      d.scan(name, text, hints, out);
    }
    return out;
  }

  static List<SecretMatch> scan(SecretDetector d, String text) {
    return scan(d, null, text, ScanHints.NONE);
  }

  /** Exactly one match, of exactly {@code secret}, whose redacted form does not contain it. */
  static SecretMatch assertFinds(
      SecretDetector d, String name, String text, ScanHints h, String secret) {
    var found = scan(d, name, text, h);
    assertThat(found)
        .as("matches in %s", text.length() > 60 ? text.substring(0, 60) : text)
        .hasSize(1);
    var m = found.get(0);
    assertThat(text.substring(m.start(), m.end())).isEqualTo(secret);
    assertThat(m.detectorId()).isEqualTo(d.id());
    assertThat(m.redacted()).doesNotContain(secret);
    return m;
  }

  static SecretMatch assertFinds(SecretDetector d, String text, String secret) {
    return assertFinds(d, null, text, ScanHints.NONE, secret);
  }

  static void assertNothing(SecretDetector d, String name, String text, ScanHints h) {
    assertThat(scan(d, name, text, h)).as("matches in %s", text).isEmpty();
  }

  static void assertNothing(SecretDetector d, String text) {
    assertNothing(d, null, text, ScanHints.NONE);
  }
}
