package dev.parapet.operator.aws.export;

import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.webhook.secrets.Redactor;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.Compliance;
import software.amazon.awssdk.services.securityhub.model.ComplianceStatus;
import software.amazon.awssdk.services.securityhub.model.FindingProviderFields;
import software.amazon.awssdk.services.securityhub.model.FindingProviderSeverity;
import software.amazon.awssdk.services.securityhub.model.Recommendation;
import software.amazon.awssdk.services.securityhub.model.RecordState;
import software.amazon.awssdk.services.securityhub.model.Remediation;
import software.amazon.awssdk.services.securityhub.model.Resource;
import software.amazon.awssdk.services.securityhub.model.SeverityLabel;

/**
 * Maps an {@link ExportedFinding} to the AWS Security Finding Format (ASFF) for a custom
 * integration (product ARN {@code arn:<partition>:securityhub:<region>:<account>:product/<account>/
 * default}). Text fields are cut to the ASFF maximum lengths without splitting a character, and end
 * with an ellipsis when cut. English only: Security Hub has one text per finding.
 *
 * <p>Severity and Types go into {@code FindingProviderFields} too: AWS asks finding providers to
 * update those there, since {@code Severity}/{@code Types} at the top level belong to the customer
 * after the first import.
 */
public final class Asff {

  public static final String SCHEMA_VERSION = "2018-10-08";

  /** ASFF maximum lengths (characters) of the fields Parapet fills. */
  public static final int MAX_ID = 512;

  public static final int MAX_GENERATOR_ID = 512;
  public static final int MAX_TITLE = 256;
  public static final int MAX_DESCRIPTION = 1024;
  public static final int MAX_RECOMMENDATION_TEXT = 512;
  public static final int MAX_RECOMMENDATION_URL = 512;
  public static final int MAX_RESOURCE_ID = 512;
  public static final int MAX_RESOURCE_TYPE = 256;

  /** At most 32 related requirements per finding; at most 50 types; at most 50 product fields. */
  public static final int MAX_RELATED_REQUIREMENTS = 32;

  public static final int MAX_PRODUCT_FIELD_KEY = 128;
  public static final int MAX_PRODUCT_FIELD_VALUE = 2048;

  /** The requirement prefixes Security Hub's own standards use, by Parapet framework. */
  static final String CIS_REQUIREMENT = "CIS AWS Foundations Benchmark v5.0.0";

  static final String FSBP_REQUIREMENT = "AWS Foundational Security Best Practices v1.0.0";

  static final String TYPE_CHECKS = "Software and Configuration Checks";
  static final String TYPE_CIS =
      "Software and Configuration Checks/Industry and Regulatory Standards/"
          + "CIS AWS Foundations Benchmark";
  static final String TYPE_FSBP = "Software and Configuration Checks/AWS Security Best Practices";

  private Asff() {}

  /** Where one account's findings go: account, region, partition. */
  public record Target(String accountId, String region, String partition) {

    public Target {
      partition = partition == null || partition.isBlank() ? "aws" : partition;
    }

    /** The custom-integration ("default") product of the account in the region. */
    public String productArn() {
      return "arn:"
          + partition
          + ":securityhub:"
          + region
          + ":"
          + accountId
          + ":product/"
          + accountId
          + "/default";
    }

    /** The partition an ARN names ({@code arn:aws-cn:...} gives aws-cn), else aws. */
    public static String partitionOf(String arn) {
      if (arn == null || !arn.startsWith("arn:")) {
        return "aws";
      }
      var end = arn.indexOf(':', 4);
      return end <= 4 ? "aws" : arn.substring(4, end);
    }
  }

