package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.rules.AwsRule;
import java.util.Collection;
import java.util.List;

/**
 * The CIS AWS Foundations Benchmark v5.0.0 recommendations, whether the benchmark assesses each
 * automatically or manually, and, for those no rule names, why. Rendered under the rule table of
 * {@code docs/rules.md}; which rules cover a recommendation comes from the rules' CIS ids, so the
 * table cannot drift from the code. Assessment status as published for v5.0.0 (cross-checked
 * against a public machine-readable copy of the benchmark's list; the CIS PDF is the authority).
 */
public final class CisCoverage {
  private CisCoverage() {}

  /** One recommendation; {@code note} says why nothing covers it (or what partly does). */
  public record Recommendation(String id, String title, boolean automated, String note) {}

  private static Recommendation a(String id, String title, String note) {
    return new Recommendation(id, title, true, note);
  }

  private static Recommendation m(String id, String title, String note) {
    return new Recommendation(id, title, false, note);
  }

  static final String NO_API = "no AWS API reads it: a person checks it";
  static final String SIEM =
      "manual in v5.0.0 (CloudTrail may feed a SIEM instead of CloudWatch); judged anyway on the"
          + " CloudWatch route of the benchmark's audit";

  public static final List<Recommendation> ALL =
      List.of(
          m("1.1", "Maintain current contact details", NO_API),
          m(
              "1.2",
              "Security contact information is registered",
              "not covered: manual in v5.0.0; account:GetAlternateContact could read it; planned"),
          a("1.3", "No root user access key exists", null),
          a("1.4", "MFA is enabled for the root user", null),
          m(
              "1.5",
              "Hardware MFA is enabled for the root user",
              "not covered: telling hardware from virtual MFA needs ListVirtualMFADevices; planned"),
          m("1.6", "Eliminate use of the root user for daily tasks", NO_API + " (usage review)"),
          a("1.7", "Password policy requires a minimum length of 14", null),
          a("1.8", "Password policy prevents password reuse", null),
          a("1.9", "MFA for every IAM user with a console password", null),
          m(
              "1.10",
              "No access keys created at initial setup for console users",
              "manual in v5.0.0; judged anyway on the credential report fields its audit names"
                  + " (console password, active key never used)"),
          a("1.11", "Credentials unused for 45 days or more are disabled", null),
          a("1.12", "Only one active access key per IAM user", null),
          a("1.13", "Access keys are rotated every 90 days or less", null),
          a("1.14", "IAM users receive permissions only through groups", null),
          a("1.15", "No policy allowing full \"*:*\" administrative privileges is attached", null),
          a("1.16", "A support role exists to manage incidents with AWS Support", null),
          a("1.17", "IAM instance roles are used for AWS access from instances", null),
          a("1.18", "Expired SSL/TLS certificates stored in IAM are removed", null),
          a("1.19", "IAM External Access Analyzer is enabled in all regions", null),
          m(
              "1.20",
              "IAM users are managed centrally (federation or AWS Organizations)",
              NO_API
                  + " (an organisational decision). Whether a SAML provider exists, which Prowler"
                  + " judges, says neither: IAM Identity Center or a management account can manage"
                  + " users without one in this account, and a provider can sit beside local"
                  + " users"),
          m(
              "1.21",
              "Access to AWSCloudShellFullAccess is restricted",
              "manual in v5.0.0; judged anyway: where the policy is attached is in"
                  + " GetAccountAuthorizationDetails; an exception records an intended grant"),
          a("2.1.1", "S3 bucket policies deny HTTP requests", null),
          m(
              "2.1.2",
              "MFA Delete is enabled on S3 buckets",
              "manual in v5.0.0 (only the root user can set MFA Delete); judged anyway on"
                  + " GetBucketVersioning, which omits MFADelete for a bucket never configured"
                  + " with it"),
          m(
              "2.1.3",
              "S3 data is discovered, classified and secured",
              NO_API + " (Macie or a third-party tool)"),
          a("2.1.4", "S3 Block Public Access is enabled", null),
          a("2.2.1", "RDS instances are encrypted at rest", null),
          a("2.2.2", "RDS Auto Minor Version Upgrade is enabled", null),
          a("2.2.3", "RDS instances are not publicly accessible", null),
          m("2.2.4", "RDS Multi-AZ deployments are used", "manual in v5.0.0; judged anyway"),
          a("2.3.1", "EFS file systems are encrypted", null),
          m("3.1", "CloudTrail is enabled in all regions", "manual in v5.0.0; judged anyway"),
          a("3.2", "CloudTrail log file validation is enabled", null),
          a("3.3", "AWS Config is enabled in all regions", null),
          m(
              "3.4",
              "Server access logging is enabled on the CloudTrail S3 bucket",
              "manual in v5.0.0 (the bucket may be in another account); judged anyway where the"
                  + " bucket is in the scanned account, UNKNOWN where it is not"),
          a("3.5", "CloudTrail logs are encrypted at rest with KMS keys", null),
          a("3.6", "Rotation is enabled for customer-created symmetric KMS keys", null),
          a("3.7", "VPC flow logging is enabled in all VPCs", null),
          a("3.8", "S3 object-level logging of write events is enabled", null),
          a("3.9", "S3 object-level logging of read events is enabled", null),
          m("4.1", "Unauthorized API calls are monitored", SIEM),
          m("4.2", "Console sign-in without MFA is monitored", SIEM),
          m("4.3", "Use of the root user is monitored", SIEM),
          m("4.4", "IAM policy changes are monitored", SIEM),
          m("4.5", "CloudTrail configuration changes are monitored", SIEM),
          m("4.6", "Console authentication failures are monitored", SIEM),
          m("4.7", "Disabling or scheduled deletion of customer keys is monitored", SIEM),
          m("4.8", "S3 bucket policy changes are monitored", SIEM),
          m("4.9", "AWS Config configuration changes are monitored", SIEM),
          m("4.10", "Security group changes are monitored", SIEM),
          m("4.11", "Network ACL changes are monitored", SIEM),
          m("4.12", "Changes to network gateways are monitored", SIEM),
          m("4.13", "Route table changes are monitored", SIEM),
          m("4.14", "VPC changes are monitored", SIEM),
          m("4.15", "AWS Organizations changes are monitored", SIEM),
          a("4.16", "AWS Security Hub is enabled", null),
          a("5.1.1", "EBS volume encryption is enabled in all regions", null),
          a("5.1.2", "CIFS access is restricted to trusted networks", null),
          a("5.2", "No network ACL allows ingress from 0.0.0.0/0 to admin ports", null),
          a("5.3", "No security group allows ingress from 0.0.0.0/0 to admin ports", null),
          a("5.4", "No security group allows ingress from ::/0 to admin ports", null),
          a("5.5", "The default security group of every VPC restricts all traffic", null),
          m("5.6", "Routing tables for VPC peering are least access", NO_API + " (intent review)"),
          a("5.7", "The EC2 metadata service allows only IMDSv2", null));

