package dev.parapet.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyExceptionTest {
  static PolicyException ex(
      Set<String> rules, Set<String> ns, List<String> names, Map<String, String> labels) {
    return new PolicyException(
        "e", rules, ns, names, labels, "reason", null, Instant.parse("2030-01-01T00:00:00Z"));
  }

  @Test
  void everyGivenCriterionMustMatch() {
    var e = ex(Set.of(), Set.of("prod"), List.of("web-*"), Map.of("team", "a"));
    assertThat(e.matchesWorkload("port-forbidden", "prod", "web-1", Map.of("team", "a"))).isTrue();
    assertThat(e.matchesWorkload("port-forbidden", "dev", "web-1", Map.of("team", "a"))).isFalse();
    assertThat(e.matchesWorkload("port-forbidden", "prod", "api", Map.of("team", "a"))).isFalse();
    assertThat(e.matchesWorkload("port-forbidden", "prod", "web-1", Map.of("team", "b"))).isFalse();
  }

  @Test
  void globsAndRulePrefixes() {
    assertThat(RulePatterns.glob("web-?", "web-1")).isTrue();
    assertThat(RulePatterns.glob("web-?", "web-12")).isFalse();
    assertThat(RulePatterns.glob("*-canary", "api-canary")).isTrue();
    assertThat(RulePatterns.glob("a*b*c", "axxbyyc")).isTrue();
    assertThat(RulePatterns.glob("a*b*c", "axxbyy")).isFalse();
    var e = ex(Set.of("host-*"), Set.of("prod"), List.of(), Map.of());
    assertThat(e.matchesWorkload("host-network", "prod", "x", Map.of())).isTrue();
    assertThat(e.matchesWorkload("port-forbidden", "prod", "x", Map.of())).isFalse();
  }

  @Test
  void anExceptionWithoutWorkloadCriteriaNeverMatchesAWorkload() {
    assertThat(
            ex(Set.of(), Set.of(), List.of(), Map.of())
                .matchesWorkload("port-forbidden", "prod", "x", Map.of()))
        .isFalse();
  }

  @Test
  void expiry() {
    var e = ex(Set.of(), Set.of("prod"), List.of(), Map.of());
    assertThat(e.activeAt(Instant.parse("2029-12-31T23:59:59Z"))).isTrue();
    assertThat(e.activeAt(Instant.parse("2030-01-01T00:00:00Z"))).isFalse();
  }
}
