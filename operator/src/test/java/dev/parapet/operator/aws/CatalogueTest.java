package dev.parapet.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.core.RuleMetadata;
import dev.parapet.operator.aws.collect.CollectorRegistry;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.RuleRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped rule has complete, well-formed metadata. */
class CatalogueTest {
  private static final Pattern ID = Pattern.compile("aws(-[a-z0-9]+){2,}");
  private static final Pattern CIS = Pattern.compile("\\d+(\\.\\d+)+");
  private static final Pattern FSBP = Pattern.compile("[A-Za-z0-9]+\\.\\d+");
  private static final Pattern ACTION = Pattern.compile("[a-z0-9-]+:[A-Z][A-Za-z0-9]+");
  private static final Pattern JAPANESE =
      Pattern.compile("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");

  /**
   * Checks without a control in CIS v5.0.0 or FSBP (aws-checks.md lists "–" for both). Any other
   * rule must name at least one control.
   */
  private static final Set<String> NO_CONTROL_IN_EITHER_FRAMEWORK =
      Set.of(
          "aws-ec2-ami-public",
          // Public resource policies and open function URLs FSBP has no control for (h/fsbp).
          "aws-lambda-function-url-auth-none",
          "aws-ecr-repository-public",
          "aws-secretsmanager-secret-public");

  static Stream<AwsRule> rules() {
    return RuleRegistry.shipped().stream();
  }

  @Test
  void idsAreUnique() {
    var seen = new HashSet<String>();
    var duplicates =
        RuleRegistry.shipped().stream().map(AwsRule::id).filter(id -> !seen.add(id)).toList();
    assertThat(duplicates).as("duplicate rule ids").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void metadataIsComplete(AwsRule rule) {
    var m = rule.metadata();
    assertThat(m.id()).matches(ID);
    assertThat(m.titleEn()).as("English title").isNotBlank().hasSizeLessThanOrEqualTo(150);
    assertThat(m.titleJa())
        .as("Japanese title")
        .isNotBlank()
        .hasSizeLessThanOrEqualTo(150)
        .containsPattern(JAPANESE);
    assertThat(m.remediationEn()).as("English remediation").isNotBlank();
    assertThat(m.remediationJa()).as("Japanese remediation").isNotBlank().containsPattern(JAPANESE);
    assertThat(m.remediationUrl()).as("remediation URL").startsWith("https://");
    assertThat(m.severity()).isNotNull();
    assertThat(m.resourceType()).as("resource type").matches("AWS::[A-Za-z0-9]*::[A-Za-z0-9]+");
    m.cis().forEach(id -> assertThat(id).as("CIS id").matches(CIS));
    m.fsbp().forEach(id -> assertThat(id).as("FSBP id").matches(FSBP));
    if (NO_CONTROL_IN_EITHER_FRAMEWORK.contains(m.id())) {
      assertThat(m.cis()).isEmpty();
      assertThat(m.fsbp()).isEmpty();
    } else {
      assertThat(List.of(m.cis(), m.fsbp()))
          .as("a CIS or FSBP control id")
          .anySatisfy(ids -> assertThat(ids).isNotEmpty());
    }
    assertThat(m.source()).isEqualTo(RuleMetadata.Source.AWS);
    var d = rule.definition();
    assertThat(d.datasets()).as("datasets read").isNotEmpty();
    assertThat(d.iamActions())
        .as("IAM actions")
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a).matches(ACTION));
    assertThat(m.requiredActions())
        .as("the metadata's IAM actions")
        .containsExactlyElementsOf(d.iamActions());
    assertThat(m.services())
        .as("the metadata's services")
        .isNotEmpty()
        .containsExactlyElementsOf(
            d.allDatasets().stream().map(Datasets::service).distinct().sorted().toList());
    d.datasets().forEach(t -> assertThat(CollectorRegistry.defaults().forType(t)).isNotNull());
    if (m.coveredBy() != null) {
      assertThat(RuleRegistry.defaults().find(m.coveredBy())).as("coveredBy target").isPresent();
    }
  }
}
