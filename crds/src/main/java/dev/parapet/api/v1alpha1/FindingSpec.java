package dev.parapet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.parapet.core.Severity;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** What failed, where, the evidence and the fix. Contains no timestamps, so rescans don't churn. */
@JsonClassDescription("What failed, where, the evidence and the fix.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FindingSpec(
    @Required @JsonPropertyDescription("Where the finding comes from: aws or kubernetes.")
        Source source,
    @Required @JsonPropertyDescription("The rule that failed.") Rule rule,
    @Required @JsonPropertyDescription("The resource that failed the rule.") Resource resource,
    @JsonPropertyDescription(
            "Evidence: what was observed. Credentials appear only in redacted form.")
        String message,
    @JsonPropertyDescription("How to fix it.") Remediation remediation,
    @JsonPropertyDescription(
            "posture (also when absent): a state a scan judged; the Finding resolves when the state"
                + " is fixed. activity: an action seen in one CloudTrail event (who, when, from"
                + " where in activity); it never resolves and is deleted after the PosturePolicy's"
                + " spec.activity.retention.")
        Category category,
    @JsonPropertyDescription(
            "The CloudTrail event an activity finding reports. Absent on posture findings.")
        Activity activity) {

  /** A posture finding (no category, no activity). */
  public FindingSpec(
      Source source, Rule rule, Resource resource, String message, Remediation remediation) {
    this(source, rule, resource, message, remediation, null, null);
  }

  /** True for a finding of category activity (not a bean getter: it is no field of the API). */
  public boolean ofActivity() {
    return category == Category.ACTIVITY;
  }

  /** Finding categories. */
  public enum Category {
    @JsonProperty("posture")
    POSTURE,
    @JsonProperty("activity")
    ACTIVITY;

    /** The wire value used in labels. */
    public String wireValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Who did what, when and from where, copied field by field from the CloudTrail record (request
   * parameters and credentials are never copied).
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Activity(
      @JsonPropertyDescription("CloudTrail eventID; one finding per event and rule.")
          String eventId,
      @JsonPropertyDescription("CloudTrail eventName, e.g. ConsoleLogin or StopLogging.")
          String eventName,
      @JsonPropertyDescription("CloudTrail eventSource, e.g. signin.amazonaws.com.")
          String eventSource,
      @JsonPropertyDescription("When the event happened (CloudTrail eventTime, RFC 3339).")
          String eventTime,
      @JsonPropertyDescription("ARN of the principal that acted (userIdentity.arn).")
          String principalArn,
      @JsonPropertyDescription("Type of the principal: Root, IAMUser, AssumedRole, ...")
          String principalType,
      @JsonPropertyDescription("Source IP address of the request (sourceIPAddress).")
          String sourceIp) {}

  /** Finding sources. */
  public enum Source {
    @JsonProperty("aws")
    AWS,
    @JsonProperty("kubernetes")
    KUBERNETES;

    /** The wire value used in labels. */
    public String wireValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The rule, with its compliance mapping. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Rule(
      @Required @JsonPropertyDescription("Stable rule id, e.g. aws-ec2-sg-ssh-open.") String id,
      @JsonPropertyDescription("Rule title in English.") String title,
      @JsonPropertyDescription("Rule title in Japanese.") String titleJa,
      @Required @JsonPropertyDescription("Effective severity, after any policy override.")
          Severity severity,
      @JsonPropertyDescription("Compliance controls the rule maps to.")
          List<Compliance> compliance) {}

  /** One compliance control. */
  public record Compliance(
      @JsonPropertyDescription(
              "Framework: cis-aws (CIS AWS Foundations v5.0.0), aws-fsbp (Security Hub FSBP) or k8s-pss (Kubernetes Pod Security Standards, control as <level>/<control>).")
          String framework,
      @JsonPropertyDescription("Control id within the framework, e.g. 5.3 or EC2.13.")
          String control) {}

  /** The failing resource: cloud fields for aws, object fields for kubernetes. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Resource(
      @JsonPropertyDescription("Resource type, e.g. AWS::EC2::SecurityGroup or apps/v1 Deployment.")
          String type,
      @Required
          @JsonPropertyDescription(
              "Short identifier shown by kubectl, e.g. sg-0123456789abcdef0 or Deployment/web.")
          String id,
      @JsonPropertyDescription("AWS ARN of the resource.") String arn,
      @JsonPropertyDescription("AWS account id.") String accountId,
      @JsonPropertyDescription("AWS region, or global.") String region,
      @JsonPropertyDescription("Kubernetes apiVersion of the object.") String apiVersion,
      @JsonPropertyDescription("Kubernetes kind of the object.") String kind,
      @JsonPropertyDescription("Kubernetes namespace of the object.") String namespace,
      @JsonPropertyDescription("Kubernetes name of the object.") String name) {}

  /** How to fix the finding. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Remediation(
      @JsonPropertyDescription("Remediation in English.") String text,
      @JsonPropertyDescription("Remediation in Japanese.") String textJa,
      @JsonPropertyDescription("Link to the relevant AWS or Kubernetes documentation.")
          String url) {}
}