  /** The ASFF finding for {@code f}, imported into {@code target} at {@code now}. */
  public static AwsSecurityFinding finding(ExportedFinding f, Target target, Instant now) {
    var updated = timestamp(now);
    var first = timestamp(f.firstObservedAt());
    var active = f.disposition() == ExportedFinding.Disposition.OPEN;
    var types = types(f.controls());
    var label = severity(f.severity());
    var title = truncate(nonBlank(f.title(), f.ruleId()), MAX_TITLE);
    var b =
        AwsSecurityFinding.builder()
            .schemaVersion(SCHEMA_VERSION)
            .id(truncate(f.id(), MAX_ID))
            .productArn(target.productArn())
            .generatorId(truncate(f.ruleId(), MAX_GENERATOR_ID))
            .awsAccountId(target.accountId())
            .companyName("Parapet")
            .productName("Parapet")
            .types(types)
            .severity(s -> s.label(label).original(f.severity().wireValue()))
            .findingProviderFields(
                FindingProviderFields.builder()
                    .severity(
                        FindingProviderSeverity.builder()
                            .label(label)
                            .original(f.severity().wireValue())
                            .build())
                    .types(types)
                    .build())
            .title(title)
            .description(
                truncate(nonBlank(Redactor.redact(f.description()), title), MAX_DESCRIPTION))
            .compliance(
                Compliance.builder()
                    .status(
                        f.disposition() == ExportedFinding.Disposition.RESOLVED
                            ? ComplianceStatus.PASSED
                            : ComplianceStatus.FAILED)
                    .relatedRequirements(requirements(f.controls()))
                    .build())
            .resources(resource(f, target))
            .productFields(productFields(f))
            .firstObservedAt(first)
            .createdAt(first)
            .updatedAt(updated)
            .recordState(active ? RecordState.ACTIVE : RecordState.ARCHIVED);
    if (active) {
      // Still failing as of this export. An archived finding keeps the LastObservedAt it had.
      b.lastObservedAt(updated);
    }
    var remediation = remediation(f);
    if (remediation != null) {
      b.remediation(remediation);
    }
    return b.build();
  }

  /** Parapet severities map one to one onto the ASFF labels. */
  public static SeverityLabel severity(Severity s) {
    return switch (s) {
      case CRITICAL -> SeverityLabel.CRITICAL;
      case HIGH -> SeverityLabel.HIGH;
      case MEDIUM -> SeverityLabel.MEDIUM;
      case LOW -> SeverityLabel.LOW;
      case INFORMATIONAL -> SeverityLabel.INFORMATIONAL;
    };
  }

  /** ASFF finding types: the standards the rule maps to, else the generic configuration check. */
  static List<String> types(List<RuleMetadata.Control> controls) {
    var out = new ArrayList<String>();
    if (controls.stream().anyMatch(c -> RuleMetadata.CIS_AWS.equals(c.framework()))) {
      out.add(TYPE_CIS);
    }
    if (controls.stream().anyMatch(c -> RuleMetadata.AWS_FSBP.equals(c.framework()))) {
      out.add(TYPE_FSBP);
    }
    if (out.isEmpty()) {
      out.add(TYPE_CHECKS);
    }
    return out;
  }

  /**
   * The controls as requirement ids in the spelling Security Hub's standards use, e.g. {@code CIS
   * AWS Foundations Benchmark v5.0.0/5.3}, at most {@value #MAX_RELATED_REQUIREMENTS}.
   */
  static List<String> requirements(List<RuleMetadata.Control> controls) {
    return controls.stream()
        .map(
            c ->
                switch (c.framework()) {
                  case RuleMetadata.CIS_AWS -> CIS_REQUIREMENT + "/" + c.id();
                  case RuleMetadata.AWS_FSBP -> FSBP_REQUIREMENT + "/" + c.id();
                  default -> c.framework() + "/" + c.id();
                })
        .distinct()
        .limit(MAX_RELATED_REQUIREMENTS)
        .toList();
  }

