package dev.parapet.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every Parapet setting in one typed interface (prefix {@code parapet}). */
@ConfigMapping(prefix = "parapet")
public interface ParapetConfig {

  /** Which parts of the application run: controller, webhook or all (env PARAPET_ROLE). */
  @WithDefault("all")
  Role role();

  /** Scanning of cloud accounts. */
  Scan scan();

  /** The Finding writer. */
  Findings findings();

  /** Cluster audit of existing workloads. */
  Audit audit();

  /** Leader election between controller replicas. */
  @WithName("leader-election")
  LeaderElection leaderElection();

  /** Auto-remediation (PosturePolicy spec.remediation). */
  Remediation remediation();

  /** Event-driven re-evaluation from CloudAccount spec.events queues. */
  Events events();

  /** Event queue polling settings. */
  interface Events {
    /** Threads polling all accounts' queues; pollers take turns when accounts outnumber them. */
    @WithDefault("8")
    int threads();

    /** Long-poll wait of sqs:ReceiveMessage in seconds (0-20). */
    @WithName("wait-seconds")
    @WithDefault("20")
    int waitSeconds();

    /** Coalescing window when a CloudAccount sets no spec.events.coalesceSeconds. */
    @WithName("default-coalesce")
    @WithDefault("2s")
    Duration defaultCoalesce();

    /** Seconds a failed message stays hidden, times its receive count (at most 900). */
    @WithName("retry-backoff-seconds")
    @WithDefault("10")
    int retryBackoffSeconds();

    /** Wait before polling again after a queue error (missing queue, AccessDenied). */
    @WithName("error-backoff")
    @WithDefault("30s")
    Duration errorBackoff();
  }

  /** Sharding of CloudAccounts across controller replicas (issue 19). */
  Shards shards();

  /**
   * Sharding settings. With {@code count} 1 (the default) nothing changes: one Lease, JOSDK's
   * leader election, the leader reconciles everything. With more, every replica runs the
   * reconcilers, holds the Leases of the shards assigned to it ({@code <lease-name>-shard-<i>}) and
   * scans only the CloudAccounts of those shards; the singletons (cluster audit, report writer,
   * PosturePolicy status) run on the holder of {@code <lease-name>}. Needs leader election enabled.
   */
  interface Shards {
    /** Number of shards (chart value controller.shards). */
    @WithDefault("1")
    int count();

    /** How long a shard Lease (and the singleton Lease, when sharding) lasts without renewal. */
    @WithName("lease-duration")
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the holder keeps trying to renew before it gives a Lease up. */
    @WithName("renew-deadline")
    @WithDefault("10s")
    Duration renewDeadline();

    /** Time between tries to acquire or renew, and between membership heartbeats. */
    @WithName("retry-period")
    @WithDefault("2s")
    Duration retryPeriod();
  }

  /** Remediation settings. */
  interface Remediation {
    /**
     * The kill switch (chart value remediation.killSwitch): when true no remediation action runs,
     * not even a DryRun plan; every covered Finding says so.
     */
    @WithName("kill-switch")
    @WithDefault("false")
    boolean killSwitch();

    /** Wait after a failed action before it is tried again; doubles per failure, up to 24h. */
    @WithName("failure-backoff")
    @WithDefault("30m")
    java.time.Duration failureBackoff();
  }

  /** Application roles. */
  enum Role {
    controller,
    webhook,
    all;

    /** True when reconcilers, scans and the audit run in this role. */
    public boolean runsController() {
      return this != webhook;
    }
  }

  /** Scan settings. */
  interface Scan {
    /** How many accounts are scanned at the same time (one scan per account at most). */
    @WithDefault("4")
    int concurrency();

    /** Interval used when a CloudAccount sets none. */
    @WithName("default-interval")
    @WithDefault("6h")
    Duration defaultInterval();

    /** Shortest interval accepted; shorter spec values are raised to it. */
    @WithName("min-interval")
    @WithDefault("1m")
    Duration minInterval();

