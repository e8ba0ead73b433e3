package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the operator observed about a CloudAccount: conditions, identity, last scan, counts. */
@JsonClassDescription(
    "What the operator observed: conditions, identity, the last scan and finding counts.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudAccountStatus(
    @JsonPropertyDescription("The .metadata.generation the status reflects.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "Ready, CredentialsValid, ScanSucceeded and Degraded, each with a reason and message.")
        List<Condition> conditions,
    @JsonPropertyDescription("Who the credentials resolved to (sts:GetCallerIdentity).")
        Identity identity,
    @JsonPropertyDescription(
            "Timing, volume and errors of the last completed scan. Unchanged rescans write no status: the timing fields are refreshed when anything else here changes, or once they are older than the operator's status-timing-refresh (24h by default). The metric parapet_scan_last_finished_timestamp_seconds has every scan.")
        LastScan lastScan,
    @JsonPropertyDescription(
            "When the next scheduled scan is due (RFC 3339), as of the last status write; refreshed like lastScan's timing.")
        String nextScanAt,
    @JsonPropertyDescription("Findings of this account by severity and state.")
        FindingCounts findings,
    @JsonPropertyDescription(
            "IAM actions the enabled rules need; the scan role must allow all of them.")
        List<String> requiredPermissions,
    @JsonPropertyDescription(
            "Set when the controller runs sharded (chart value controller.shards above 1): the shard this account belongs to and the replica that holds it.")
        Shard shard) {

  /** A status without shard (the controller is not sharded). */
  public CloudAccountStatus(
      Long observedGeneration,
      List<Condition> conditions,
      Identity identity,
      LastScan lastScan,
      String nextScanAt,
      FindingCounts findings,
      List<String> requiredPermissions) {
    this(
        observedGeneration,
        conditions,
        identity,
        lastScan,
        nextScanAt,
        findings,
        requiredPermissions,
        null);
  }

  /** This status with {@code shard} in place of its own. */
  public CloudAccountStatus withShard(Shard shard) {
    return new CloudAccountStatus(
        observedGeneration,
        conditions,
        identity,
        lastScan,
        nextScanAt,
        findings,
        requiredPermissions,
        shard);
  }

  /** Which shard the account is in and who scans it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Shard(
      @JsonPropertyDescription("The shard number, from 0: a stable hash of namespace/name.")
          Integer index,
      @JsonPropertyDescription("How many shards there are.") Integer count,
      @JsonPropertyDescription(
              "The controller replica (pod name) holding the shard's Lease when the status was written.")
          String holder) {}

  /** The caller identity of the scan credentials. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Identity(
      @JsonPropertyDescription("ARN of the principal the credentials resolved to.") String arn,
      @JsonPropertyDescription("Account id of that principal.") String accountId) {}

  /** The last completed scan. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LastScan(
      @JsonPropertyDescription("When the scan started (RFC 3339).") String startedAt,
      @JsonPropertyDescription("When the scan finished (RFC 3339).") String finishedAt,
      @JsonPropertyDescription("Wall time of the scan in seconds.") Double durationSeconds,
      @JsonPropertyDescription("AWS API calls the scan made, retries included.") Long apiCalls,
      @JsonPropertyDescription("Resources inventoried.") Long resources,
      @JsonPropertyDescription("Per-region outcome.") List<RegionState> regions,
      @JsonPropertyDescription(
              "Services or regions that could not be read; their rules were UNKNOWN and their findings left untouched.")
          List<ScanError> errors) {}

  /** The outcome of one region. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RegionState(
      @JsonPropertyDescription("Region name, or global for account-wide services.") String name,
      @JsonPropertyDescription("Scanned, Partial (some services unreadable) or Failed.")
          String state,
      @JsonPropertyDescription("Why the region was Partial or Failed.") String error) {}

  /** A service or region that could not be read. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScanError(
      @JsonPropertyDescription("AWS service, e.g. ec2, s3, iam.") String service,
      @JsonPropertyDescription("Region, or global.") String region,
      @JsonPropertyDescription("AccessDenied, Throttled, Timeout, Unsupported or Error.")
          String reason,
      @JsonPropertyDescription("Details from the AWS error, never a credential.") String message) {}

  /** Counts of this account's findings. */
  public record FindingCounts(
      @JsonPropertyDescription("Open critical findings.") int critical,
      @JsonPropertyDescription("Open high findings.") int high,
      @JsonPropertyDescription("Open medium findings.") int medium,
      @JsonPropertyDescription("Open low findings.") int low,
      @JsonPropertyDescription("Open informational findings.") int informational,
      @JsonPropertyDescription("Findings suppressed by a policy exception.") int suppressed,
      @JsonPropertyDescription(
              "All failing results of the last scan, including any beyond the per-account cap.")
          int total,
      @JsonPropertyDescription(
              "Failing results not written as Finding objects because of the per-account cap.")
          int truncated) {}
}
