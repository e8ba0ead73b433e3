package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.Known;
import java.time.Instant;
import java.util.Map;

/**
 * The known datasets of one region as a rule sees them, plus ARN helpers. Only handed to rules
 * after the base class checked that the datasets they declared are known.
 */
public final class RegionView {
  private final Inventory inventory;
  private final String region;

  RegionView(Inventory inventory, String region) {
    this.inventory = inventory;
    this.region = region;
  }

  public String region() {
    return region;
  }

  public String accountId() {
    return inventory.accountId();
  }

  public String partition() {
    return inventory.partition();
  }

  public Instant now() {
    return inventory.collectedAt();
  }

  /** A declared dataset; throws if the rule did not declare it (a programming error). */
  public <D extends Dataset> D get(Class<D> type) {
    var fact = Datasets.isGlobal(type) ? inventory.global(type) : inventory.regional(type, region);
    if (fact instanceof Known<D> known) {
      return known.value();
    }
    throw new IllegalStateException(
        type.getSimpleName() + " read without being declared by the rule, or unknown");
  }

  /**
   * A dataset read only for tags ({@link RuleDefinition#tagDatasets()}): empty when it could not be
   * read, in which case resources get no tags (the scan's errors say why).
   */
  public <D extends Dataset> java.util.Optional<D> tagSource(Class<D> type) {
    var fact = Datasets.isGlobal(type) ? inventory.global(type) : inventory.regional(type, region);
    return fact instanceof Known<D> known
        ? java.util.Optional.of(known.value())
        : java.util.Optional.empty();
  }

  /**
   * A resource: {@code arn:<partition>:<service>:<region>:<account>:<suffix>}, with an empty region
   * part for global data (IAM-style ARNs).
   */
  public Resource resource(
      String type, String id, String service, String arnSuffix, Map<String, String> tags) {
    var arn =
        "arn:"
            + partition()
            + ":"
            + service
            + ":"
            + arnRegion()
            + ":"
            + accountId()
            + ":"
            + arnSuffix;
    return new Resource(type, id, arn, accountId(), region, tags);
  }

  private String arnRegion() {
    return Datasets.GLOBAL.equals(region) ? "" : region;
  }

  /** A resource whose ARN has no account part (EBS snapshots, AMIs). */
  public Resource resourceWithoutAccountInArn(
      String type, String id, String service, String arnSuffix, Map<String, String> tags) {
    var arn = "arn:" + partition() + ":" + service + ":" + arnRegion() + "::" + arnSuffix;
    return new Resource(type, id, arn, accountId(), region, tags);
  }

  /** An account-level setting of this region, named by a synthetic ARN. */
  public Resource accountSetting(String service, String setting) {
    var arn =
        "arn:"
            + partition()
            + ":"
            + service
            + ":"
            + arnRegion()
            + ":"
            + accountId()
            + ":"
            + setting;
    return new Resource("AWS::::Account", accountId(), arn, accountId(), region, Map.of());
  }
}
