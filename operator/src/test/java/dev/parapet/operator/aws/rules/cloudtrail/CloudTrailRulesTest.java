package dev.parapet.operator.aws.rules.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.cloudtrail.MultiRegionTrails;
import dev.parapet.operator.aws.inventory.cloudtrail.MultiRegionTrails.Coverage;
import dev.parapet.operator.aws.inventory.cloudtrail.Trails;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CloudTrail rules on in-memory inventories. */
class CloudTrailRulesTest {

  private static List<RuleResult> multiRegion(Coverage... trails) {
    var inventory =
        Inventory.builder("123456789012")
            .regions(List.of("eu-west-1"))
            .known(MultiRegionTrails.class, "global", new MultiRegionTrails(List.of(trails)))
            .build();
    return new NoMultiRegionTrailRule().evaluate(inventory, RuleParameters.defaults());
  }

  private static Coverage trail(String name, boolean logging, boolean reads, boolean writes) {
    return new Coverage(
        name,
        "arn:aws:cloudtrail:us-east-1:123456789012:trail/" + name,
        "us-east-1",
        logging,
        reads,
        writes);
  }

  @Test
  void oneCompleteMultiRegionTrailPasses() {
    var results = multiRegion(trail("partial", true, false, true), trail("full", true, true, true));
    assertThat(results).extracting(RuleResult::status).containsExactly(ResultStatus.PASS);
  }

  @Test
  void incompleteOrMissingTrailsFailWithWhatTheyLack() {
    assertThat(multiRegion())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(ResultStatus.FAIL);
              assertThat(r.evidence()).contains("no multi-region trail");
            });
    var results =
        multiRegion(trail("stopped", false, true, true), trail("reads", true, true, false));
    assertThat(results)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(ResultStatus.FAIL);
              assertThat(r.evidence())
                  .contains("stopped is not logging")
                  .contains("reads misses write management events");
            });
  }

  @Test
  void unknownTrailsAreUnknown() {
    var inventory = Inventory.builder("123456789012").regions(List.of("eu-west-1")).build();
    assertThat(new NoMultiRegionTrailRule().evaluate(inventory, RuleParameters.defaults()))
        .extracting(RuleResult::status)
        .containsExactly(ResultStatus.UNKNOWN);
    assertThat(new LogFileValidationOffRule().evaluate(inventory, RuleParameters.defaults()))
        .extracting(RuleResult::status)
        .containsExactly(ResultStatus.UNKNOWN);
  }

  @Test
  void logFileValidationIsJudgedPerTrail() {
    var inventory =
        Inventory.builder("123456789012")
            .regions(List.of("eu-west-1"))
            .known(
                Trails.class,
                "eu-west-1",
                new Trails(
                    List.of(
                        new Trails.Trail(
                            "off",
                            "arn:aws:cloudtrail:eu-west-1:123456789012:trail/off",
                            "eu-west-1",
                            false,
                            false,
                            false),
                        new Trails.Trail(
                            "on",
                            "arn:aws:cloudtrail:eu-west-1:123456789012:trail/on",
                            "eu-west-1",
                            true,
                            false,
                            true),
                        // IncludeShadowTrails=false ignored: a shadow copy of a trail homed
                        // elsewhere, and another account's organization trail
                        new Trails.Trail(
                            "shadow",
                            "arn:aws:cloudtrail:us-east-1:123456789012:trail/shadow",
                            "us-east-1",
                            true,
                            false,
                            false),
                        new Trails.Trail(
                            "org",
                            "arn:aws:cloudtrail:eu-west-1:111122223333:trail/org",
                            "eu-west-1",
                            true,
                            true,
                            false))))
            .build();
    var results = new LogFileValidationOffRule().evaluate(inventory, RuleParameters.defaults());
    assertThat(results.stream().filter(r -> r.status() == ResultStatus.FAIL))
        .extracting(r -> r.resource().id())
        .containsExactly("off");
    assertThat(results.stream().filter(r -> r.status() == ResultStatus.PASS))
        .extracting(r -> r.resource().id())
        .containsExactly("on");
  }
}
