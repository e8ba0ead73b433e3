package dev.parapet.operator.shard;

/**
 * Whether this replica may still write the Findings of a CloudAccount: the one check every write of
 * an account's Findings goes through ({@code findings.FindingWriter}'s {@code sync}, {@code
 * syncActivity}, {@code annotate}, {@code recordRemediations} and {@code deleteAll} ask it, once
 * per call that has something to write, for the account behind the scope), so scans, event
 * re-evaluations, remediation, the Security Hub export marks, activity findings and a deleted
 * account's cleanup are fenced alike and no caller keeps a copy of the check. The operator's
 * implementation ({@link LeaseWriteFence}) asks the shard Lease when sharded and the leader Lease
 * otherwise.
 *
 * <p>A fenced write throws {@link Fenced} before anything is written; the caller drops its result
 * (a scan) or leaves its input for the account's next holder (event messages stay in the queue).
 */
@FunctionalInterface
public interface WriteFence {

  /** No fence: a single writer (tests, benchmarks, tools). */
  WriteFence OPEN = (namespace, name) -> true;

  /** True while this replica may write the Findings of CloudAccount {@code namespace/name}. */
  boolean holds(String namespace, String name);

  /** The write was refused: another replica holds the account now, or may soon. */
  final class Fenced extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Fenced(String namespace, String name) {
      super(
          "this replica no longer holds CloudAccount "
              + namespace
              + "/"
              + name
              + ": its Findings are left to the holder");
    }
  }
}
