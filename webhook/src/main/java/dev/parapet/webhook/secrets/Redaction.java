package dev.parapet.webhook.secrets;

/** The only ways a credential is allowed to be shown. */
public final class Redaction {
  private Redaction() {}

  /** Keeps a non-secret prefix of {@code keep} chars and the last {@code tail} chars. */
  public static String keepEnds(CharSequence s, int from, int to, int keep, int tail) {
    int n = to - from;
    if (n <= keep + tail + 4) {
      return "*".repeat(Math.max(n, 4));
    }
    return s.subSequence(from, from + keep)
        + "*".repeat(n - keep - tail)
        + s.subSequence(to - tail, to);
  }

  /** Shows only a fixed, non-secret prefix and the length. */
  public static String prefixOnly(CharSequence s, int from, int to, int keep) {
    return s.subSequence(from, from + keep) + "…(" + (to - from) + " chars redacted)";
  }
}