  /** The coverage section of docs/rules.md. */
  public static String markdown(Collection<? extends AwsRule> rules) {
    var md = new StringBuilder();
    var automated = ALL.stream().filter(Recommendation::automated).toList();
    var coveredAutomated = automated.stream().filter(r -> !coveredBy(rules, r.id()).isEmpty());
    var manualJudged =
        ALL.stream().filter(r -> !r.automated() && !coveredBy(rules, r.id()).isEmpty()).count();
    md.append("\n## CIS AWS Foundations Benchmark v5.0.0 coverage\n\n");
    md.append(ALL.size())
        .append(" recommendations: ")
        .append(automated.size())
        .append(" automated, of which ")
        .append(coveredAutomated.count())
        .append(" have a rule; ")
        .append(ALL.size() - automated.size())
        .append(" manual, of which ")
        .append(manualJudged)
        .append(" are judged anyway. Automated/manual as the benchmark assesses them.\n\n");
    md.append("| CIS | recommendation | assessment | Parapet rules | note |\n");
    md.append("|---|---|---|---|---|\n");
    for (var r : ALL) {
      var by = coveredBy(rules, r.id());
      md.append("| ")
          .append(r.id())
          .append(" | ")
          .append(r.title().replace("|", "\\|"))
          .append(" | ")
          .append(r.automated() ? "automated" : "manual")
          .append(" | ")
          .append(
              by.isEmpty()
                  ? "not covered"
                  : String.join("<br>", by.stream().map(id -> "`" + id + "`").toList()))
          .append(" | ")
          .append(r.note() == null ? "" : r.note())
          .append(" |\n");
    }
    return md.toString();
  }

  static List<String> coveredBy(Collection<? extends AwsRule> rules, String cis) {
    return rules.stream()
        .filter(rule -> rule.definition().metadata().cis().contains(cis))
        .map(AwsRule::id)
        .toList();
  }
}
