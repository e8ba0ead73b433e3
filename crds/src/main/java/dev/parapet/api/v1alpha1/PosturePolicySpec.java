package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.parapet.core.Severity;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** The desired posture: cloud rule selection, admission enforcement and exceptions. */
@JsonClassDescription(
    "The desired posture: cloud rule selection, admission enforcement and exceptions.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PosturePolicySpec(
    @JsonPropertyDescription(
            "Cloud (AWS) scanning: which accounts, rules, severities and parameters.")
        Cloud cloud,
    @JsonPropertyDescription("Admission webhook and cluster audit of workloads.")
        Admission admission,
    @JsonPropertyDescription(
            "Accepted risks: results matching an exception become Suppressed (cloud) or pass (admission) until it expires.")
        List<PolicyException> exceptions,
    @JsonPropertyDescription(
            "How findings of this policy are reported: the language of OpenReports/PolicyReport messages and Kubernetes Events.")
        Reporting reporting,
    @JsonPropertyDescription(
            "Opt-in auto-remediation of cloud findings (default Off). See docs/remediation.md.")
        Remediation remediation,
    @JsonPropertyDescription(
            "Activity findings (CloudTrail events: console login without MFA, root user activity,"
                + " logging stopped, ...) of the accounts the cloud part selects.")
        Activity activity) {

  /** A policy without an activity part. */
  public PosturePolicySpec(
      Cloud cloud,
      Admission admission,
      List<PolicyException> exceptions,
      Reporting reporting,
      Remediation remediation) {
    this(cloud, admission, exceptions, reporting, remediation, null);
  }

  /** Activity findings of the accounts the policy selects. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Activity(
      @Pattern("^([1-9][0-9]{0,3}d|[1-9][0-9]{0,5}h)$")
          @JsonPropertyDescription(
              "How long an activity finding is kept after its event, in days (30d) or hours"
                  + " (72h); then the operator deletes it. Default 30d. When several policies"
                  + " select an account, the longest retention wins.")
          String retention) {}

  /** A policy with a reporting part and without remediation. */
  public PosturePolicySpec(
      Cloud cloud, Admission admission, List<PolicyException> exceptions, Reporting reporting) {
    this(cloud, admission, exceptions, reporting, null);
  }

  /** A policy without a reporting part. */
  public PosturePolicySpec(Cloud cloud, Admission admission, List<PolicyException> exceptions) {
    this(cloud, admission, exceptions, null);
  }

  /** Reporting part of a policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Reporting(
      @JsonPropertyDescription(
              "Language of Report messages, Events and the CLI's default output: en (default) or ja. When several policies apply to an account or namespace, the first by name that sets a language wins.")
          Language language) {}

  /** Report languages. */
  public enum Language {
    @JsonProperty("en")
    EN,
    @JsonProperty("ja")
    JA
  }

  /** What remediation does: nothing (Off), show the planned call (DryRun) or make it (Apply). */
  public enum RemediationMode {
    @JsonProperty("Off")
    OFF,
    @JsonProperty("DryRun")
    DRY_RUN,
    @JsonProperty("Apply")
    APPLY
  }

  /** Opt-in auto-remediation: which rules, which accounts, what to leave alone, how many. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Remediation(
      @JsonPropertyDescription(
              "Off (default): nothing. DryRun: the exact API call Apply would make is shown on"
                  + " the Finding's status.remediation, nothing changes. Apply: the call is made"
                  + " with the CloudAccount's spec.remediation.roleArn and verified by a rescan.")
          RemediationMode mode,
      @Required
          @JsonPropertyDescription(
              "Rule ids remediation covers (exact ids). A rule without an action is ignored and"
                  + " named in the CloudAccount's Remediation condition.")
          List<String> rules,
      @JsonPropertyDescription(
              "CloudAccounts (by label) remediation applies to. Empty selects every account the"
                  + " policy's cloud part selects.")
          Selector accountSelector,
      @Pattern("^[^=]+=.*$")
          @JsonPropertyDescription(
              "AWS resource tag key=value that excludes a resource from remediation (default"
                  + " parapet.dev/no-remediate=true).")
          String excludeTag,
      @Min(0)
          @Max(1000)
          @JsonPropertyDescription(
              "At most this many actions per account per scan (default 10); findings beyond it"
                  + " wait for the next scan.")
          Integer maxActionsPerScan) {}

  /** Compliance frameworks whose rules a policy can select. */
  public enum Framework {
    @JsonProperty("cis-aws")
    CIS_AWS,
    @JsonProperty("aws-fsbp")
    AWS_FSBP
  }

  /** Cloud scanning part of a policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cloud(
      @JsonPropertyDescription(
              "CloudAccounts (by label) this part applies to. Empty selects every account.")
          Selector accountSelector,
      @JsonPropertyDescription(
              "Select every rule mapped to these frameworks: cis-aws, aws-fsbp. Empty selects every rule.")
          List<Framework> frameworks,
      @JsonPropertyDescription("Rule ids to add or remove.") RuleSelection rules,
      @JsonPropertyDescription("Severity per rule id, replacing the rule's default.")
          Map<String, Severity> severityOverrides,
      @JsonPropertyDescription("Parameters the rules read.") CloudParameters parameters) {}

  /** Parameters of cloud rules. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CloudParameters(
      @JsonPropertyDescription(
              "TCP ports that must not be open to the internet (the high-risk ports rule). Defaults to 25, 110, 135, 143, 445, 1433, 3306, 5432, 6379, 9200, 27017.")
          List<Integer> sensitivePorts,
      @Min(1) @JsonPropertyDescription("Maximum age of an active access key in days (default 90).")
          Integer maxAccessKeyAgeDays,
      @Min(1)
          @JsonPropertyDescription(
              "Days after which an unused password or access key is reported (default 45).")
          Integer unusedCredentialDays,
      @JsonPropertyDescription(
              "Also report security groups not attached to any network interface (default false).")
          Boolean includeUnusedSecurityGroups) {}

  /** Admission part of a policy. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Admission(
      @JsonPropertyDescription(
              "Deny rejects the request, Warn admits it with warnings, Audit admits it silently and records it. Default Deny.")
          Enforcement enforcement,
      @JsonPropertyDescription(
              "Enforcement per workload rule id, replacing the policy's enforcement for that rule.")
          Map<String, Enforcement> ruleEnforcement,
      @JsonPropertyDescription(
              "Namespaces (by label) this part applies to. Empty selects every namespace. kube-system and Parapet's own namespace are always exempt.")
          Selector namespaceSelector,
      @JsonPropertyDescription("Namespaces this part never applies to.")
          List<String> excludedNamespaces,
      @JsonPropertyDescription("Workload rule ids to add or remove.") RuleSelection rules,
      @JsonPropertyDescription(
              "containerPort/hostPort values that are forbidden. Defaults to 22, 23, 2375, 2376, 3389, 10250 (TCP).")
          List<PortRule> forbiddenPorts,
      @JsonPropertyDescription("Forbid pods with hostNetwork: true (default true).")
          Boolean forbidHostNetwork,
      @JsonPropertyDescription("Forbid pods with hostPID: true (default false).")
          Boolean forbidHostPID,
      @JsonPropertyDescription("Forbid pods with hostIPC: true (default false).")
          Boolean forbidHostIPC,
      @JsonPropertyDescription("Forbid Services of type NodePort (default true).")
          Boolean forbidNodePort,
      @JsonPropertyDescription(
              "Accept LoadBalancer Services annotated as internal even when they expose a forbidden port (default false).")
          Boolean allowInternalLoadBalancers,
      @JsonPropertyDescription("Embedded credential detection.") CredentialScan credentials,
      @JsonPropertyDescription(
              "On UPDATE, a violation already present in the old object: Block treats it like a new one, Allow reports it as a warning without blocking (default Allow).")
          UpdatePolicy existingViolationsOnUpdate,
      @JsonPropertyDescription(
              "Pod Security Standards level (Kubernetes v1.34) whose controls are checked as workload rules pss-*: privileged (none, the default), baseline, or restricted (baseline and restricted).")
          PodSecurityLevel podSecurityLevel) {}

  /** How UPDATE requests treat violations that the old object already had. */
  public enum UpdatePolicy {
    @JsonProperty("Block")
    BLOCK,
    @JsonProperty("Allow")
    ALLOW
  }

  /** A forbidden port or port range. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.endPort) || self.endPort >= self.port",
      message = "endPort must be greater than or equal to port")
  public record PortRule(
      @Required
          @Min(1)
          @Max(65535)
          @JsonPropertyDescription("The port, or the first port of a range.")
          Integer port,
      @Min(1)
          @Max(65535)
          @JsonPropertyDescription("The last port of an inclusive range; omit for a single port.")
          Integer endPort,
      @Pattern("^(TCP|UDP|SCTP)$")
          @JsonPropertyDescription("TCP, UDP or SCTP. Omit to match every protocol.")
          String protocol) {}

  /** Where and how to look for embedded credentials. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CredentialScan(
      @JsonPropertyDescription("Detector ids to run. Empty runs every detector.")
          List<String> detectors,
      @JsonPropertyDescription(
              "Where to look: env, args, configMaps, annotations. Empty looks everywhere.")
          List<ScanLocation> scan,
      @JsonPropertyDescription(
              "Detectors of your own, run next to the built-in ones in the same places. Each is"
                  + " validated when the policy is applied (status condition Accepted=False,"
                  + " reason InvalidSpec, names the detector and why) and runs in linear time"
                  + " (RE2 syntax).")
          List<CustomDetector> customDetectors) {

    /** Without custom detectors. */
    public CredentialScan(List<String> detectors, List<ScanLocation> scan) {
      this(detectors, scan, null);
    }
  }

  /** A user-defined credential detector: keywords, an RE2 pattern and an entropy floor. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CustomDetector(
      @Required
          @Pattern("^[a-z][a-z0-9-]{2,40}$")
          @JsonPropertyDescription(
              "Id of the detector, reported as custom:<name>; lower case, digits and dashes.")
          String name,
      @Required
          @JsonPropertyDescription(
              "Literal keywords (at least 3 characters each): a text is only matched when it"
                  + " holds one of them.")
          List<String> keywords,
      @Required
          @JsonPropertyDescription(
              "The credential as an RE2 regular expression (no backreferences or lookaround;"
                  + " guaranteed linear time). Capture group 1, if present, is the secret part;"
                  + " otherwise the whole match.")
          String regex,
      @Min(0)
          @Max(8)
          @JsonPropertyDescription(
              "Minimum Shannon entropy of the secret part, in bits per character (0-8; default"
                  + " 0, no floor).")
          Double minEntropy,
      @JsonPropertyDescription(
              "Severity shown with each match (critical, high, medium, low, informational;"
                  + " default high). The rule that reports it keeps its own severity.")
          Severity severity) {}

  /** Places a credential can hide in a workload. */
  public enum ScanLocation {
    @JsonProperty("env")
    ENV,
    @JsonProperty("args")
    ARGS,
    @JsonProperty("configMaps")
    CONFIG_MAPS,
    @JsonProperty("annotations")
    ANNOTATIONS
  }

  /** An accepted risk: which rules, where, why, who and until when. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PolicyException(
      @JsonPropertyDescription(
              "A name to refer to this exception by in status and Findings. Defaults to exceptions[<index>].")
          String name,
      @JsonPropertyDescription(
              "Rule ids the exception covers; a trailing * matches a prefix. Empty covers every rule.")
          List<String> rules,
      @Required
          @JsonPropertyDescription("What the exception matches; every given field must match.")
          Match match,
      @Required @Pattern("\\S") @JsonPropertyDescription("Why the risk is accepted. Required.")
          String reason,
      @JsonPropertyDescription("Who owns the accepted risk, e.g. a team or an email.") String owner,
      @JsonPropertyDescription("When the exception stops matching (RFC 3339). Omit for no expiry.")
          String expiresAt) {}

  /** Matching criteria of an exception. Lists match any element; maps must all match. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Match(
      @JsonPropertyDescription("AWS account ids.") List<String> accounts,
      @JsonPropertyDescription("AWS regions.") List<String> regions,
      @JsonPropertyDescription("Resource ARNs; * and ? are globs.") List<String> resourceArns,
      @JsonPropertyDescription("AWS resource tags that must all be present with these values.")
          Map<String, String> tags,
      @JsonPropertyDescription("Kubernetes namespaces.") List<String> namespaces,
      @JsonPropertyDescription("Kubernetes object names; * and ? are globs.") List<String> names,
      @JsonPropertyDescription("Kubernetes labels that must all be present with these values.")
          Map<String, String> labels) {}
}
