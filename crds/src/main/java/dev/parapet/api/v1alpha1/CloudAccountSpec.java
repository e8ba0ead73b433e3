package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which AWS account to scan, how to authenticate, and how often. */
@JsonClassDescription("Which AWS account to scan, how to authenticate, and how often.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudAccountSpec(
    @Default("aws") @JsonPropertyDescription("Cloud provider. Only aws is supported.")
        Provider provider,
    @Required
        @Pattern("^[0-9]{12}$")
        @JsonPropertyDescription(
            "The 12-digit AWS account id. The scan stops if the credentials resolve to another account.")
        String accountId,
    @JsonPropertyDescription(
            "Regions to scan, e.g. [eu-west-1, ap-northeast-1]. Empty means every region enabled for the account.")
        List<String> regions,
    @JsonPropertyDescription(
            "How to obtain credentials. Omit to use the operator's default chain (IRSA, EKS Pod Identity, instance profile, environment).")
        Credentials credentials,
    @JsonPropertyDescription("Scan schedule and scope.") Scan scan,
    @Pattern("^https?://.+")
        @JsonPropertyDescription(
            "Override the AWS endpoint for every service, e.g. an emulator or a private endpoint. Leave empty for AWS.")
        String endpointOverride,
    @JsonPropertyDescription(
            "Where else the account's Findings go. Off unless enabled, e.g. securityHub: {enabled: true}.")
        Export export,
    @JsonPropertyDescription(
            "The write role remediation assumes (only used when a PosturePolicy sets"
                + " remediation.mode Apply). The annotation parapet.dev/remediation-stop=true on"
                + " this CloudAccount stops every remediation action at once.")
        Remediation remediation,
    @JsonPropertyDescription(
            "Near-real-time re-evaluation: an SQS queue that an EventBridge rule fills with the"
                + " account's CloudTrail management events (deploy/aws template, EventQueue=true)."
                + " The leader long-polls it and re-checks only what each event can have changed;"
                + " the periodic scan still runs. Omit to only scan on the interval.")
        Events events) {

  /** A spec with exports and a remediation role, without an event queue. */
  public CloudAccountSpec(
      Provider provider,
      String accountId,
      List<String> regions,
      Credentials credentials,
      Scan scan,
      String endpointOverride,
      Export export,
      Remediation remediation) {
    this(
        provider,
        accountId,
        regions,
        credentials,
        scan,
        endpointOverride,
        export,
        remediation,
        null);
  }

  /** A spec with exports and without a remediation role. */
  public CloudAccountSpec(
      Provider provider,
      String accountId,
      List<String> regions,
      Credentials credentials,
      Scan scan,
      String endpointOverride,
      Export export) {
    this(provider, accountId, regions, credentials, scan, endpointOverride, export, null);
  }

  /** A spec without exports (every account before the export option existed). */
  public CloudAccountSpec(
      Provider provider,
      String accountId,
      List<String> regions,
      Credentials credentials,
      Scan scan,
      String endpointOverride) {
    this(provider, accountId, regions, credentials, scan, endpointOverride, null);
  }

  /** The SQS queue of the account's CloudTrail events (EventBridge rule target). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Events(
      @Required
          @Pattern(
              "^(arn:aws[a-z-]*:sqs:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}"
                  + "|https?://[^\\s/]+/[0-9]{12}/[A-Za-z0-9_-]{1,80})$")
          @JsonPropertyDescription(
              "The queue, as an ARN (arn:aws:sqs:eu-west-1:123456789012:parapet-events) or a URL"
                  + " (https://sqs.eu-west-1.amazonaws.com/123456789012/parapet-events). The scan"
                  + " credentials need sqs:ReceiveMessage, DeleteMessage, ChangeMessageVisibility"
                  + " and GetQueueAttributes on it.")
          String queue,
      @Min(0)
          @Max(60)
          @JsonPropertyDescription(
              "Seconds to gather a burst before re-checking: events within the window that touch"
                  + " the same dataset and region cause one re-collection. Default 2.")
          Integer coalesceSeconds,
      @Default("false")
          @JsonPropertyDescription("When true, the queue is not polled (messages wait in it).")
          Boolean suspend) {}

  /** The separate write role remediation assumes, with the scan's ExternalId and base identity. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Remediation(
      @Required
          @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$")
          @JsonPropertyDescription(
              "ARN of the remediation write role, e.g."
                  + " arn:aws:iam::123456789012:role/parapet-remediate (deploy/aws template,"
                  + " EnableRemediationRole=true).")
          String roleArn) {}

  /** Cloud providers. */
  public enum Provider {
    @JsonProperty("aws")
    AWS
  }

  /** At most one of assumeRole and secretRef; none means the default credential chain. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!(has(self.assumeRole) && has(self.secretRef))",
      message = "set at most one of assumeRole and secretRef")
  public record Credentials(
      @JsonPropertyDescription(
              "Assume an IAM role in the account (recommended), trusted by the operator's own identity.")
          AssumeRole assumeRole,
      @JsonPropertyDescription(
              "Static access keys from a Secret in this namespace (not recommended: long-lived keys).")
          SecretRef secretRef) {}

  /** STS AssumeRole parameters. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!(has(self.externalId) && has(self.externalIdSecretRef))",
      message = "set at most one of externalId and externalIdSecretRef")
  public record AssumeRole(
      @Required
          @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$")
          @JsonPropertyDescription(
              "ARN of the read-only scan role, e.g. arn:aws:iam::123456789012:role/parapet-scan.")
          String roleArn,
      @JsonPropertyDescription("The ExternalId the role's trust policy requires, inline.")
          String externalId,
      @JsonPropertyDescription("The ExternalId, read from a Secret key in this namespace.")
          SecretKeySelector externalIdSecretRef,
      @Pattern("^[\\w+=,.@-]{2,64}$")
          @JsonPropertyDescription(
              "Role session name shown in CloudTrail. Defaults to parapet-<accountId>.")
          String sessionName,
      @Min(900)
          @Max(43200)
          @JsonPropertyDescription(
              "Session duration in seconds (900-43200). Credentials are refreshed before they expire.")
          Integer durationSeconds) {}

  /** Static keys from a Secret. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SecretRef(
      @Required @JsonPropertyDescription("Name of the Secret in this namespace.") String name,
      @Default("aws_access_key_id") @JsonPropertyDescription("Key holding the access key id.")
          String accessKeyIdKey,
      @Default("aws_secret_access_key")
          @JsonPropertyDescription("Key holding the secret access key.")
          String secretAccessKeyKey,
      @JsonPropertyDescription("Optional key holding a session token.") String sessionTokenKey) {}

  /** Scan schedule and service scope. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.interval) || (self.interval != '' && duration(self.interval) >= duration('1m'))",
      message = "interval must be at least 1m, e.g. 30m, 6h or 1h30m")
  public record Scan(
      @Default("6h")
          @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
          @JsonPropertyDescription("Time between scans, e.g. 30m, 6h, 1h30m. Minimum 1m.")
          String interval,
      @JsonPropertyDescription("When true, no scans run; existing findings are kept as they are.")
          Boolean suspend,
      @JsonPropertyDescription(
              "AWS services to scan, e.g. include [ec2, s3]: only rules of in-scope services run and only their APIs are called (besides the identity and region lookups every scan makes). Exclude wins over include. Empty scans every service.")
          Services services,
      @JsonPropertyDescription(
              "Which resources resource-level rules judge, by AWS tag, e.g. include [{key: env, values: [prod]}], exclude [{key: parapet.dev/skip}]. Account-level rules (password policy, EBS default encryption, ...) are unaffected. A resource whose tags could not be read is judged as if it were in the target, and its evidence says so. Findings of a resource that leaves the target are resolved. Empty judges every resource.")
          Targets targets) {

    /** A scan without tag targets (every resource). */
    public Scan(String interval, Boolean suspend, Services services) {
      this(interval, suspend, services, null);
    }
  }

  /**
   * Scan targets by tag: a resource is in the target when {@code include} is empty or one of its
   * entries matches the resource's tags, and no {@code exclude} entry matches them.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Targets(
      @Size(max = 50)
          @JsonPropertyDescription(
              "Judge only resources carrying one of these tags (any entry matches). Empty means every resource.")
          List<TagMatch> include,
      @Size(max = 50)
          @JsonPropertyDescription(
              "Never judge resources carrying one of these tags; wins over include.")
          List<TagMatch> exclude) {}

  /** One tag criterion: the key, and one of the values when values are given. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @ValidationRule(
      value = "!has(self.values) || self.values.all(v, size(v) <= 256)",
      message = "a tag value is at most 256 characters")
  public record TagMatch(
      @Required
          @Size(min = 1, max = 128)
          @JsonPropertyDescription("The tag key, exact and case-sensitive, e.g. env.")
          String key,
      @Size(max = 50)
          @JsonPropertyDescription(
              "Tag values, exact and case-sensitive; one of them must match. Empty or omitted: any value of the key.")
          List<String> values) {}

  /**
   * Service scope: exclude wins over include. The lists stay strings in Java so that a value an
   * older CRD let through still reaches the operator, which reports it in status instead of failing
   * to read the object; the schema restricts the items to {@link AwsService}.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Services(
      @SchemaFrom(type = AwsService[].class)
          @JsonPropertyDescription(
              "Only these services: accessanalyzer, cloudtrail, cloudwatch, config, ec2, ecr, efs, eks,"
                  + " elb, guardduty, iam, kms, lambda, rds, s3, secretsmanager, securityhub, sns, sqs."
                  + " Empty means every service.")
          List<String> include,
      @SchemaFrom(type = AwsService[].class)
          @JsonPropertyDescription("Never these services; wins over include.")
          List<String> exclude) {}

  /** Exports of the account's Findings to other tools; each is off unless enabled. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Export(
      @JsonPropertyDescription(
              "Send the account's Findings to AWS Security Hub (BatchImportFindings, ASFF) after each scan. The scan credentials then also need deploy/aws/securityhub-export-policy.json.")
          SecurityHubExport securityHub) {}

  /** Security Hub export: opt-in, into one region of the scanned account. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.region) || (has(self.enabled) && self.enabled)",
      message = "region is used only with enabled: true; set enabled: true or remove region")
  public record SecurityHubExport(
      @Default("false")
          @JsonPropertyDescription(
              "Import the account's Findings into Security Hub after each scan (leader only). Default false.")
          Boolean enabled,
      @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$")
          @JsonPropertyDescription(
              "Security Hub region to import into, e.g. ap-northeast-1 (Security Hub must be enabled there). Defaults to the first of spec.regions, else us-east-1.")
          String region) {

    /** True when the export is switched on. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean on() {
      return Boolean.TRUE.equals(enabled);
    }
  }

  /** The AWS services Parapet scans (it has collectors for), as spec.scan.services names them. */
  public enum AwsService {
    @JsonProperty("accessanalyzer")
    ACCESSANALYZER,
    @JsonProperty("cloudtrail")
    CLOUDTRAIL,
    @JsonProperty("cloudwatch")
    CLOUDWATCH,
    @JsonProperty("config")
    CONFIG,
    @JsonProperty("ec2")
    EC2,
    @JsonProperty("ecr")
    ECR,
    @JsonProperty("efs")
    EFS,
    @JsonProperty("eks")
    EKS,
    @JsonProperty("elb")
    ELB,
    @JsonProperty("guardduty")
    GUARDDUTY,
    @JsonProperty("iam")
    IAM,
    @JsonProperty("kms")
    KMS,
    @JsonProperty("lambda")
    LAMBDA,
    @JsonProperty("rds")
    RDS,
    @JsonProperty("s3")
    S3,
    @JsonProperty("secretsmanager")
    SECRETSMANAGER,
    @JsonProperty("securityhub")
    SECURITYHUB,
    @JsonProperty("sns")
    SNS,
    @JsonProperty("sqs")
    SQS;

    /** The name used in spec.scan.services, e.g. ec2. */
    public String wireValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
