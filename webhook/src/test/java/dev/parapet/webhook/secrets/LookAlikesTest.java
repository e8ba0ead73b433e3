package dev.parapet.webhook.secrets;

import static dev.parapet.webhook.secrets.DetectorAssertions.assertNothing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The look-alikes every detector must ignore (issue 5: SHA-1 hex, base64 digests, {@code
 * AKIAXXXXXXXXXXXXXXXX}, AWS's {@code ...EXAMPLE} keys), in the places they really occur: bare,
 * under a secret-ish name, after the word "secret", and next to a literal key id. Each detector's
 * own test class has its format-specific look-alikes; this one is the common floor.
 */
class LookAlikesTest {

  /** Every detector the scanner runs. */
  static final List<SecretDetector> DETECTORS = List.copyOf(SecretDetectors.all().values());

  static final List<String> LOOK_ALIKES =
      List.of(
          // SHA-1 hex: a git commit, the SHA-1 of the empty string
          "da39a3ee5e6b4b0d3255bfef95601890afd80709",
          "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
          // SHA-256 hex and an image digest
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          // base64 digests: SRI sha256/sha512 and a bare base64 SHA-1 (28 chars with padding)
          "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
          "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
          "2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
          // placeholders and AWS's documented example keys
          "AKIAXXXXXXXXXXXXXXXX",
          "AKIAIOSFODNN7EXAMPLE",
          "ASIAIOSFODNN7EXAMPLE",
          "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
          // UUIDs and a Kubernetes uid
          "123e4567-e89b-12d3-a456-426614174000",
          // a long run of one character
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

  static Stream<Arguments> cases() {
    var out = new ArrayList<Arguments>();
    for (var d : DETECTORS) {
      for (var value : LOOK_ALIKES) {
        out.add(Arguments.of(d.id(), d, null, value, ScanHints.NONE));
        out.add(Arguments.of(d.id(), d, "API_SECRET", value, ScanHints.NONE));
        out.add(Arguments.of(d.id(), d, null, "the secret is " + value, ScanHints.NONE));
        out.add(Arguments.of(d.id(), d, "AWS_SECRET_ACCESS_KEY", value, ScanHints.KEY_ID_NEARBY));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}: {2}={3}")
  @MethodSource("cases")
  void noDetectorReportsALookAlike(
      String id, SecretDetector detector, String name, String text, ScanHints hints) {
    assertNothing(detector, name, text, hints);
  }
}
