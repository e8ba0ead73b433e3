package dev.parapet.operator.aws.rules.eks;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.eks.Clusters;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.PerResourceRule;
import dev.parapet.operator.aws.rules.PerResourceRule.Verdict;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** EKS rules (FSBP EKS.1, EKS.2, EKS.3, EKS.8), judged on DescribeCluster. */
public final class EksRules {
  private static final String DOCS =
      "https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html";

  /**
   * End of standard support per Kubernetes minor version, from the Amazon EKS Kubernetes release
   * calendar. Versions older than the first entry are past it; versions newer than the last entry
   * are taken as supported, so the table must grow as AWS publishes dates (1.34 onwards are not in
   * it yet).
   */
  static final Map<String, LocalDate> END_OF_STANDARD_SUPPORT =
      Map.ofEntries(
          Map.entry("1.23", LocalDate.of(2023, 10, 11)),
          Map.entry("1.24", LocalDate.of(2024, 1, 31)),
          Map.entry("1.25", LocalDate.of(2024, 5, 1)),
          Map.entry("1.26", LocalDate.of(2024, 6, 11)),
          Map.entry("1.27", LocalDate.of(2024, 7, 24)),
          Map.entry("1.28", LocalDate.of(2024, 11, 26)),
          Map.entry("1.29", LocalDate.of(2025, 3, 23)),
          Map.entry("1.30", LocalDate.of(2025, 7, 23)),
          Map.entry("1.31", LocalDate.of(2025, 11, 26)),
          Map.entry("1.32", LocalDate.of(2026, 3, 23)),
          Map.entry("1.33", LocalDate.of(2026, 7, 29)));

  static final int OLDEST_MINOR_IN_TABLE = 23;

  static final AwsRule ENDPOINT_PUBLIC =
      rule(
          "aws-eks-endpoint-public",
          "EKS cluster API server endpoint is publicly accessible",
          "EKS クラスターの API サーバーエンドポイントがパブリックにアクセス可能です",
          "Turn off public endpoint access (aws eks update-cluster-config --name <name>"
              + " --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true)"
              + " and reach the API server from the VPC.",
          "パブリックエンドポイントアクセスを無効にし (aws eks update-cluster-config --name <name>"
              + " --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true)、"
              + "VPC 内から API サーバーに接続してください。",
          "eks-1",
          "EKS.1",
          Severity.HIGH,
          (c, d) -> {
            // Not returned means AWS's default: public, open to 0.0.0.0/0.
            var cidrs =
                d.publicAccessCidrs() == null ? List.of("0.0.0.0/0") : d.publicAccessCidrs();
            return Verdict.failIf(
                !Boolean.FALSE.equals(d.endpointPublicAccess()),
                "Cluster " + c.name() + " has a public endpoint (allowed CIDRs " + cidrs + ")");
          });

  static final AwsRule VERSION_UNSUPPORTED =
      new PerResourceRule<>(
          definition("aws-eks-version-unsupported")
              .title(
                  "EKS cluster runs a Kubernetes version past the end of standard support",
                  "EKS クラスターが標準サポート終了後の Kubernetes バージョンで動作しています")
              .remediation(
                  "Upgrade the control plane one minor version at a time (aws eks"
                      + " update-cluster-version --name <name> --kubernetes-version <next>), then"
                      + " the node groups and add-ons.",
                  "コントロールプレーンを 1 マイナーバージョンずつアップグレードし (aws eks update-cluster-version"
                      + " --name <name> --kubernetes-version <next>)、その後ノードグループとアドオンを更新してください。",
                  DOCS + "#eks-2")
              .severity(Severity.HIGH)
              .fsbp("EKS.2")
              .build(),
          Clusters.class,
          Clusters::clusters,
          EksRules::resource,
          (view, c) ->
              Verdict.on(
                  c.details(),
                  d -> {
                    var end = endOfStandardSupport(d.version());
                    if (end == null) {
                      return d.version() == null ? Verdict.notApplicable() : Verdict.pass();
                    }
                    var today = LocalDate.ofInstant(view.now(), ZoneOffset.UTC);
                    return Verdict.failIf(
                        today.isAfter(end),
                        "Cluster "
                            + c.name()
                            + " runs Kubernetes "
                            + d.version()
                            + ", whose standard support ended on "
                            + end);
                  }));

