package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.iam.AccountSummary;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import dev.parapet.operator.aws.inventory.iam.CredentialReport;
import dev.parapet.operator.aws.inventory.iam.PasswordPolicy;
import dev.parapet.operator.aws.inventory.iam.ServerCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.CredentialReportExpiredException;
import software.amazon.awssdk.services.iam.model.CredentialReportNotPresentException;
import software.amazon.awssdk.services.iam.model.CredentialReportNotReadyException;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsRequest;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * IAM collectors, all global (read once per account in the home region). Per-user data comes from
 * the credential report, never from per-user calls; user and role tags come from the
 * GetAccountAuthorizationDetails pages, never from ListUserTags / ListRoleTags per principal.
 */
public final class IamCollector {
  static final int PAGE = 1000;

  /** How long to wait for AWS to generate a credential report, and how often to ask. */
  static final Duration REPORT_WAIT = Duration.ofSeconds(20);

  static final Duration REPORT_POLL = Duration.ofMillis(500);

  private IamCollector() {}

  public static List<Collector<?>> all() {
    return List.of(
        Collector.of(AccountSummary.class, IamCollector::accountSummary),
        Collector.of(CredentialReport.class, IamCollector::credentialReport),
        Collector.of(PasswordPolicy.class, IamCollector::passwordPolicy),
        Collector.of(AuthorizationDetails.class, IamCollector::authorizationDetails),
        Collector.of(ServerCertificates.class, IamCollector::serverCertificates));
  }

  static AccountSummary accountSummary(CollectContext ctx) {
    return new AccountSummary(
        ctx.session().client(IamClient.class).getAccountSummary().summaryMapAsStrings());
  }

  /**
   * Reads the current report (one call when AWS has one under four hours old). When it is absent or
   * expired, asks AWS to generate one (once) and polls until it is ready, up to {@link
   * #REPORT_WAIT}; then gives up with a timeout, which makes the dataset unknown.
   */
  static CredentialReport credentialReport(CollectContext ctx) {
    return credentialReport(ctx.session().client(IamClient.class), REPORT_WAIT, REPORT_POLL);
  }

  static CredentialReport credentialReport(IamClient iam, Duration wait, Duration poll) {
    var deadline = System.nanoTime() + wait.toNanos();
    var generated = false;
    while (true) {
      try {
        var response = iam.getCredentialReport();
        var csv = response.content().asString(StandardCharsets.UTF_8);
        return CredentialReports.parse(csv, response.generatedTime());
      } catch (CredentialReportNotPresentException | CredentialReportExpiredException e) {
        if (generated) {
          throw e; // AWS said it started a report but still has none: report the real answer
        }
        iam.generateCredentialReport();
        generated = true;
        continue; // generation usually completes at once; ask again before sleeping
      } catch (CredentialReportNotReadyException e) {
        // still being generated
      }
      if (System.nanoTime() > deadline) {
        throw ApiCallTimeoutException.builder()
            .message("credential report not ready after " + wait.toMillis() + " ms")
            .build();
      }
      sleep(poll);
    }
  }

  static PasswordPolicy passwordPolicy(CollectContext ctx) {
    try {
      var p = ctx.session().client(IamClient.class).getAccountPasswordPolicy().passwordPolicy();
      return new PasswordPolicy(
          true,
          p.minimumPasswordLength() == null ? 0 : p.minimumPasswordLength(),
          p.passwordReusePrevention() == null ? 0 : p.passwordReusePrevention());
    } catch (NoSuchEntityException e) {
      return PasswordPolicy.none();
    }
  }

