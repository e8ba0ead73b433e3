package dev.parapet.webhook.secrets;

/** Shannon entropy in bits per character. */
public final class Entropy {
  private Entropy() {}

  public static double bitsPerChar(CharSequence s, int from, int to) {
    int n = to - from;
    if (n <= 0) {
      return 0;
    }
    var counts = new int[128];
    int other = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 128) {
        counts[c]++;
      } else {
        other++;
      }
    }
    double h = 0;
    for (int c : counts) {
      if (c > 0) {
        double p = (double) c / n;
        h -= p * (Math.log(p) / Math.log(2));
      }
    }
    if (other > 0) {
      double p = (double) other / n;
      h -= p * (Math.log(p) / Math.log(2));
    }
    return h;
  }

  public static double bitsPerChar(CharSequence s) {
    return bitsPerChar(s, 0, s.length());
  }
}
