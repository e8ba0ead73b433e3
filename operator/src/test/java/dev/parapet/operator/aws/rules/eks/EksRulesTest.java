package dev.parapet.operator.aws.rules.eks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The end-of-standard-support table behind EKS.2. */
class EksRulesTest {

  @Test
  void versionsBeforeTheTableAreLongPastSupportAndNewerOnesAreNotJudgedUnsupported() {
    assertThat(EksRules.endOfStandardSupport("1.19")).isEqualTo(LocalDate.of(2023, 10, 11));
    assertThat(EksRules.endOfStandardSupport("1.29")).isEqualTo(LocalDate.of(2025, 3, 23));
    assertThat(EksRules.endOfStandardSupport("1.40")).isNull();
    assertThat(EksRules.endOfStandardSupport("garbage")).isNull();
    assertThat(EksRules.endOfStandardSupport(null)).isNull();
  }
}
