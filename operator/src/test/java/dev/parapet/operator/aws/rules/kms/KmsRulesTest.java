package dev.parapet.operator.aws.rules.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.kms.KmsKeyTags;
import dev.parapet.operator.aws.inventory.kms.KmsKeys;
import dev.parapet.operator.aws.inventory.kms.KmsKeys.Details;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KMS rotation rule on in-memory inventories (moto lists no AWS-managed keys; covered here). */
class KmsRulesTest {

  private static KmsKeys.Key key(String id, Fact<Details> details) {
    return new KmsKeys.Key(id, "arn:aws:kms:eu-west-1:123456789012:key/" + id, details);
  }

  @Test
  void onlyEnabledCustomerManagedSymmetricKeysAreJudged() {
    var keys =
        new KmsKeys(
            List.of(
                key(
                    "norotate",
                    Fact.known(
                        new Details("CUSTOMER", "Enabled", "SYMMETRIC_DEFAULT", "AWS_KMS", false))),
                key(
                    "rotates",
                    Fact.known(
                        new Details("CUSTOMER", "Enabled", "SYMMETRIC_DEFAULT", "AWS_KMS", true))),
                key(
                    "awsmanaged",
                    Fact.known(
                        new Details("AWS", "Enabled", "SYMMETRIC_DEFAULT", "AWS_KMS", null))),
                key(
                    "disabled",
                    Fact.known(
                        new Details("CUSTOMER", "Disabled", "SYMMETRIC_DEFAULT", "AWS_KMS", null))),
                key(
                    "rsa",
                    Fact.known(new Details("CUSTOMER", "Enabled", "RSA_2048", "AWS_KMS", null))),
                key(
                    "imported",
                    Fact.known(
                        new Details("CUSTOMER", "Enabled", "SYMMETRIC_DEFAULT", "EXTERNAL", null))),
                key(
                    "denied",
                    Fact.unknown(
                        new CollectionError(
                            "kms",
                            "eu-west-1",
                            "DescribeKey",
                            UnknownReason.AccessDenied,
                            "key denied: AccessDeniedException")))));
    var inventory =
        Inventory.builder("123456789012")
            .regions(List.of("eu-west-1"))
            .known(KmsKeys.class, "eu-west-1", keys)
            .build();
    var results = new KeyRotationOffRule().evaluate(inventory, RuleParameters.defaults());
    assertThat(results.stream().filter(r -> r.status() == ResultStatus.FAIL))
        .extracting(r -> r.resource().id())
        .containsExactly("norotate");
    assertThat(results.stream().filter(r -> r.status() == ResultStatus.PASS))
        .extracting(r -> r.resource().id())
        .containsExactly("rotates");
    assertThat(results.stream().filter(r -> r.status() == ResultStatus.UNKNOWN))
        .extracting(RuleResult::evidence)
        .singleElement()
        .asString()
        .contains("key denied");
  }

  private static final CollectionError TAGS_DENIED =
      new CollectionError(
          "kms", "eu-west-1", "ListResourceTags", UnknownReason.AccessDenied, "denied");

  private static KmsKeys twoKeysWithoutRotation() {
    var off = Fact.known(new Details("CUSTOMER", "Enabled", "SYMMETRIC_DEFAULT", "AWS_KMS", false));
    return new KmsKeys(List.of(key("tagged", off), key("other", off)));
  }

  @Test
  void keysCarryTheirTagsAndATagReadFailureStaysWithItsKey() {
    var tags =
        new KmsKeyTags(
            Map.of(
                "tagged", Fact.known(Map.of("risk", "accepted")),
                "other", Fact.unknown(TAGS_DENIED)));
    var inventory =
        Inventory.builder("123456789012")
            .regions(List.of("eu-west-1"))
            .known(KmsKeys.class, "eu-west-1", twoKeysWithoutRotation())
            .known(KmsKeyTags.class, "eu-west-1", tags)
            .build();
    var results = new KeyRotationOffRule().evaluate(inventory, RuleParameters.defaults());
    assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(ResultStatus.FAIL));
    assertThat(results)
        .extracting(r -> r.resource().id() + "=" + r.resource().tags())
        .containsExactlyInAnyOrder("tagged={risk=accepted}", "other={}");
    assertThat(tags.partialErrors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.operation()).isEqualTo("ListResourceTags");
              assertThat(e.message()).startsWith("tags of key other unreadable").endsWith("denied");
            });
  }

  @Test
  void anUnknownTagsDatasetLeavesTheVerdictAndDropsTheTags() {
    var inventory =
        Inventory.builder("123456789012")
            .regions(List.of("eu-west-1"))
            .known(KmsKeys.class, "eu-west-1", twoKeysWithoutRotation())
            .put(KmsKeyTags.class, "eu-west-1", Fact.unknown(TAGS_DENIED))
            .build();
    var results = new KeyRotationOffRule().evaluate(inventory, RuleParameters.defaults());
    assertThat(results)
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(ResultStatus.FAIL);
              assertThat(r.resource().tags()).isEmpty();
            });
  }
}
