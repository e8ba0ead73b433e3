package dev.parapet.webhook.secrets;

import static dev.parapet.webhook.secrets.DetectorScalingTest.LARGE;
import static dev.parapet.webhook.secrets.DetectorScalingTest.MAX_RATIO;
import static dev.parapet.webhook.secrets.DetectorScalingTest.SMALL;
import static dev.parapet.webhook.secrets.DetectorScalingTest.fill;
import static dev.parapet.webhook.secrets.DetectorScalingTest.noise;
import static dev.parapet.webhook.secrets.DetectorScalingTest.repeat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The redactor reads attacker-controlled text (request content quoted in errors, SDK messages,
 * workload values): its work must stay linear. As in {@link DetectorScalingTest}, the characters
 * read are counted at 64 KiB and 1 MiB on every detector's worst cases and on the redactor's own
 * shapes; the ratio, never a time, is asserted.
 */
class RedactorScalingTest {
  /** Reads per input char allowed: every detector's pass plus the redactor's own scans. */
  static final int MAX_READS_PER_CHAR = 64;

  record Case(String label, IntFunction<String> text) {
    @Override
    public String toString() {
      return label;
    }
  }

  static Stream<Case> cases() {
    var c = new ArrayList<Case>();
    DetectorScalingTest.cases().forEach(d -> c.add(new Case("detector " + d, d.text())));
    for (var prefix : Redactor.AWS_ID_PREFIXES) {
      c.add(new Case(prefix + " repeated", n -> repeat(prefix, n)));
    }
    c.add(new Case("A3T then a long run", n -> "A3T" + fill('B', n)));
    c.add(new Case("ids one char short", n -> repeat("AGPA" + fill('Q', 15) + " ", n)));
    c.add(new Case("39-char runs", n -> repeat(noise(39) + " ", n)));
    c.add(new Case("41-char runs", n -> repeat(noise(41) + " ", n)));
    c.add(new Case("one long key-char run", DetectorScalingTest::noise));
    c.add(new Case("labels without a separator", n -> repeat("signature", n)));
    c.add(new Case("label then long separators", n -> "session_token" + repeat("\" '", n)));
    c.add(new Case("labels with empty values", n -> repeat("signature=,", n)));
    c.add(new Case("label then a long value", n -> "signature=" + fill('a', n)));
    c.add(new Case("private key headers, no END", n -> repeat("-----BEGIN PRIVATE KEY-----", n)));
    c.add(
        new Case(
            "private key headers with short bodies",
            n -> repeat("-----BEGIN RSA PRIVATE KEY-----\n" + noise(15) + "\n", n)));
    c.add(
        new Case(
            "private key header then a long body",
            n -> "-----BEGIN EC PRIVATE KEY-----\n" + noise(n)));
    c.add(new Case("BEGIN without PRIVATE KEY", n -> repeat("-----BEGIN " + fill('A', 39), n)));
    return c.stream();
  }

  static long reads(Case c, int size) {
    var text = new CountingText(c.text().apply(size));
    Redactor.redact(text);
    return text.reads();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void workGrowsLinearly(Case c) {
    long small = reads(c, SMALL);
    long large = reads(c, LARGE);
    double ratio = (double) large / small;
    System.out.printf(
        "redactor scaling %-70s 64KiB=%,d reads, 1MiB=%,d reads, ratio %.2f%n",
        c.label(), small, large, ratio);
    assertThat(ratio).as("1 MiB / 64 KiB reads").isLessThanOrEqualTo(MAX_RATIO);
    assertThat(large)
        .as("reads per input char")
        .isLessThanOrEqualTo((long) MAX_READS_PER_CHAR * 2 * LARGE);
  }
}
