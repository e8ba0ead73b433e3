package dev.parapet.operator.aws.bench;

import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.shard.ShardAssignment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * One controller replica of {@link AccountScaleBenchmark#shards}, in a JVM of its own: as the
 * operator, one client factory and one engine, and the accounts of its shard by the operator's own
 * hash ({@link ShardAssignment#shardOf}, account {@code i} being CloudAccount {@code
 * bench/account-i}). It warms up on accounts of no shard, says {@code READY}, waits for a line on
 * stdin (so every replica starts its cycle at the same moment), scans its accounts once and prints
 * one {@code RESULT} line. Arguments: endpoint, shard, shard count, accounts, scan concurrency.
 */
final class ShardReplica {
  static final String NAMESPACE = "bench";

  private ShardReplica() {}

  static String name(int i) {
    return "account-" + i;
  }

  static int[] accountsOf(int shard, int shards, int accounts) {
    return IntStream.range(0, accounts)
        .filter(i -> ShardAssignment.shardOf(NAMESPACE, name(i), shards) == shard)
        .toArray();
  }

  public static void main(String[] args) throws Exception {
    var endpoint = URI.create(args[0]);
    var shard = Integer.parseInt(args[1]);
    var shards = Integer.parseInt(args[2]);
    var accounts = Integer.parseInt(args[3]);
    var concurrency = Integer.parseInt(args[4]);
    var mine = accountsOf(shard, shards, accounts);
    try (var factory = new AwsClientFactory(ClientSettings.defaults())) {
      var engine = new ScanEngine(factory);
      // Warm-up (JIT, clients) on accounts beyond the measured ones, not measured.
      var warmUp = IntStream.range(accounts + 1000, accounts + 1000 + concurrency).toArray();
      var w = AccountScaleBenchmark.cycle(engine, () -> 0, endpoint, warmUp, concurrency);
      w.profiles().forEach((profile, n) -> System.err.println("warm-up " + profile.line(n)));
      System.out.println("READY");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      var c = AccountScaleBenchmark.cycle(engine, () -> 0, endpoint, mine, concurrency);
      // What the accounts did, grouped by profile (calls by operation and errors), before RESULT.
      c.profiles().forEach((profile, n) -> System.out.println(profile.line(n)));
      System.out.println(
          String.format(
              Locale.ROOT,
              "RESULT shard=%d accounts=%d wallMs=%d calls=%d attempts=%d errors=%d results=%d"
                  + " cpuMs=%d scanCpuMs=%d peakHeapMiB=%d gcMs=%d liveHeapMiB=%d clients=%d",
              shard,
              c.accounts(),
              c.wallMs(),
              c.calls(),
              c.attempts(),
              c.errors(),
              c.results(),
              c.processCpuMs(),
              c.scanThreadsCpuMs(),
              c.peakHeapMiB(),
              c.gcMs(),
              c.liveHeapMiB(),
              factory.sharedClients()));
      System.out.flush();
      if (!c.callsByOperation().isEmpty()) {
        // One account: its calls by operation, to the replica's log.
        System.err.println("calls by operation: " + c.callsByOperation());
      }
    }
    System.exit(0);
  }
}
