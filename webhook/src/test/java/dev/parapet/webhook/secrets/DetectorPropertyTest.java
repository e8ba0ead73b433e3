package dev.parapet.webhook.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The optimized scanner ({@link SecretDetectors#scanUnit}, each detector's own prefilter + scan,
 * {@link SecretNames}) against the simple {@link ReferenceScanner}, over random text sprinkled with
 * every keyword, near-miss and complete credentials, "secret" words at every distance, and random
 * names. Tries: {@code jqwik.tries.default} (200 here, more under {@code -Pbench}).
 */
@Tag("fuzz")
class DetectorPropertyTest {
  static final String NOISE = "abcxyzAKQZ0123456789 =:/+-_.\n\"\\{}é";
  static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static final String URL_SAFE = ALNUM + "_-";
  static final String KEY = ALNUM + "/+";

  static Arbitrary<String> run(String chars) {
    return Arbitraries.oneOf(
            Arbitraries.of(0, 3, 4, 5, 6, 8, 15, 16, 17, 19, 20, 21, 23, 24, 35, 36, 37),
            Arbitraries.of(39, 40, 41, 81, 82, 83, 99, 100),
            Arbitraries.integers().between(0, 110))
        .flatMap(n -> Arbitraries.strings().withChars(chars.toCharArray()).ofLength(n));
  }

  static Arbitrary<String> token() {
    var keywords =
        Arbitraries.of(
            "AKIA",
            "ASIA",
            "ABIA",
            "ACCA",
            "A3T",
            "A3TX",
            "ghp_",
            "gho_",
            "ghu_",
            "ghs_",
            "ghr_",
            "github_pat_",
            "glpat-",
            "xoxb-",
            "xoxa-",
            "xoxp-",
            "xoxr-",
            "xoxs-",
            "xoxz-",
            "sk_live_",
            "rk_live_",
            "sk_test_",
            "eyJ",
            "gh",
            "xox",
            "AKI",
            "");
    var bodies =
        Arbitraries.of(BASE32, ALNUM, URL_SAFE, KEY, "aA1").flatMap(DetectorPropertyTest::run);
    return Combinators.combine(keywords, bodies).as((k, b) -> k + b);
  }

  static Arbitrary<String> exact(String chars, int... lengths) {
    return Arbitraries.of(lengths.length == 0 ? new Integer[] {0} : box(lengths))
        .flatMap(n -> Arbitraries.strings().withChars(chars.toCharArray()).ofLength(n));
  }

  private static Integer[] box(int[] a) {
    var b = new Integer[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }

  /** Tokens of the right shape and length (or one char off), so that findings are common. */
  static Arbitrary<String> wellFormed() {
    return Arbitraries.oneOf(
        Combinators.combine(
                Arbitraries.of("AKIA", "ASIA", "ABIA", "ACCA", "A3TX", "A3T7", "A3Tx"),
                exact(BASE32, 15, 16, 16, 17))
            .as(String::concat),
        Combinators.combine(
                Arbitraries.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "ghx_"),
                exact(ALNUM, 35, 36, 36, 37))
            .as(String::concat),
        exact(ALNUM + "_", 81, 82, 82, 83).map("github_pat_"::concat),
        exact(URL_SAFE, 19, 20, 20, 21).map("glpat-"::concat),
        Combinators.combine(
                Arbitraries.of("sk_live_", "rk_live_", "sk_test_"),
                exact(ALNUM, 23, 24, 60, 99, 100))
            .as(String::concat),
        exact(KEY, 39, 40, 40, 40, 41));
  }

  static Arbitrary<String> slack() {
    var parts = run(ALNUM).list().ofMinSize(1).ofMaxSize(6);
    return Combinators.combine(Arbitraries.of("xoxb-", "xoxp-"), parts)
        .as((k, p) -> k + String.join("-", p));
  }

  static Arbitrary<String> jwt() {
    var header =
        Arbitraries.of(
            "eyJhbGciOiJIUzI1NiJ9",
            "eyJhbGciOiJub25lIn0",
            "eyJhbGciOiAiUlMyNTYiLCAidHlwIjogIkpXVCJ9",
            "eyJ");
    return Combinators.combine(
            header,
            run(URL_SAFE),
            Arbitraries.of(".eyJ", ".", "eyJ", ".eyJ"),
            run(URL_SAFE),
            Arbitraries.of(".", ".", "-", ""),
            run(URL_SAFE))
        .as((h, hr, d1, p, d2, s) -> h + hr + d1 + p + d2 + s);
  }

  static Arbitrary<String> pem() {
    return Combinators.combine(
            Arbitraries.of("RSA ", "EC ", "", "PGP ", "OPENSSH ", "FOO "),
            Arbitraries.of(" BLOCK", ""),
            Arbitraries.of("\n", "\\n", ""),
            run(KEY),
            run(KEY),
            Arbitraries.of("\n-----END RSA PRIVATE KEY-----", "", "...", "<key>"))
        .as(
            (kind, block, nl, a, b, end) ->
                "-----BEGIN " + kind + "PRIVATE KEY" + block + "-----" + nl + a + nl + b + end);
  }

  static Arbitrary<String> piece() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.strings().withChars(NOISE.toCharArray()).ofMaxLength(30)),
        Tuple.of(4, token()),
        Tuple.of(6, wellFormed()),
        Tuple.of(2, slack()),
        Tuple.of(2, jwt()),
        Tuple.of(1, pem()),
        Tuple.of(
            3,
            Arbitraries.of(
                "secret",
                "SECRET",
                "Secret=",
                "sEcReT ",
                "secre",
                "xsecret",
                "EXAMPLE",
                "XXXXX",
                " ",
                "=",
                ".",
                "-",
                "_",
                "/",
                "-----BEGIN ",
                "${",
                "aws_secret_access_key = ")),
        Tuple.of(2, run(KEY)));
  }

  @Provide
  Arbitrary<String> texts() {
    var separated =
        Combinators.combine(
                piece(), Arbitraries.of("", " ", " ", "=", "\n", ":", "\"", "-", "_", "a"))
            .as(String::concat);
    return separated.list().ofMinSize(1).ofMaxSize(10).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.of(
                "PASSWORD",
                "passwd",
                "Secret",
                "TOKEN",
                "TOKENIZ",
                "tokeniz",
                "api_key",
                "API-KEY",
                "apikey",
                "private.key",
                "_FILE",
                "_path",
                "_Key_Id",
                ".",
                "_",
                "ID",
                "x",
                "ß",
                "ı",
                "ſ",
                "İ",
                "K",
                "ä",
                "CREDENTIAL",
                "access.key",
                "AUTH_KEY",
                "SIGNING_KEY",
                "_URL",
                "_ENDPOINT",
                "_NAME",
                "_version",
                "PASS",
                "PHRASE")
            .list()
            .ofMaxSize(5)
            .map(l -> String.join("", l)),
        Arbitraries.strings().ofMaxLength(12),
        Arbitraries.just(null));
  }

  @Provide
  Arbitrary<Set<String>> detectorSets() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(SecretDetectors.all().keySet())),
        Tuple.of(2, Arbitraries.subsetOf(SecretDetectors.all().keySet()).map(Set::copyOf)));
  }

  static List<SecretMatch> byStart(List<SecretMatch> l) {
    var sorted = new ArrayList<>(l);
    sorted.sort(Comparator.comparingInt(SecretMatch::start));
    return sorted;
  }

  @Property
  void unitScanEqualsReference(
      @ForAll("texts") String a,
      @ForAll("texts") String b,
      @ForAll("names") String nameA,
      @ForAll("names") String nameB,
      @ForAll("detectorSets") Set<String> enabled) {
    var unit = List.of(new SecretDetectors.Text(nameA, a), new SecretDetectors.Text(nameB, b));
    var expected = ReferenceScanner.scanUnit(unit, enabled);
    // How often the generator produces real findings (printed by jqwik): a check of the test.
    Statistics.collect(
        expected.stream().map(h -> h.match().detectorId()).distinct().sorted().toList());
    assertThat(SecretDetectors.scanUnit(unit, enabled)).isEqualTo(expected);
  }

  @Property
  void eachDetectorEqualsReference(
      @ForAll("texts") String text, @ForAll("names") String name, @ForAll boolean keyIdNearby) {
    var hints = keyIdNearby ? ScanHints.KEY_ID_NEARBY : ScanHints.NONE;
    for (var d : SecretDetectors.all().values()) {
      assertThat(byStart(DetectorAssertions.scan(d, name, text, hints)))
          .as(d.id())
          .isEqualTo(ReferenceScanner.detector(d.id(), name, text, hints));
    }
  }

  @Property
  void secretNamesEqualReference(@ForAll("names") String name) {
    assertThat(SecretNames.isSecretish(name)).isEqualTo(ReferenceScanner.secretish(name));
  }
}
