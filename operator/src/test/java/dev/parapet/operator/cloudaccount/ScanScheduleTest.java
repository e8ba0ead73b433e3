package dev.parapet.operator.cloudaccount;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ScanScheduleTest {

  @Test
  void jitterIsStablePerAccountAndWithinATenthOfTheInterval() {
    var interval = Duration.ofHours(6);
    var max = Duration.ofMinutes(5);
    var a = ScanSchedule.jitter("org-scans/acme-111122223333", interval, max);
    assertThat(ScanSchedule.jitter("org-scans/acme-111122223333", interval, max)).isEqualTo(a);
    assertThat(a).isBetween(Duration.ZERO, max);
    var shortInterval = Duration.ofMinutes(10);
    assertThat(ScanSchedule.jitter("org-scans/acme-111122223333", shortInterval, max))
        .isLessThan(Duration.ofMinutes(1));
    assertThat(ScanSchedule.jitter("org-scans/acme-111122223333", interval, Duration.ZERO))
        .isZero();
  }

  /** 500 accounts of one organization spread over the whole window, none crowding a slot. */
  @Test
  void fiveHundredAccountsSpreadAcrossTheWindow() {
    var interval = Duration.ofHours(6);
    var window = Duration.ofMinutes(5);
    var offsets = new ArrayList<Long>();
    for (int i = 0; i < 500; i++) {
      var key = "org-scans/acme-" + String.format("%012d", 100000000000L + i * 7919L);
      offsets.add(ScanSchedule.jitter(key, interval, window).toMillis());
    }
    assertThat(new TreeSet<>(offsets)).as("distinct start offsets").hasSizeGreaterThan(490);
    // Ten one-tenth slots of the window: each holds about 50; none more than twice that.
    var slots = new int[10];
    for (var o : offsets) {
      slots[(int) (o * 10 / window.toMillis())]++;
    }
    for (int s = 0; s < 10; s++) {
      assertThat(slots[s]).as("slot %d", s).isBetween(20, 100);
    }
  }
}
