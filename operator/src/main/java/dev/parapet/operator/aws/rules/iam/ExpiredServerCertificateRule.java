package dev.parapet.operator.aws.rules.iam;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.iam.ServerCertificates;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleResult;
import java.util.List;
import java.util.Map;

/**
 * CIS 1.18: an SSL/TLS server certificate stored in IAM has expired. Judged per certificate on the
 * {@code Expiration} ListServerCertificates returns; a certificate without one is UNKNOWN.
 */
public final class ExpiredServerCertificateRule extends GlobalRule {

  static final RuleDefinition DEFINITION =
      RuleDefinition.builder("aws-iam-expired-server-certificate")
          .title(
              "Expired SSL/TLS server certificate is still stored in IAM",
              "期限切れの SSL/TLS サーバー証明書が IAM に保存されたままです")
          .remediation(
              "Make sure no load balancer or CloudFront distribution uses the certificate, then"
                  + " delete it (aws iam delete-server-certificate --server-certificate-name"
                  + " NAME); keep certificates in AWS Certificate Manager where the region has it.",
              "証明書がロードバランサーや CloudFront ディストリビューションで使われていないことを確認してから削除してください"
                  + " (aws iam delete-server-certificate --server-certificate-name NAME)。"
                  + "リージョンが対応していれば証明書は AWS Certificate Manager で管理してください。",
              "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html")
          .severity(Severity.MEDIUM)
          .resourceType("AWS::IAM::ServerCertificate")
          .cis("1.18")
          .fsbp("IAM.26")
          .reads(ServerCertificates.class)
          .build();

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  protected void evaluateAccount(
      RegionView view, RuleParameters parameters, List<RuleResult> results) {
    for (var c : view.get(ServerCertificates.class).certificates()) {
      var arn =
          c.arn() != null
              ? c.arn()
              : "arn:"
                  + view.partition()
                  + ":iam::"
                  + view.accountId()
                  + ":server-certificate/"
                  + c.name();
      var resource =
          new Resource(
              "AWS::IAM::ServerCertificate",
              c.name(),
              arn,
              view.accountId(),
              Datasets.GLOBAL,
              Map.of());
      if (c.expiration() == null) {
        results.add(
            RuleResult.unknown(
                Datasets.GLOBAL,
                new CollectionError(
                    "iam",
                    Datasets.GLOBAL,
                    "ListServerCertificates",
                    UnknownReason.Error,
                    "no expiration returned for server certificate " + c.name())));
      } else if (!c.expiration().isAfter(view.now())) {
        results.add(
            RuleResult.fail(
                resource,
                "Server certificate "
                    + c.name()
                    + " expired on "
                    + IamResources.date(c.expiration())));
      } else {
        results.add(RuleResult.pass(resource));
      }
    }
  }
}
