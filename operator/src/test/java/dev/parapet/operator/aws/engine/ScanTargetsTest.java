package dev.parapet.operator.aws.engine;

import static dev.parapet.operator.aws.engine.ScanTargets.Membership.EXCLUDED;
import static dev.parapet.operator.aws.engine.ScanTargets.Membership.IN;
import static dev.parapet.operator.aws.engine.ScanTargets.Membership.NOT_INCLUDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.operator.aws.engine.ScanTargets.TagCriterion;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tag selection of scan targets: include, exclude, key-only criteria, CLI parsing. */
class ScanTargetsTest {

  private static final TagCriterion PROD = new TagCriterion("env", Set.of("prod"));
  private static final TagCriterion PROD_OR_STAGING =
      new TagCriterion("env", Set.of("prod", "staging"));
  private static final TagCriterion SKIP = TagCriterion.key("parapet.dev/skip");

  @Test
  void noCriteriaTakesEveryResourceAndIsInactive() {
    assertThat(ScanTargets.ALL.active()).isFalse();
    assertThat(ScanTargets.ALL.membership(Map.of())).isEqualTo(IN);
    assertThat(ScanTargets.ALL.membership(Map.of("env", "dev"))).isEqualTo(IN);
    assertThat(new ScanTargets(null, null).active()).isFalse();
  }

  @Test
  void includeTakesOnlyResourcesWithAMatchingKeyAndValue() {
    var targets = new ScanTargets(List.of(PROD), List.of());
    assertThat(targets.active()).isTrue();
    assertThat(targets.membership(Map.of("env", "prod", "team", "a"))).isEqualTo(IN);
    assertThat(targets.membership(Map.of("env", "dev"))).isEqualTo(NOT_INCLUDED);
    assertThat(targets.membership(Map.of("env", "Prod")))
        .as("case-sensitive")
        .isEqualTo(NOT_INCLUDED);
    assertThat(targets.membership(Map.of("Env", "prod"))).isEqualTo(NOT_INCLUDED);
    assertThat(targets.membership(Map.of())).isEqualTo(NOT_INCLUDED);
  }

  @Test
  void anyIncludeEntryAndAnyOfItsValuesMatches() {
    var targets =
        new ScanTargets(List.of(PROD_OR_STAGING, new TagCriterion("team", Set.of("data"))), null);
    assertThat(targets.membership(Map.of("env", "staging"))).isEqualTo(IN);
    assertThat(targets.membership(Map.of("team", "data"))).isEqualTo(IN);
    assertThat(targets.membership(Map.of("team", "web", "env", "dev"))).isEqualTo(NOT_INCLUDED);
  }

  @Test
  void aKeyOnlyCriterionMatchesAnyValueEvenEmpty() {
    var targets = new ScanTargets(List.of(), List.of(SKIP));
    assertThat(targets.membership(Map.of("parapet.dev/skip", ""))).isEqualTo(EXCLUDED);
    assertThat(targets.membership(Map.of("parapet.dev/skip", "yes"))).isEqualTo(EXCLUDED);
    assertThat(targets.membership(Map.of("env", "prod"))).isEqualTo(IN);
    assertThat(targets.membership(Map.of())).isEqualTo(IN);
  }

  @Test
  void excludeWinsOverInclude() {
    var targets = new ScanTargets(List.of(PROD), List.of(SKIP));
    assertThat(targets.membership(Map.of("env", "prod", "parapet.dev/skip", "x")))
        .isEqualTo(EXCLUDED);
    assertThat(targets.membership(Map.of("env", "prod"))).isEqualTo(IN);
    assertThat(targets.membership(Map.of("parapet.dev/skip", "x"))).isEqualTo(EXCLUDED);
  }

  @Test
  void anEmptyKeyIsRejected() {
    assertThatThrownBy(() -> new TagCriterion("", Set.of("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> TagCriterion.key(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cliValuesSplitAtTheFirstEquals() {
    assertThat(ScanTargets.parse("--target-tag", "env=prod")).isEqualTo(PROD);
    assertThat(ScanTargets.parse("--target-tag", "owner")).isEqualTo(TagCriterion.key("owner"));
    assertThat(ScanTargets.parse("--target-tag", "expr=a=b"))
        .isEqualTo(new TagCriterion("expr", Set.of("a=b")));
    assertThat(ScanTargets.parse("--target-tag", "blank="))
        .as("an empty value is a value")
        .isEqualTo(new TagCriterion("blank", Set.of("")));
    assertThatThrownBy(() -> ScanTargets.parse("--exclude-tag", "=prod"))
        .hasMessageContaining("--exclude-tag")
        .hasMessageContaining("'=prod'")
        .hasMessageContaining("no tag key");
    assertThatThrownBy(() -> ScanTargets.parse("--target-tag", ""))
        .hasMessageContaining("--target-tag");
  }

  @Test
  void describeNamesBothLists() {
    assertThat(new ScanTargets(List.of(PROD_OR_STAGING), List.of(SKIP)).describe())
        .isEqualTo("include env=prod|staging; exclude parapet.dev/skip");
    assertThat(ScanTargets.ALL.describe()).isEmpty();
  }
}
