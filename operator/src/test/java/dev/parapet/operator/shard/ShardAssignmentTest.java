package dev.parapet.operator.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ShardAssignmentTest {

  @Test
  void anAccountsShardIsStableInRangeAndSpreadsEvenly() {
    var perShard = new HashMap<Integer, Integer>();
    for (int i = 0; i < 3000; i++) {
      var shard = ShardAssignment.shardOf("team-" + (i % 7), "account-" + i, 3);
      assertThat(shard).isBetween(0, 2);
      assertThat(ShardAssignment.shardOf("team-" + (i % 7), "account-" + i, 3)).isEqualTo(shard);
      perShard.merge(shard, 1, Integer::sum);
    }
    // 1000 expected per shard; a hash that clumps (e.g. on the common prefix) lands far outside.
    assertThat(perShard.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
    assertThat(ShardAssignment.shardOf("a", "b", 1)).isZero();
    // namespace/name, not the concatenation alone: "a/bc" and "ab/c" differ as keys
    var differ = 0;
    for (int i = 0; i < 50; i++) {
      if (ShardAssignment.shardOf("a" + i, "bc", 1000)
          != ShardAssignment.shardOf("a", i + "bc", 1000)) {
        differ++;
      }
    }
    assertThat(differ).isGreaterThan(40);
  }

  @Test
  void everyShardGoesToExactlyOneMemberAndMembersDifferByAtMostOne() {
    for (int count = 1; count <= 7; count++) {
      for (int members = 1; members <= 4; members++) {
        var alive = new TreeSet<String>();
        for (int m = 0; m < members; m++) {
          alive.add("parapet-controller-" + (char) ('a' + m));
        }
        var seen = new HashSet<Integer>();
        var sizes = new HashSet<Integer>();
        for (var me : alive) {
          Set<Integer> mine = ShardAssignment.desired(alive, me, count);
          for (var s : mine) {
            assertThat(seen.add(s)).as("shard %d assigned twice", s).isTrue();
          }
          sizes.add(mine.size());
        }
        assertThat(seen).as("%d shards over %d members", count, members).hasSize(count);
        assertThat(
                sizes.stream().mapToInt(i -> i).max().getAsInt()
                    - sizes.stream().mapToInt(i -> i).min().getAsInt())
            .isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void aReplicaMissingFromTheMembershipCountsItselfIn() {
    var alive = Set.of("b");
    assertThat(ShardAssignment.desired(alive, "a", 2)).containsExactly(0);
    assertThat(ShardAssignment.desired(Set.of(), "a", 3)).containsExactly(0, 1, 2);
  }

  @Test
  void whenAMemberGoesAwayTheOthersCoverAllItsShards() {
    var before = Set.of("a", "b", "c");
    var after = Set.of("a", "b");
    var covered = new HashSet<Integer>();
    covered.addAll(ShardAssignment.desired(after, "a", 3));
    covered.addAll(ShardAssignment.desired(after, "b", 3));
    assertThat(covered).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(ShardAssignment.desired(before, "c", 3)).containsExactly(2);
  }
}
