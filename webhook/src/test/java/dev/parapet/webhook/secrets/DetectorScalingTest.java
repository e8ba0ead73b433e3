package dev.parapet.webhook.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Linear time, proven by counting: each detector's worst cases (repeated prefixes without
 * terminators, long runs at boundaries, many keywords) are scanned at 64 KiB and at 1 MiB, and the
 * characters read from the input ({@link CountingText}) must grow at most 1.25 × linearly (16 × the
 * size → at most 20 × the reads), with at most {@link #MAX_READS_PER_CHAR} reads per input char. No
 * clock is involved: the counts are the same on any machine.
 */
class DetectorScalingTest {
  static final int SMALL = 64 * 1024;
  static final int LARGE = 1024 * 1024;
  static final double MAX_RATIO = 16 * 1.25;
  static final int MAX_READS_PER_CHAR = 16;

  /** A worst case: the detector, a secret-ish name (or null) and a text of at least n chars. */
  record Case(String detector, String label, String name, IntFunction<String> text) {
    @Override
    public String toString() {
      return detector + ": " + label;
    }
  }

  static String repeat(String unit, int n) {
    return unit.repeat(n / unit.length() + 1);
  }

  static String fill(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  /** Base64-like chars with high entropy, deterministic. */
  static String noise(int n) {
    var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    var sb = new StringBuilder(n);
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      sb.append(alphabet.charAt((int) (x & 63)));
    }
    return sb.toString();
  }

  static Stream<Case> cases() {
    var c = new ArrayList<Case>();
    // aws-access-key-id
    c.add(new Case("aws-access-key-id", "AKIA repeated", null, n -> repeat("AKIA", n)));
    c.add(
        new Case(
            "aws-access-key-id",
            "one char short, repeated",
            null,
            n -> repeat("AKIA" + fill('Q', 15) + " ", n)));
    c.add(new Case("aws-access-key-id", "A3T run", null, n -> "A3T" + fill('B', n)));
    // aws-secret-access-key
    c.add(new Case("aws-secret-access-key", "secret repeated", null, n -> repeat("secret", n)));
    c.add(
        new Case(
            "aws-secret-access-key",
            "secret + 39-char runs",
            null,
            n -> repeat("secret " + noise(39) + " ", n)));
    c.add(
        new Case(
            "aws-secret-access-key",
            "one long key-char run under a secret-ish name",
            "AWS_SECRET_ACCESS_KEY",
            DetectorScalingTest::noise));
    c.add(
        new Case(
            "aws-secret-access-key",
            "40-char runs next to a key id, each followed by =",
            null,
            n -> "AKIAQSAJ2XUID5ZZZZG6 " + repeat(noise(40) + "= ", n)));
    c.add(
        new Case(
            "aws-secret-access-key", "secret then a long run", null, n -> "secret" + noise(n)));
    // github-token
    c.add(new Case("github-token", "ghp_ repeated", null, n -> repeat("ghp_", n)));
    c.add(
        new Case("github-token", "35-char bodies", null, n -> repeat("ghp_" + noise(35) + " ", n)));
    c.add(
        new Case(
            "github-token",
            "github_pat_ with 81-char bodies",
            null,
            n -> repeat("github_pat_" + fill('a', 81) + " ", n)));
    c.add(new Case("github-token", "ghp_ + a long run", null, n -> "ghp_" + fill('a', n)));
    // gitlab-token
    c.add(new Case("gitlab-token", "glpat- repeated", null, n -> repeat("glpat-", n)));
    c.add(
        new Case(
            "gitlab-token", "19-char bodies", null, n -> repeat(" glpat-" + fill('a', 19), n)));
    // slack-token
    c.add(new Case("slack-token", "xoxb- repeated", null, n -> repeat("xoxb-", n)));
    c.add(new Case("slack-token", "xoxb- + a long run", null, n -> "xoxb-" + fill('a', n)));
    c.add(
        new Case("slack-token", "many dash groups", null, n -> "xoxb-aaaaaa" + repeat("-bbbb", n)));
    c.add(
        new Case(
            "slack-token", "tokens one group short", null, n -> repeat(" xoxb-aaaaaa-bbb", n)));
    // stripe-key
    c.add(new Case("stripe-key", "sk_live_ repeated", null, n -> repeat("sk_live_", n)));
    c.add(
        new Case("stripe-key", "100-char bodies", null, n -> repeat(" sk_live_" + noise(100), n)));
    // private-key: the quadratic case of issue 13, and bodies at the bound
    c.add(
        new Case(
            "private-key",
            "headers repeated without terminator",
            null,
            n -> repeat("-----BEGIN PRIVATE KEY-----", n)));
    c.add(
        new Case(
            "private-key",
            "headers with short bodies, one END at the very end",
            null,
            n -> repeat("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n", n) + "-----END"));
    c.add(
        new Case(
            "private-key",
            "headers with bodies at the length bound",
            null,
            n ->
                repeat(
                    "-----BEGIN PRIVATE KEY-----" + noise(PrivateKeyDetector.MAX_BODY + 100), n)));
    c.add(
        new Case(
            "private-key",
            "escaped newlines",
            null,
            n -> "-----BEGIN PRIVATE KEY-----" + repeat("\\n", n)));
    // jwt
    c.add(new Case("jwt", "eyJ repeated", null, n -> repeat("eyJ", n)));
    c.add(new Case("jwt", "eyJ. repeated", null, n -> repeat("eyJ.", n)));
    c.add(
        new Case(
            "jwt", "segments eyJ........ chained by dots", null, n -> repeat("eyJaaaaaaaa.", n)));
    c.add(
        new Case(
            "jwt",
            "headers at the length bound",
            null,
            n -> repeat(" eyJ" + fill('a', 2047) + ".eyJ", n)));
    c.add(
        new Case(
            "jwt",
            "tokens at every bound, then a dot",
            null,
            n ->
                repeat(
                    " eyJhbGciOiJIUzI1NiJ9.eyJ" + fill('b', 8190) + "." + fill('c', 2047) + ".",
                    n)));
    // password-assignment
    c.add(new Case("password-assignment", "password= repeated", null, n -> repeat("password=", n)));
    c.add(
        new Case(
            "password-assignment",
            "password keys with values at the length bound",
            null,
            n -> repeat("password: \"" + fill('a', 1100), n)));
    c.add(
        new Case(
            "password-assignment",
            "long key runs before separators",
            null,
            n -> repeat(fill('k', 127) + "=", n)));
    c.add(
        new Case(
            "password-assignment",
            "name= attributes without a closing quote",
            null,
            n -> repeat("name=\"" + fill('p', 60) + " ", n)));
    c.add(
        new Case(
            "password-assignment",
            "xml tags without a closing tag",
            null,
            n -> repeat("<password>" + fill('v', 300), n)));
    c.add(
        new Case(
            "password-assignment",
            "a ConfigMap-like key name with a long value",
            "db-password",
            n -> fill('v', n)));
    // connection-string
    c.add(new Case("connection-string", ":// repeated", null, n -> repeat("://", n)));
    c.add(
        new Case(
            "connection-string",
            "authorities at the length bound",
            null,
            n -> repeat("postgres://" + fill('a', 600) + "@", n)));
    c.add(
        new Case(
            "connection-string", "@ and : everywhere", null, n -> "redis://" + repeat(":@", n)));
    c.add(
        new Case(
            "connection-string",
            "password= parameters on one jdbc line",
            null,
            n -> "jdbc:x" + repeat(";password=", n)));
    c.add(
        new Case(
            "connection-string",
            "context markers repeated",
            null,
            n -> repeat("host=driver=server=dsn=", n)));
    c.add(
        new Case(
            "connection-string",
            "braced ODBC values without a closing brace",
            null,
            n -> "Driver=x" + repeat(";Pwd={" + fill('z', 100), n)));
    return c.stream();
  }

  static long reads(Case c, int size) {
    var text = new CountingText(c.text().apply(size));
    SecretDetectors.scanUnit(
        List.of(new SecretDetectors.Text(c.name(), text)), Set.of(c.detector()));
    return text.reads();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void workGrowsLinearly(Case c) {
    long small = reads(c, SMALL);
    long large = reads(c, LARGE);
    double ratio = (double) large / small;
    System.out.printf(
        "scaling %-24s %-55s 64KiB=%,d reads, 1MiB=%,d reads, ratio %.2f%n",
        c.detector(), c.label(), small, large, ratio);
    assertThat(ratio).as("1 MiB / 64 KiB reads").isLessThanOrEqualTo(MAX_RATIO);
    assertThat(large)
        .as("reads per input char")
        .isLessThanOrEqualTo((long) MAX_READS_PER_CHAR * 2 * LARGE);
  }

  /** A user-defined detector with a pattern that backtracking engines take exponential time on. */
  @Test
  void aCustomDetectorWithANestedQuantifierIsLinear() {
    var d = CustomDetector.of("nested", List.of("aaa"), "(a+)+b", 0.0, null);
    IntFunction<Long> reads =
        n -> {
          var text = new CountingText(fill('a', n));
          d.scan(text, new ArrayList<>(), dev.parapet.webhook.budget.Deadline.NONE);
          return text.reads();
        };
    long small = reads.apply(SMALL);
    long large = reads.apply(LARGE);
    System.out.printf(
        "scaling %-24s %-55s 64KiB=%,d reads, 1MiB=%,d reads, ratio %.2f%n",
        "custom (RE2/J)", "(a+)+b over a run of a", small, large, (double) large / small);
    assertThat((double) large / small).isLessThanOrEqualTo(MAX_RATIO);
  }

  @Test
  void everyDetectorHasWorstCases() {
    var covered = cases().map(Case::detector).distinct().toList();
    assertThat(covered).containsAll(SecretDetectors.all().keySet());
  }

  /** The counter itself sees a quadratic scan as quadratic (so the bound above can fail). */
  @Test
  void theCountExposesQuadraticWork() {
    IntFunction<Long> quadratic =
        n -> {
          var t = new CountingText(repeat("-----BEGIN ", n));
          for (int i = 0; i < t.length(); i += 11) {
            Chars.indexOf(t, "-----END", i);
          }
          return t.reads();
        };
    assertThat((double) quadratic.apply(LARGE / 16) / quadratic.apply(SMALL / 16))
        .isGreaterThan(MAX_RATIO * 5);
  }
}
