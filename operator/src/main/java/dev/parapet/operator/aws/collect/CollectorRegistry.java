package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.Dataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one list of collectors. Add a service by appending its {@code all()} here. */
public final class CollectorRegistry {
  private final Map<Class<? extends Dataset>, Collector<?>> byType = new LinkedHashMap<>();

  private CollectorRegistry(List<Collector<?>> collectors) {
    for (var c : collectors) {
      if (byType.putIfAbsent(c.type(), c) != null) {
        throw new IllegalStateException("two collectors for " + c.type().getName());
      }
    }
  }

  public static CollectorRegistry defaults() {
    var all = new ArrayList<Collector<?>>();
    all.addAll(Ec2Collector.all());
    all.addAll(S3Collector.all());
    all.addAll(IamCollector.all());
    all.addAll(CloudTrailCollector.all());
    all.addAll(KmsCollector.all());
    all.addAll(RdsCollector.all());
    all.addAll(ElbCollector.all());
    all.addAll(ContainerLambdaCollector.all());
    all.addAll(SqsSnsCollector.all());
    all.addAll(SecretsGuardDutyCollector.all());
    return new CollectorRegistry(all);
  }

  /** A registry over the given collectors (tests, benchmarks). */
  public static CollectorRegistry of(List<Collector<?>> collectors) {
    return new CollectorRegistry(collectors);
  }

  /** The collector of a dataset; fails loudly when a rule reads a dataset nobody collects. */
  public Collector<?> forType(Class<? extends Dataset> type) {
    var c = byType.get(type);
    if (c == null) {
      throw new IllegalStateException("no collector registered for " + type.getName());
    }
    return c;
  }

  public List<Collector<?>> all() {
    return List.copyOf(byType.values());
  }
}
