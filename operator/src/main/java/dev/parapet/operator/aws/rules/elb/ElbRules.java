package dev.parapet.operator.aws.rules.elb;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.inventory.elb.ClassicLoadBalancers;
import dev.parapet.operator.aws.inventory.elb.LoadBalancers;
import dev.parapet.operator.aws.rules.AwsRule;
import dev.parapet.operator.aws.rules.PerResourceRule;
import dev.parapet.operator.aws.rules.PerResourceRule.Verdict;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * ELB rules (FSBP ELB.1-7, 9, 10, 12-14, 17, 18): Application, Network and Gateway Load Balancers
 * (elbv2) and Classic Load Balancers. An attribute AWS did not return has its documented default
 * (moto returns only some keys until they are modified).
 */
public final class ElbRules {
  private static final String DOCS =
      "https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html";
  static final String V2 = "AWS::ElasticLoadBalancingV2::LoadBalancer";
  static final String CLASSIC = "AWS::ElasticLoadBalancing::LoadBalancer";
  static final String HTTP_NOT_REDIRECTED = "aws-elb-alb-http-not-redirected";
  private static final Set<String> SAFE_DESYNC_MODES = Set.of("defensive", "strictest");

  private ElbRules() {}

  public static List<AwsRule> all() {
    return List.of(
        // Application, Network and Gateway Load Balancers
        v2(
            b("aws-elb-alb-http-not-redirected", "ELB.1", Severity.MEDIUM)
                .title(
                    "Application Load Balancer HTTP listener does not redirect to HTTPS",
                    "Application Load Balancer の HTTP リスナーが HTTPS にリダイレクトしていません")
                .remediation(
                    "Make each HTTP listener's default action a redirect to HTTPS (aws elbv2"
                        + " modify-listener --listener-arn <arn> --default-actions"
                        + " Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}).",
                    "各 HTTP リスナーのデフォルトアクションを HTTPS へのリダイレクトにしてください (aws elbv2"
                        + " modify-listener --listener-arn <arn> --default-actions"
                        + " Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301})。",
                    DOCS + "#elb-1"),
            (view, lb) ->
                !lb.application()
                    ? Verdict.notApplicable()
                    : Verdict.on(
                        lb.listeners(),
                        listeners -> {
                          var plain =
                              listeners.stream()
                                  .filter(l -> "HTTP".equals(l.protocol()) && !l.redirectsToHttps())
                                  .map(LoadBalancers.Listener::port)
                                  .toList();
                          return Verdict.failIf(
                              !plain.isEmpty(),
                              "Load balancer "
                                  + lb.name()
                                  + " serves HTTP without redirecting to HTTPS on port(s) "
                                  + plain);
                        })),
        v2(
            b("aws-elb-alb-invalid-headers-kept", "ELB.4", Severity.MEDIUM)
                .title(
                    "Application Load Balancer does not drop invalid HTTP headers",
                    "Application Load Balancer が無効な HTTP ヘッダーを破棄していません")
                .remediation(
                    "Set routing.http.drop_invalid_header_fields.enabled to true (aws elbv2"
                        + " modify-load-balancer-attributes --load-balancer-arn <arn> --attributes"
                        + " Key=routing.http.drop_invalid_header_fields.enabled,Value=true).",
                    "routing.http.drop_invalid_header_fields.enabled を true にしてください (aws elbv2"
                        + " modify-load-balancer-attributes --load-balancer-arn <arn> --attributes"
                        + " Key=routing.http.drop_invalid_header_fields.enabled,Value=true)。",
                    DOCS + "#elb-4"),
            attribute(
                true, "routing.http.drop_invalid_header_fields.enabled", "false", "true"::equals)),
        v2(
            b("aws-elb-alb-access-logs-off", "ELB.5", Severity.MEDIUM)
                .title(
                    "Application Load Balancer access logging is off",
                    "Application Load Balancer のアクセスログが無効です")
                .remediation(
                    "Turn on access logs to an S3 bucket (aws elbv2 modify-load-balancer-attributes"
                        + " --load-balancer-arn <arn> --attributes Key=access_logs.s3.enabled,Value=true"
                        + " Key=access_logs.s3.bucket,Value=<bucket>).",
                    "S3 バケットへのアクセスログを有効にしてください (aws elbv2 modify-load-balancer-attributes"
                        + " --load-balancer-arn <arn> --attributes Key=access_logs.s3.enabled,Value=true"
                        + " Key=access_logs.s3.bucket,Value=<bucket>)。",
                    DOCS + "#elb-5"),
            attribute(true, "access_logs.s3.enabled", "false", "true"::equals)),
        v2(
            b("aws-elb-deletion-protection-off", "ELB.6", Severity.MEDIUM)
                .title("Load balancer deletion protection is off", "ロードバランサーの削除保護が無効です")
                .remediation(
                    "Turn on deletion protection (aws elbv2 modify-load-balancer-attributes"
                        + " --load-balancer-arn <arn> --attributes"
                        + " Key=deletion_protection.enabled,Value=true).",
                    "削除保護を有効にしてください (aws elbv2 modify-load-balancer-attributes"
                        + " --load-balancer-arn <arn> --attributes"
                        + " Key=deletion_protection.enabled,Value=true)。",
                    DOCS + "#elb-6"),
            attribute(false, "deletion_protection.enabled", "false", "true"::equals)),
        v2(
            b("aws-elb-alb-desync-mitigation-weak", "ELB.12", Severity.MEDIUM)
                .title(
                    "Application Load Balancer desync mitigation mode is not defensive or strictest",
                    "Application Load Balancer の非同期緩和モードが defensive または strictest ではありません")
                .remediation(
                    "Set routing.http.desync_mitigation_mode to defensive or strictest (aws elbv2"
                        + " modify-load-balancer-attributes --load-balancer-arn <arn> --attributes"
                        + " Key=routing.http.desync_mitigation_mode,Value=defensive).",
                    "routing.http.desync_mitigation_mode を defensive または strictest にしてください (aws"
                        + " elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes"
                        + " Key=routing.http.desync_mitigation_mode,Value=defensive)。",
                    DOCS + "#elb-12"),
            attribute(
                true,
                "routing.http.desync_mitigation_mode",
                "defensive",
                SAFE_DESYNC_MODES::contains)),
        v2(
            b("aws-elb-single-az", "ELB.13", Severity.MEDIUM)
                .title(
                    "Load balancer does not span multiple Availability Zones",
                    "ロードバランサーが複数のアベイラビリティーゾーンにまたがっていません")
                .remediation(
                    "Add subnets in at least two Availability Zones (aws elbv2 set-subnets"
                        + " --load-balancer-arn <arn> --subnets <subnet-a> <subnet-b>).",
                    "2 つ以上のアベイラビリティーゾーンのサブネットを追加してください (aws elbv2 set-subnets"
                        + " --load-balancer-arn <arn> --subnets <subnet-a> <subnet-b>)。",
                    DOCS + "#elb-13"),
            (view, lb) ->
                Verdict.failIf(
                    lb.availabilityZones() < 2,
                    "Load balancer "
                        + lb.name()
                        + " is in "
                        + lb.availabilityZones()
                        + " Availability Zone(s)")),
        v2(
            b("aws-elb-tls-policy-weak", "ELB.17", Severity.MEDIUM)
                .title(
                    "Load balancer TLS listener uses a security policy that allows TLS below 1.2",
                    "ロードバランサーの TLS リスナーが TLS 1.2 未満を許可するセキュリティポリシーを使用しています")
                .remediation(
                    "Use a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06 (aws elbv2"
                        + " modify-listener --listener-arn <arn> --ssl-policy"
                        + " ELBSecurityPolicy-TLS13-1-2-2021-06).",
                    "ELBSecurityPolicy-TLS13-1-2-2021-06 などの TLS 1.2 以上のポリシーを使用してください (aws elbv2"
                        + " modify-listener --listener-arn <arn> --ssl-policy"
                        + " ELBSecurityPolicy-TLS13-1-2-2021-06)。",
                    DOCS + "#elb-17"),
            (view, lb) ->
                Verdict.on(
                    lb.listeners(),
                    listeners -> {
                      var tls = listeners.stream().filter(LoadBalancers.Listener::tls).toList();
                      if (tls.isEmpty()) {
                        return Verdict.notApplicable();
                      }
                      var weak =
                          tls.stream()
                              .filter(l -> !tls12Only(l.sslPolicy()))
                              .map(l -> l.port() + ":" + l.sslPolicy())
                              .toList();
                      return Verdict.failIf(
                          !weak.isEmpty(),
                          "Load balancer " + lb.name() + " listeners use weak policies " + weak);
                    })),
        v2(
            b("aws-elb-listener-not-encrypted", "ELB.18", Severity.MEDIUM)
                .title(
                    "Load balancer listener does not encrypt traffic in transit",
                    "ロードバランサーのリスナーが転送中のトラフィックを暗号化していません")
                .remediation(
                    "Serve HTTPS (Application Load Balancers; an HTTP listener that only redirects"
                        + " to HTTPS is fine) or TLS (Network Load Balancers) listeners with an ACM"
                        + " certificate.",
                    "ACM 証明書を使った HTTPS (Application Load Balancer。HTTPS にリダイレクトするだけの HTTP"
                        + " リスナーは可) または TLS (Network Load Balancer) のリスナーにしてください。",
                    DOCS + "#elb-18")
                .coveredBy(HTTP_NOT_REDIRECTED),
            (view, lb) -> {
              if (!lb.application() && !"network".equals(lb.type())) {
                return Verdict.notApplicable(); // Gateway Load Balancers have no such listeners
              }
              return Verdict.on(
                  lb.listeners(),
                  listeners -> {
                    var plain =
                        listeners.stream()
                            .filter(l -> !l.tls() && !l.redirectsToHttps())
                            .map(l -> l.protocol() + ":" + l.port())
                            .toList();
                    return Verdict.failIf(
                        !plain.isEmpty(),
                        "Load balancer " + lb.name() + " has unencrypted listeners " + plain);
                  });
            }),
        // Classic Load Balancers
        classic(
            b("aws-elb-classic-no-acm-certificate", "ELB.2", Severity.MEDIUM)
                .title(
                    "Classic Load Balancer TLS listener does not use an ACM certificate",
                    "Classic Load Balancer の TLS リスナーが ACM の証明書を使用していません")
                .remediation(
                    "Import or request the certificate in ACM and set it on the listener (aws elb"
                        + " set-load-balancer-listener-ssl-certificate --load-balancer-name <name>"
                        + " --load-balancer-port 443 --ssl-certificate-id <acm-arn>).",
                    "証明書を ACM にインポートまたはリクエストし、リスナーに設定してください (aws elb"
                        + " set-load-balancer-listener-ssl-certificate --load-balancer-name <name>"
                        + " --load-balancer-port 443 --ssl-certificate-id <acm-arn>)。",
                    DOCS + "#elb-2"),
            (view, lb) -> {
              var tls = lb.listeners().stream().filter(ClassicLoadBalancers.Listener::tls).toList();
              if (tls.isEmpty()) {
                return Verdict.notApplicable();
              }
              var other =
                  tls.stream()
                      .filter(
                          l -> l.certificateId() == null || !l.certificateId().contains(":acm:"))
                      .map(l -> l.port() + ":" + l.certificateId())
                      .toList();
              return Verdict.failIf(
                  !other.isEmpty(),
                  "Load balancer " + lb.name() + " uses certificates outside ACM " + other);
            }),
        classic(
            b("aws-elb-classic-listener-not-encrypted", "ELB.3", Severity.MEDIUM)
                .title(
                    "Classic Load Balancer has a listener without HTTPS or TLS",
                    "Classic Load Balancer に HTTPS または TLS ではないリスナーがあります")
                .remediation(
                    "Replace HTTP and TCP listeners with HTTPS or SSL listeners (aws elb"
                        + " create-load-balancer-listeners, then delete-load-balancer-listeners).",
                    "HTTP と TCP のリスナーを HTTPS または SSL のリスナーに置き換えてください (aws elb"
                        + " create-load-balancer-listeners の後に delete-load-balancer-listeners)。",
                    DOCS + "#elb-3"),
            (view, lb) -> {
              var plain =
                  lb.listeners().stream()
                      .filter(l -> !l.tls())
                      .map(l -> l.protocol() + ":" + l.port())
                      .toList();
              return Verdict.failIf(
                  !plain.isEmpty(),
                  "Load balancer " + lb.name() + " has unencrypted listeners " + plain);
            }),
        classic(
            b("aws-elb-classic-access-logs-off", "ELB.5", Severity.MEDIUM)
                .title(
                    "Classic Load Balancer access logging is off",
                    "Classic Load Balancer のアクセスログが無効です")
                .remediation(
                    "Turn on access logs (aws elb modify-load-balancer-attributes"
                        + " --load-balancer-name <name> --load-balancer-attributes"
                        + " AccessLog={Enabled=true,S3BucketName=<bucket>}).",
                    "アクセスログを有効にしてください (aws elb modify-load-balancer-attributes"
                        + " --load-balancer-name <name> --load-balancer-attributes"
                        + " AccessLog={Enabled=true,S3BucketName=<bucket>})。",
                    DOCS + "#elb-5"),
            classicAttribute(a -> a.accessLogs(), "access logging is off")),
        classic(
            b("aws-elb-classic-connection-draining-off", "ELB.7", Severity.LOW)
                .title(
                    "Classic Load Balancer connection draining is off",
                    "Classic Load Balancer の Connection Draining が無効です")
                .remediation(
                    "Turn on connection draining (aws elb modify-load-balancer-attributes"
                        + " --load-balancer-name <name> --load-balancer-attributes"
                        + " ConnectionDraining={Enabled=true,Timeout=300}).",
                    "Connection Draining を有効にしてください (aws elb modify-load-balancer-attributes"
                        + " --load-balancer-name <name> --load-balancer-attributes"
                        + " ConnectionDraining={Enabled=true,Timeout=300})。",
                    DOCS + "#elb-7"),
            classicAttribute(a -> a.connectionDraining(), "connection draining is off")),
        classic(
            b("aws-elb-classic-cross-zone-off", "ELB.9", Severity.MEDIUM)
                .title(
                    "Classic Load Balancer cross-zone load balancing is off",
                    "Classic Load Balancer のクロスゾーン負荷分散が無効です")
                .remediation(
                    "Turn on cross-zone load balancing (aws elb modify-load-balancer-attributes"
                        + " --load-balancer-name <name> --load-balancer-attributes"
                        + " CrossZoneLoadBalancing={Enabled=true}).",
                    "クロスゾーン負荷分散を有効にしてください (aws elb modify-load-balancer-attributes"
                        + " --load-balancer-name <name> --load-balancer-attributes"
                        + " CrossZoneLoadBalancing={Enabled=true})。",
                    DOCS + "#elb-9"),
            classicAttribute(a -> a.crossZone(), "cross-zone load balancing is off")),
        classic(
            b("aws-elb-classic-single-az", "ELB.10", Severity.MEDIUM)
                .title(
                    "Classic Load Balancer does not span multiple Availability Zones",
                    "Classic Load Balancer が複数のアベイラビリティーゾーンにまたがっていません")
                .remediation(
                    "Add a second Availability Zone (aws elb enable-availability-zones-for-load-balancer"
                        + " --load-balancer-name <name> --availability-zones <zone>, or"
                        + " attach-load-balancer-to-subnets in a VPC).",
                    "2 つ目のアベイラビリティーゾーンを追加してください (aws elb"
                        + " enable-availability-zones-for-load-balancer --load-balancer-name <name>"
                        + " --availability-zones <zone>、VPC では attach-load-balancer-to-subnets)。",
                    DOCS + "#elb-10"),
            (view, lb) ->
                Verdict.failIf(
                    lb.availabilityZones() < 2,
                    "Load balancer "
                        + lb.name()
                        + " is in "
                        + lb.availabilityZones()
                        + " Availability Zone(s)")),
        classic(
            b("aws-elb-classic-desync-mitigation-weak", "ELB.14", Severity.MEDIUM)
                .title(
                    "Classic Load Balancer desync mitigation mode is not defensive or strictest",
                    "Classic Load Balancer の非同期緩和モードが defensive または strictest ではありません")
                .remediation(
                    "Set elb.http.desyncmitigationmode to defensive or strictest (aws elb"
                        + " modify-load-balancer-attributes --load-balancer-name <name>"
                        + " --load-balancer-attributes"
                        + " AdditionalAttributes=[{Key=elb.http.desyncmitigationmode,Value=defensive}]).",
                    "elb.http.desyncmitigationmode を defensive または strictest にしてください (aws elb"
                        + " modify-load-balancer-attributes --load-balancer-name <name>"
                        + " --load-balancer-attributes"
                        + " AdditionalAttributes=[{Key=elb.http.desyncmitigationmode,Value=defensive}])。",
                    DOCS + "#elb-14"),
            (view, lb) ->
                Verdict.on(
                    lb.attributes(),
                    a -> {
                      // Not returned: AWS's default, defensive.
                      var mode =
                          a.desyncMitigationMode() == null ? "defensive" : a.desyncMitigationMode();
                      return Verdict.failIf(
                          !SAFE_DESYNC_MODES.contains(mode),
                          "Load balancer " + lb.name() + " desync mitigation mode is " + mode);
                    })));
  }

