package dev.parapet.operator.cloudaccount;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses scan intervals such as 30m, 6h, 1h30m. */
public final class Intervals {

  private static final Pattern FORMAT = Pattern.compile("^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$");

  private Intervals() {}

  /** The interval, or empty when the text is not of the form 1h30m10s. */
  public static Optional<Duration> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    var m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    var d = Duration.ZERO;
    if (m.group(1) != null) {
      d = d.plusHours(Long.parseLong(m.group(1)));
    }
    if (m.group(2) != null) {
      d = d.plusMinutes(Long.parseLong(m.group(2)));
    }
    if (m.group(3) != null) {
      d = d.plusSeconds(Long.parseLong(m.group(3)));
    }
    return d.isZero() ? Optional.empty() : Optional.of(d);
  }
}
