package dev.parapet.operator.activity;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.PosturePolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How long activity findings of one account are kept: the longest {@code spec.activity.retention}
 * of the accepted PosturePolicies that select the account (a policy's cloud accountSelector; a
 * policy without a cloud part selects every account), else {@link #DEFAULT} (30 days). An activity
 * finding expires {@code retention} after its event's time.
 */
public final class ActivityRetention {

  public static final Duration DEFAULT = Duration.ofDays(30);

  private static final Pattern FORMAT = Pattern.compile("^([1-9][0-9]{0,5})([dh])$");

  private ActivityRetention() {}

  /** The retention for an account with {@code labels} under the {@code accepted} policies. */
  public static Duration forAccount(
      Collection<PosturePolicy> accepted, Map<String, String> labels) {
    Duration longest = null;
    for (var p : accepted) {
      var spec = p.getSpec();
      if (spec == null || spec.activity() == null) {
        continue;
      }
      var selector = spec.cloud() == null ? null : spec.cloud().accountSelector();
      if (selector != null && !selector.matches(labels == null ? Map.of() : labels)) {
        continue;
      }
      var d = parse(spec.activity().retention());
      if (d.isPresent() && (longest == null || d.get().compareTo(longest) > 0)) {
        longest = d.get();
      }
    }
    return longest == null ? DEFAULT : longest;
  }

  /** {@code 30d} or {@code 72h}; empty for anything else (the CRD schema rejects it). */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    var m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    var n = Long.parseLong(m.group(1));
    return Optional.of("d".equals(m.group(2)) ? Duration.ofDays(n) : Duration.ofHours(n));
  }

  /**
   * When an activity finding expires: its event's time (else when it was first seen) plus {@code
   * retention}; empty when neither time can be read (it is then kept).
   */
  public static Optional<Instant> expiry(Finding f, Duration retention) {
    var spec = f.getSpec();
    var at =
        time(spec == null || spec.activity() == null ? null : spec.activity().eventTime())
            .or(() -> time(f.getStatus() == null ? null : f.getStatus().firstSeen()));
    return at.map(t -> t.plus(retention));
  }

  /** True when the finding's retention has run out at {@code now}. */
  public static boolean expired(Finding f, Duration retention, Instant now) {
    return expiry(f, retention).map(e -> !e.isAfter(now)).orElse(false);
  }

  static Optional<Instant> time(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