  /** TLS 1.2 and later only: the TLS13-1-2/1-3 policies and the TLS-1-2 and FS-1-2 families. */
  static boolean tls12Only(String policy) {
    if (policy == null) {
      return false;
    }
    return policy.startsWith("ELBSecurityPolicy-TLS13-1-2")
        || policy.startsWith("ELBSecurityPolicy-TLS13-1-3")
        || policy.startsWith("ELBSecurityPolicy-TLS-1-2")
        || policy.startsWith("ELBSecurityPolicy-FS-1-2");
  }

  private static RuleDefinition.Builder b(String id, String fsbp, Severity severity) {
    return RuleDefinition.builder(id).fsbp(fsbp).severity(severity);
  }

  private static AwsRule v2(
      RuleDefinition.Builder definition,
      BiFunction<RegionView, LoadBalancers.LoadBalancer, Verdict> judge) {
    return new PerResourceRule<>(
        definition.resourceType(V2).reads(LoadBalancers.class).build(),
        LoadBalancers.class,
        LoadBalancers::loadBalancers,
        (view, lb) ->
            new Resource(V2, lb.name(), lb.arn(), view.accountId(), view.region(), lb.tags()),
        judge);
  }

  private static AwsRule classic(
      RuleDefinition.Builder definition,
      BiFunction<RegionView, ClassicLoadBalancers.ClassicLoadBalancer, Verdict> judge) {
    return new PerResourceRule<>(
        definition.resourceType(CLASSIC).reads(ClassicLoadBalancers.class).build(),
        ClassicLoadBalancers.class,
        ClassicLoadBalancers::loadBalancers,
        (view, lb) ->
            view.resource(
                CLASSIC, lb.name(), "elasticloadbalancing", "loadbalancer/" + lb.name(), lb.tags()),
        judge);
  }

  /**
   * An elbv2 attribute check: {@code absent} is AWS's default for a key not returned; {@code
   * applicationOnly} limits it to Application Load Balancers.
   */
  private static BiFunction<RegionView, LoadBalancers.LoadBalancer, Verdict> attribute(
      boolean applicationOnly, String key, String absent, java.util.function.Predicate<String> ok) {
    return (view, lb) -> {
      if (applicationOnly && !lb.application()) {
        return Verdict.notApplicable();
      }
      return Verdict.on(
          lb.attributes(),
          (Function<Map<String, String>, Verdict>)
              attributes -> {
                var value = attributes.getOrDefault(key, absent);
                return Verdict.failIf(
                    !ok.test(value), "Load balancer " + lb.name() + " has " + key + "=" + value);
              });
    };
  }

  private static BiFunction<RegionView, ClassicLoadBalancers.ClassicLoadBalancer, Verdict>
      classicAttribute(
          java.util.function.Predicate<ClassicLoadBalancers.Attributes> on, String evidence) {
    return (view, lb) ->
        Verdict.on(
            lb.attributes(),
            a -> Verdict.failIf(!on.test(a), "Load balancer " + lb.name() + ": " + evidence));
  }
}