  static AuthorizationDetails authorizationDetails(CollectContext ctx) {
    var managed = new ArrayList<AuthorizationDetails.ManagedPolicy>();
    var inline = new ArrayList<AuthorizationDetails.InlinePolicy>();
    var principals = 0;
    var tags = new HashMap<String, Map<String, String>>();
    var attachments = new ArrayList<AuthorizationDetails.Attachments>();
    var trust = new HashMap<String, dev.parapet.operator.aws.inventory.PolicyDocument>();
    var request = GetAccountAuthorizationDetailsRequest.builder().maxItems(PAGE).build();
    for (var page :
        ctx.session().client(IamClient.class).getAccountAuthorizationDetailsPaginator(request)) {
      for (var u : page.userDetailList()) {
        principals++;
        tags.put(u.arn(), tagMap(u.tags()));
        attachments.add(
            new AuthorizationDetails.Attachments(
                "User",
                u.userName(),
                u.arn(),
                u.attachedManagedPolicies().stream().map(a -> a.policyArn()).toList(),
                u.userPolicyList().stream().map(p -> p.policyName()).toList()));
        u.userPolicyList()
            .forEach(
                p ->
                    inline.add(
                        new AuthorizationDetails.InlinePolicy(
                            "User",
                            u.userName(),
                            u.arn(),
                            p.policyName(),
                            PolicyDocuments.parse(p.policyDocument()))));
      }
      for (var g : page.groupDetailList()) {
        principals++;
        attachments.add(
            new AuthorizationDetails.Attachments(
                "Group",
                g.groupName(),
                g.arn(),
                g.attachedManagedPolicies().stream().map(a -> a.policyArn()).toList(),
                g.groupPolicyList().stream().map(p -> p.policyName()).toList()));
        g.groupPolicyList()
            .forEach(
                p ->
                    inline.add(
                        new AuthorizationDetails.InlinePolicy(
                            "Group",
                            g.groupName(),
                            g.arn(),
                            p.policyName(),
                            PolicyDocuments.parse(p.policyDocument()))));
      }
      for (var r : page.roleDetailList()) {
        principals++;
        tags.put(r.arn(), tagMap(r.tags()));
        if (r.assumeRolePolicyDocument() != null) {
          // Only the attack-path join reads trust policies: one it cannot parse is left out (no
          // trust path is judged for that role) rather than failing the rules' IAM data.
          try {
            trust.put(r.arn(), PolicyDocuments.parse(r.assumeRolePolicyDocument()));
          } catch (java.io.UncheckedIOException e) {
            // left out, see above
          }
        }
        attachments.add(
            new AuthorizationDetails.Attachments(
                "Role",
                r.roleName(),
                r.arn(),
                r.attachedManagedPolicies().stream().map(a -> a.policyArn()).toList(),
                r.rolePolicyList().stream().map(p -> p.policyName()).toList()));
        r.rolePolicyList()
            .forEach(
                p ->
                    inline.add(
                        new AuthorizationDetails.InlinePolicy(
                            "Role",
                            r.roleName(),
                            r.arn(),
                            p.policyName(),
                            PolicyDocuments.parse(p.policyDocument()))));
      }
      for (var p : page.policies()) {
        var version =
            p.policyVersionList().stream()
                .filter(v -> Boolean.TRUE.equals(v.isDefaultVersion()))
                .findFirst();
        managed.add(
            new AuthorizationDetails.ManagedPolicy(
                p.arn(),
                policyName(p.policyName(), p.arn()),
                p.attachmentCount() == null ? 0 : p.attachmentCount(),
                p.arn() != null && p.arn().contains(":iam::aws:policy/"),
                PolicyDocuments.parse(version.map(v -> v.document()).orElse(null))));
      }
    }
    return new AuthorizationDetails(managed, inline, principals, tags, attachments, trust);
  }

  /** One paginated ListServerCertificates per account (the list carries each expiration). */
  static ServerCertificates serverCertificates(CollectContext ctx) {
    var certs =
        ctx
            .session()
            .client(IamClient.class)
            .listServerCertificatesPaginator(b -> b.maxItems(PAGE))
            .stream()
            .flatMap(page -> page.serverCertificateMetadataList().stream())
            .map(
                m ->
                    new ServerCertificates.Certificate(
                        m.serverCertificateName(),
                        m.serverCertificateId(),
                        m.arn(),
                        m.expiration()))
            .toList();
    return new ServerCertificates(certs);
  }

  private static Map<String, String> tagMap(List<Tag> tags) {
    var out = new HashMap<String, String>();
    if (tags != null) {
      tags.forEach(t -> out.put(t.key(), t.value()));
    }
    return out;
  }

  /** moto 5.2.5 omits PolicyName from ManagedPolicyDetail; the ARN ends with it anyway. */
  static String policyName(String name, String arn) {
    if (name != null && !name.isBlank()) {
      return name;
    }
    return arn == null ? "" : arn.substring(arn.lastIndexOf('/') + 1);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the credential report", e);
    }
  }
}
