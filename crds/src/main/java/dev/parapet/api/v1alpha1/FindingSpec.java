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
    @JsonPropertyDescription("How to fix it.") Remediation remediation) {

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
