package dev.parapet.operator.shard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The two pure functions of sharding: which shard a CloudAccount belongs to, and which shards a
 * replica should hold given the replicas alive.
 */
public final class ShardAssignment {

  private ShardAssignment() {}

  /**
   * The shard of the CloudAccount {@code namespace/name}: the first four bytes of the SHA-256 of
   * that key, modulo {@code count}. Stable across replicas, restarts and JVMs (no {@code hashCode}
   * of an object), and independent of the uid, so a CloudAccount recreated under the same name
   * keeps its shard.
   */
  public static int shardOf(String namespace, String name, int count) {
    if (count <= 1) {
      return 0;
    }
    try {
      var digest =
          MessageDigest.getInstance("SHA-256")
              .digest((namespace + "/" + name).getBytes(StandardCharsets.UTF_8));
      var h =
          ((digest[0] & 0xff) << 24)
              | ((digest[1] & 0xff) << 16)
              | ((digest[2] & 0xff) << 8)
              | (digest[3] & 0xff);
      return Math.floorMod(h, count);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * The shards {@code me} should hold: members sorted by identity, shard {@code i} goes to member
   * {@code i mod members}. Every replica computes the same answer from the same membership, so the
   * shards spread evenly (they differ by at most one per replica) without any negotiation; while
   * views differ (a replica joined or died a moment ago) the shard Leases keep a shard with one
   * holder at a time. A replica missing from {@code alive} (its own heartbeat failed) counts itself
   * in.
   */
  public static Set<Integer> desired(Set<String> alive, String me, int count) {
    var members = new TreeSet<>(alive);
    members.add(me);
    List<String> sorted = List.copyOf(members);
    var mine = new TreeSet<Integer>();
    for (int i = 0; i < count; i++) {
      if (sorted.get(i % sorted.size()).equals(me)) {
        mine.add(i);
      }
    }
    return mine;
  }
}