  static final AwsRule SECRETS_UNENCRYPTED =
      rule(
          "aws-eks-secrets-unencrypted",
          "EKS cluster does not encrypt Kubernetes secrets with a KMS key",
          "EKS クラスターで Kubernetes シークレットが KMS キーで暗号化されていません",
          "Turn on envelope encryption of secrets (aws eks associate-encryption-config --cluster-name"
              + " <name> --encryption-config resources=secrets,provider={keyArn=<key>}).",
          "シークレットのエンベロープ暗号化を有効にしてください (aws eks associate-encryption-config"
              + " --cluster-name <name> --encryption-config resources=secrets,provider={keyArn=<key>})。",
          "eks-3",
          "EKS.3",
          Severity.MEDIUM,
          (c, d) ->
              Verdict.failIf(
                  !d.secretsEncrypted(),
                  "Cluster " + c.name() + " has no encryption config for secrets"));

  static final AwsRule AUDIT_LOGGING_OFF =
      rule(
          "aws-eks-audit-logging-off",
          "EKS cluster control-plane audit logging is off",
          "EKS クラスターのコントロールプレーン監査ログが無効です",
          "Turn on the audit log type (aws eks update-cluster-config --name <name> --logging"
              + " '{\"clusterLogging\":[{\"types\":[\"audit\"],\"enabled\":true}]}').",
          "監査ログを有効にしてください (aws eks update-cluster-config --name <name> --logging"
              + " '{\"clusterLogging\":[{\"types\":[\"audit\"],\"enabled\":true}]}')。",
          "eks-8",
          "EKS.8",
          Severity.MEDIUM,
          (c, d) ->
              Verdict.failIf(
                  !d.enabledLogTypes().contains("audit"),
                  "Cluster "
                      + c.name()
                      + " does not send audit logs (enabled types: "
                      + new java.util.TreeSet<>(d.enabledLogTypes())
                      + ")"));

  private EksRules() {}

  public static List<AwsRule> all() {
    return List.of(ENDPOINT_PUBLIC, VERSION_UNSUPPORTED, SECRETS_UNENCRYPTED, AUDIT_LOGGING_OFF);
  }

  /** The end of standard support of a version; a date before the table for older versions. */
  static LocalDate endOfStandardSupport(String version) {
    if (version == null) {
      return null;
    }
    var end = END_OF_STANDARD_SUPPORT.get(version);
    if (end != null) {
      return end;
    }
    var parts = version.split("\\.");
    try {
      if (parts.length >= 2
          && Integer.parseInt(parts[0]) == 1
          && Integer.parseInt(parts[1]) < OLDEST_MINOR_IN_TABLE) {
        return END_OF_STANDARD_SUPPORT.get("1." + OLDEST_MINOR_IN_TABLE);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return null;
  }

  private static RuleDefinition.Builder definition(String id) {
    return RuleDefinition.builder(id).resourceType("AWS::EKS::Cluster").reads(Clusters.class);
  }

  private static AwsRule rule(
      String id,
      String en,
      String ja,
      String fixEn,
      String fixJa,
      String anchor,
      String fsbp,
      Severity severity,
      java.util.function.BiFunction<Clusters.Cluster, Clusters.Details, Verdict> judge) {
    return new PerResourceRule<>(
        definition(id)
            .title(en, ja)
            .remediation(fixEn, fixJa, DOCS + "#" + anchor)
            .severity(severity)
            .fsbp(fsbp)
            .build(),
        Clusters.class,
        Clusters::clusters,
        EksRules::resource,
        (view, c) ->
            Verdict.on(c.details(), (Function<Clusters.Details, Verdict>) d -> judge.apply(c, d)));
  }

  static Resource resource(RegionView view, Clusters.Cluster c) {
    var details = c.details();
    var known =
        details instanceof dev.parapet.operator.aws.inventory.Known<Clusters.Details> k
            ? k.value()
            : null;
    var arn =
        known != null && known.arn() != null
            ? known.arn()
            : "arn:"
                + view.partition()
                + ":eks:"
                + view.region()
                + ":"
                + view.accountId()
                + ":cluster/"
                + c.name();
    return new Resource(
        "AWS::EKS::Cluster",
        c.name(),
        arn,
        view.accountId(),
        view.region(),
        known == null ? Map.of() : known.tags());
  }
}
