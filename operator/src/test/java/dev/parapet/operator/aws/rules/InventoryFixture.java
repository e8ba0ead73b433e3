package dev.parapet.operator.aws.rules;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Inventory;
import dev.parapet.operator.aws.inventory.UnknownReason;
import java.time.Instant;
import java.util.List;

/**
 * Builds in-memory inventories for rule tests (no cloud, no framework, milliseconds): pick regions,
 * put known datasets, mark others unknown with a reason.
 */
public final class InventoryFixture {
  public static final String ACCOUNT = "123456789012";
  public static final String REGION = "eu-west-1";
  public static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private final Inventory.Builder builder;

  private InventoryFixture(String... regions) {
    this.builder = Inventory.builder(ACCOUNT).regions(List.of(regions)).collectedAt(NOW);
  }

  /** An inventory of {@link #ACCOUNT} over the given regions ({@link #REGION} when none). */
  public static InventoryFixture regions(String... regions) {
    return new InventoryFixture(regions.length == 0 ? new String[] {REGION} : regions);
  }

  public <D extends Dataset> InventoryFixture with(D dataset) {
    return with(REGION, dataset);
  }

  @SuppressWarnings("unchecked")
  public <D extends Dataset> InventoryFixture with(String region, D dataset) {
    builder.put((Class<D>) dataset.getClass(), region, Fact.known(dataset));
    return this;
  }

  public InventoryFixture unknown(Class<? extends Dataset> type, UnknownReason reason) {
    return unknown(type, REGION, reason);
  }

  public InventoryFixture unknown(
      Class<? extends Dataset> type, String region, UnknownReason reason) {
    var error =
        new CollectionError(
            Datasets.service(type),
            Datasets.isGlobal(type) ? Datasets.GLOBAL : region,
            "Fixture",
            reason,
            "injected by the fixture");
    builder.put(cast(type), region, Fact.unknown(error));
    return this;
  }

  @SuppressWarnings("unchecked")
  private static <D extends Dataset> Class<D> cast(Class<?> type) {
    return (Class<D>) type;
  }

  public Inventory build() {
    return builder.build();
  }

  /** Statuses of the results, for compact assertions. */
  public static List<ResultStatus> statuses(List<RuleResult> results) {
    return results.stream().map(RuleResult::status).toList();
  }

  /** Resource ids of the FAIL results. */
  public static List<String> failed(List<RuleResult> results) {
    return results.stream()
        .filter(r -> r.status() == ResultStatus.FAIL)
        .map(r -> r.resource().id())
        .toList();
  }

  /** Resource ids of the PASS results. */
  public static List<String> passed(List<RuleResult> results) {
    return results.stream()
        .filter(r -> r.status() == ResultStatus.PASS)
        .map(r -> r.resource().id())
        .toList();
  }
}
