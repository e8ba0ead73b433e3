package dev.parapet.operator.aws.inventory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one scan collected from one AWS account: per region (and once for the account) each
 * dataset is {@link Known} or {@link Unknown}. Immutable; built by the engine, read by rules.
 */
public final class Inventory {

  private final String accountId;
  private final String partition;
  private final List<String> regions;
  private final Instant collectedAt;
  private final Map<Key, Fact<? extends Dataset>> data;

  private Inventory(Builder b) {
    this.accountId = Objects.requireNonNull(b.accountId, "accountId");
    this.partition = b.partition;
    this.regions = List.copyOf(b.regions);
    this.collectedAt = Objects.requireNonNull(b.collectedAt, "collectedAt");
    this.data = Map.copyOf(b.data);
  }

  public static Builder builder(String accountId) {
    return new Builder(accountId);
  }

  public String accountId() {
    return accountId;
  }

  /** The AWS partition used to build ARNs ({@code aws} unless configured otherwise). */
  public String partition() {
    return partition;
  }

  /** The regions that were scanned, in request order. */
  public List<String> regions() {
    return regions;
  }

  /** When collection started; rules use it as "now" for age checks, so results are repeatable. */
  public Instant collectedAt() {
    return collectedAt;
  }

  /** A regional dataset; a dataset that was not collected is unknown, never empty. */
  public <D extends Dataset> Fact<D> regional(Class<D> type, String region) {
    return lookup(type, region);
  }

  /** A global (account-wide) dataset. */
  public <D extends Dataset> Fact<D> global(Class<D> type) {
    return lookup(type, Datasets.GLOBAL);
  }

  /** The first unknown among the given datasets for a region (global ones looked up globally). */
  public Optional<CollectionError> firstUnknown(
      Iterable<Class<? extends Dataset>> types, String region) {
    for (var type : types) {
      var fact = Datasets.isGlobal(type) ? global(type) : regional(type, region);
      if (fact instanceof Unknown<?> u) {
        return Optional.of(u.error());
      }
    }
    return Optional.empty();
  }

  /** All stored facts, for counting resources and listing errors. */
  public Map<Key, Fact<? extends Dataset>> facts() {
    return data;
  }

  @SuppressWarnings("unchecked")
  private <D extends Dataset> Fact<D> lookup(Class<D> type, String region) {
    var fact = data.get(new Key(type, region));
    if (fact == null) {
      return Fact.unknown(
          new CollectionError(
              Datasets.service(type),
              region,
              "",
              UnknownReason.Error,
              type.getSimpleName() + " was not collected"));
    }
    return (Fact<D>) fact;
  }

  /** Where a fact is stored: dataset type and region ({@link Datasets#GLOBAL} for global data). */
  public record Key(Class<? extends Dataset> type, String region) {}

  /** Collects facts; the engine (or a test fixture) fills it, then {@link #build()} freezes it. */
  public static final class Builder {
    private final String accountId;
    private String partition = "aws";
    private List<String> regions = List.of();
    private Instant collectedAt = Instant.now();
    private final Map<Key, Fact<? extends Dataset>> data = new HashMap<>();

    private Builder(String accountId) {
      this.accountId = accountId;
    }

    public Builder partition(String partition) {
      this.partition = partition;
      return this;
    }

    public Builder regions(List<String> regions) {
      this.regions = List.copyOf(regions);
      return this;
    }

    public Builder collectedAt(Instant collectedAt) {
      this.collectedAt = collectedAt;
      return this;
    }

    public synchronized <D extends Dataset> Builder put(
        Class<D> type, String region, Fact<? extends D> fact) {
      data.put(new Key(type, Datasets.isGlobal(type) ? Datasets.GLOBAL : region), fact);
      return this;
    }

    public <D extends Dataset> Builder known(Class<D> type, String region, D value) {
      return put(type, region, Fact.known(value));
    }

    public synchronized Inventory build() {
      return new Inventory(this);
    }
  }
}