  private static Resource resource(ExportedFinding f, Target target) {
    var region =
        f.resourceRegion() == null
                || f.resourceRegion().isBlank()
                || "global".equals(f.resourceRegion())
            ? target.region()
            : f.resourceRegion();
    var id =
        f.resourceArn() != null && !f.resourceArn().isBlank()
            ? f.resourceArn()
            : nonBlank(f.resourceId(), target.accountId());
    return Resource.builder()
        .type(truncate(resourceType(f.resourceType()), MAX_RESOURCE_TYPE))
        .id(truncate(id, MAX_RESOURCE_ID))
        .region(region)
        .partition(
            f.resourceArn() != null && f.resourceArn().startsWith("arn:")
                ? Target.partitionOf(f.resourceArn())
                : target.partition())
        .build();
  }

  /**
   * The ASFF resource type for a CloudFormation-style type: {@code AWS::EC2::SecurityGroup} gives
   * {@code AwsEc2SecurityGroup}, {@code AWS::RDS::DBInstance} {@code AwsRdsDbInstance}, the account
   * ({@code AWS::::Account}) {@code AwsAccount}; anything else {@code Other}.
   */
  public static String resourceType(String type) {
    if (type == null || !type.startsWith("AWS::")) {
      return "Other";
    }
    var out = new StringBuilder("Aws");
    for (var part : type.substring(5).split("::")) {
      out.append(camel(part));
    }
    var s = out.toString();
    return s.equals("Aws") || !s.matches("[A-Za-z0-9]+") ? "Other" : s;
  }

  /**
   * {@code EC2} gives {@code Ec2}, {@code DBInstance} {@code DbInstance}, {@code VPC} {@code Vpc}.
   */
  private static String camel(String part) {
    var out = new StringBuilder();
    var n = part.length();
    for (int i = 0; i < n; i++) {
      var c = part.charAt(i);
      var prevUpper = i > 0 && Character.isUpperCase(part.charAt(i - 1));
      var nextLower = i + 1 < n && Character.isLowerCase(part.charAt(i + 1));
      if (i == 0) {
        out.append(Character.toUpperCase(c));
      } else if (Character.isUpperCase(c) && prevUpper && !nextLower) {
        out.append(Character.toLowerCase(c)); // inside an acronym
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Remediation remediation(ExportedFinding f) {
    var text = f.remediationText();
    var url = f.remediationUrl();
    var hasText = text != null && !text.isBlank();
    var hasUrl =
        url != null
            && (url.startsWith("https://") || url.startsWith("http://"))
            && url.length() <= MAX_RECOMMENDATION_URL;
    if (!hasText && !hasUrl) {
      return null;
    }
    var r = Recommendation.builder();
    if (hasText) {
      r.text(truncate(text, MAX_RECOMMENDATION_TEXT));
    }
    if (hasUrl) {
      r.url(url);
    }
    return Remediation.builder().recommendation(r.build()).build();
  }

  private static java.util.Map<String, String> productFields(ExportedFinding f) {
    var fields = new LinkedHashMap<String, String>();
    fields.put("parapet.dev/rule", f.ruleId());
    fields.put(
        "parapet.dev/state",
        switch (f.disposition()) {
          case OPEN -> "Open";
          case SUPPRESSED -> "Suppressed";
          case RESOLVED -> "Resolved";
        });
    if (f.suppressedBy() != null && !f.suppressedBy().isBlank()) {
      fields.put("parapet.dev/suppressedBy", f.suppressedBy());
    }
    var out = new LinkedHashMap<String, String>();
    fields.forEach(
        (k, v) ->
            out.put(truncate(k, MAX_PRODUCT_FIELD_KEY), truncate(v, MAX_PRODUCT_FIELD_VALUE)));
    return out;
  }

  /** RFC 3339 with millisecond precision, as ASFF timestamps are usually written. */
  static String timestamp(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static String nonBlank(String s, String fallback) {
    return s == null || s.isBlank() ? fallback : s;
  }

  /**
   * {@code s} cut to at most {@code max} characters, ending with an ellipsis when cut, never
   * splitting a surrogate pair.
   */
  public static String truncate(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    var cut = Math.max(0, max - 1);
    if (cut > 0 && Character.isHighSurrogate(s.charAt(cut - 1))) {
      cut--;
    }
    return s.substring(0, cut) + "…";
  }
}