    /**
     * Safety net: every CloudAccount is reconciled at least this often even without events (a
     * deletion event can be lost while a reconcile is in flight, see versions.md).
     */
    @WithName("max-reconciliation-interval")
    @WithDefault("10m")
    Duration maxReconciliationInterval();

    /**
     * How long the timing in a CloudAccount status ({@code lastScan} start, finish and duration,
     * {@code nextScanAt}) may lag when nothing else changed. A rescan with the same results writes
     * no status until the recorded timing is this old, so steady state costs no writes.
     */
    @WithName("status-timing-refresh")
    @WithDefault("24h")
    Duration statusTimingRefresh();

    /**
     * Most jitter added to an account's interval: a stable fraction (from a hash of the account) of
     * the smaller of this and a tenth of the interval, so accounts created together drift apart and
     * stay apart. After a restart or shard move, accounts overdue by their persisted status start
     * spread over the smaller of this and the interval. 0 turns both off.
     */
    @WithDefault("5m")
    Duration jitter();

    /**
     * AWS API requests per second per account, service and region (token bucket; every attempt,
     * retries included). 0 means unlimited.
     */
    @WithName("api-rate")
    @WithDefault("20")
    double apiRate();

    /** Burst of the API token bucket: requests that may go at once after a quiet spell. */
    @WithName("api-burst")
    @WithDefault("40")
    int apiBurst();
  }

  /** Finding writer settings. */
  interface Findings {
    /** How long a Resolved finding is kept before it is deleted. */
    @WithDefault("168h")
    Duration retention();

    /** Most Finding objects written per CloudAccount; the true total is in status. */
    @WithName("max-per-account")
    @WithDefault("2000")
    int maxPerAccount();

    /** Longest evidence message stored in a Finding, in characters. */
    @WithName("max-message-length")
    @WithDefault("600")
    int maxMessageLength();
  }

  /** Cluster audit settings. */
  interface Audit {
    /** Whether the controller audits existing workloads with the admission rules. */
    @WithDefault("true")
    boolean enabled();

    /** Time between full audits; changes to workloads are audited as they happen too. */
    @WithDefault("10m")
    Duration interval();

    /** Namespaces never audited in addition to what policies exclude. */
    @WithName("excluded-namespaces")
    @WithDefault("kube-system")
    List<String> excludedNamespaces();
  }

  /** OpenReports Report / PolicyReport output (issue 17). */
  Reports reports();

  /** Report writer settings. */
  interface Reports {
    /** Write a report per namespace from its Findings (the chart's reports.enabled). */
    @WithDefault("false")
    boolean enabled();

    /** Which APIs to write: openreports (Report), policyreport (wgpolicyk8s.io), or both. */
    @WithDefault("openreports")
    List<String> formats();

    /** How long Finding changes in a namespace are gathered before its reports are written. */
    @WithDefault("5s")
    Duration debounce();

    /** Largest report object, in bytes of JSON; more results go into further reports. */
    @WithName("max-object-bytes")
    @WithDefault("800000")
    int maxObjectBytes();
  }

  /** Leader election settings (a Lease in the pod namespace). */
  interface LeaderElection {
    /** Enabled in the chart's controller role; off for local runs. */
    @WithDefault("false")
    boolean enabled();

    /** Name of the Lease. */
    @WithName("lease-name")
    @WithDefault("parapet-controller")
    String leaseName();

    /** Namespace of the Lease; empty means the pod's own namespace. */
    @WithName("lease-namespace")
    Optional<String> leaseNamespace();

    /**
     * Holder identity written into the Lease: the pod name (the chart passes POD_NAME), so {@code
     * kubectl get lease} names the leading pod. Empty falls back to JOSDK's HOSTNAME, then a UUID.
     */
    @WithName("identity")
    Optional<String> identity();

    /**
     * Exit the process when leadership is lost (JOSDK's default: the pod restarts as a standby).
     * Tests turn it off because an exit would end the test JVM.
     */
    @WithName("exit-on-stop-leading")
    @WithDefault("true")
    boolean exitOnStopLeading();
  }
}
