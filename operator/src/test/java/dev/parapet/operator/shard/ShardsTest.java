package dev.parapet.operator.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parapet.operator.config.Leadership;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.testing.CrudApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' {@link Shards} against one API (Fabric8's CRUD mock server, which keeps Leases and
 * their resourceVersions): they split the shards, one leads, fencing follows the Lease, and a
 * replica that stops hands its shards to the other. The real API server, real processes and a
 * SIGKILL are in src/test's ShardingOnRealServerTest.
 */
class ShardsTest {

  private static final String NS = "parapet-system";

  CrudApiServer api;
  KubernetesClient client;

  @BeforeEach
  void start() {
    api = CrudApiServer.start();
    client = api.client();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void twoReplicasSplitTheShardsAndOneTakesAllWhenTheOtherStops() {
    var gainedA = ConcurrentHashMap.<Integer>newKeySet();
    var leadA = new Leadership();
    var leadB = new Leadership();
    var a = new Shards(client, config("replica-a", 2), leadA);
    var b = new Shards(client, config("replica-b", 2), leadB);
    a.onChange(gainedA::add, s -> {});
    try {
      a.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> a.held().equals(Set.of(0, 1)) && leadA.leading());
      // Listeners run on the shard thread after the Lease is held.
      await().atMost(Duration.ofSeconds(5)).until(() -> gainedA.equals(Set.of(0, 1)));

      b.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> a.held().size() == 1 && b.held().size() == 1);
      assertThat(a.held()).doesNotContainAnyElementsOf(b.held());
      assertThat(leadA.leading() ^ leadB.leading()).as("exactly one leads").isTrue();
      assertThat(
              client
                  .leases()
                  .inNamespace(NS)
                  .withLabel(Shards.MEMBER_LABEL, "parapet-controller")
                  .list()
                  .getItems())
          .hasSize(2);

      // An account of a's shard: a owns it and passes the fence, b does neither.
      var name = accountIn(a.held().iterator().next());
      assertThat(a.owns("team", name)).isTrue();
      assertThat(a.stillHolds("team", name)).isTrue();
      assertThat(b.owns("team", name)).isFalse();
      assertThat(b.stillHolds("team", name)).isFalse();
      assertThat(
              client
                  .leases()
                  .inNamespace(NS)
                  .withName(a.shardLeaseName(a.held().iterator().next()))
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo("replica-a");

      // b stops (SIGTERM): it releases at once and a takes every shard.
      var bsShard = b.held().iterator().next();
      b.stop();
      assertThat(b.held()).isEmpty();
      assertThat(b.stillHolds("team", accountIn(bsShard))).isFalse();
      await().atMost(Duration.ofSeconds(20)).until(() -> a.held().equals(Set.of(0, 1)));
      assertThat(a.stillHolds("team", accountIn(bsShard))).isTrue();
      await().atMost(Duration.ofSeconds(20)).until(leadA::leading);
    } finally {
      a.stop();
      b.stop();
    }
  }

  @Test
  void withOneShardNothingIsContendedAndEverythingIsOwned() {
    var s = new Shards(client, config("replica-a", 1), new Leadership());
    s.start();
    assertThat(s.active()).isFalse();
    assertThat(s.owns("team", "any")).isTrue();
    assertThat(s.stillHolds("team", "any")).isTrue();
    assertThat(client.leases().inNamespace(NS).list().getItems()).isEmpty();
    s.stop();
  }

  private static String accountIn(int shard) {
    for (int i = 0; ; i++) {
      if (ShardAssignment.shardOf("team", "acct-" + i, 2) == shard) {
        return "acct-" + i;
      }
    }
  }

  static ParapetConfig config(String identity, int count) {
    Object leaderElection =
        proxy(
            ParapetConfig.LeaderElection.class,
            Map.of(
                "enabled",
                true,
                "leaseName",
                "parapet-controller",
                "leaseNamespace",
                Optional.of(NS),
                "identity",
                Optional.of(identity)));
    Object shards =
        proxy(
            ParapetConfig.Shards.class,
            Map.of(
                "count", count,
                "leaseDuration", Duration.ofSeconds(2),
                "renewDeadline", Duration.ofMillis(1500),
                "retryPeriod", Duration.ofMillis(200)));
    return proxy(
        ParapetConfig.class,
        Map.of(
            "role", ParapetConfig.Role.controller,
            "leaderElection", leaderElection,
            "shards", shards));
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (p, method, args) -> {
              if (!answers.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
              }
              return answers.get(method.getName());
            });
  }
}
