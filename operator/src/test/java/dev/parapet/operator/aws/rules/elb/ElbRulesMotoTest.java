package dev.parapet.operator.aws.rules.elb;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.elasticloadbalancing.ElasticLoadBalancingClient;
import software.amazon.awssdk.services.elasticloadbalancing.model.AdditionalAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * ELB rules against moto: a hardened ALB and a weak one, a single-zone NLB with a plain TCP and a
 * weak TLS listener, and three Classic Load Balancers. moto returns only four elbv2 attribute keys
 * until they are modified; the rules read a missing key as AWS's default, which the weak ALB shows.
 */
class ElbRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();
  static final String REGION = "eu-central-1";
  static ScanReport report;

  static Action fixed() {
    return Action.builder()
        .type(ActionTypeEnum.FIXED_RESPONSE)
        .fixedResponseConfig(c -> c.statusCode("200"))
        .build();
  }

  static LoadBalancerAttribute attr(String key, String value) {
    return LoadBalancerAttribute.builder().key(key).value(value).build();
  }

  @BeforeAll
  static void seedAndScan() {
    var seed = new AwsSeed(MOTO.server());
    try (var ec2 = seed.ec2(REGION);
        var v2 = seed.client(ElasticLoadBalancingV2Client.builder(), REGION);
        var clb = seed.client(ElasticLoadBalancingClient.builder(), REGION);
        var acm = seed.client(AcmClient.builder(), REGION);
        var iam = seed.iam()) {
      var subnets =
          ec2.describeSubnets().subnets().stream()
              .sorted(java.util.Comparator.comparing(s -> s.availabilityZone()))
              .map(s -> s.subnetId())
              .toList();
      var acmCert = acm.requestCertificate(b -> b.domainName("example.com")).certificateArn();
      var iamCert =
          iam.uploadServerCertificate(
                  b ->
                      b.serverCertificateName("legacy")
                          .certificateBody(
                              "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")
                          .privateKey(
                              "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----"))
              .serverCertificateMetadata()
              .arn();

      var good =
          v2.createLoadBalancer(
                  b ->
                      b.name("good-alb")
                          .type(LoadBalancerTypeEnum.APPLICATION)
                          .subnets(subnets.get(0), subnets.get(1)))
              .loadBalancers()
              .get(0)
              .loadBalancerArn();
      v2.createListener(
          b ->
              b.loadBalancerArn(good)
                  .protocol(ProtocolEnum.HTTPS)
                  .port(443)
                  .sslPolicy("ELBSecurityPolicy-TLS13-1-2-2021-06")
                  .certificates(Certificate.builder().certificateArn(acmCert).build())
                  .defaultActions(fixed()));
      v2.createListener(
          b ->
              b.loadBalancerArn(good)
                  .protocol(ProtocolEnum.HTTP)
                  .port(80)
                  .defaultActions(
                      Action.builder()
                          .type(ActionTypeEnum.REDIRECT)
                          .redirectConfig(
                              r -> r.protocol("HTTPS").port("443").statusCode("HTTP_301"))
                          .build()));
      v2.modifyLoadBalancerAttributes(
          b ->
              b.loadBalancerArn(good)
                  .attributes(
                      attr("routing.http.drop_invalid_header_fields.enabled", "true"),
                      attr("access_logs.s3.enabled", "true"),
                      attr("deletion_protection.enabled", "true"),
                      attr("routing.http.desync_mitigation_mode", "strictest")));

      var weak =
          v2.createLoadBalancer(
                  b ->
                      b.name("weak-alb")
                          .type(LoadBalancerTypeEnum.APPLICATION)
                          .subnets(subnets.get(0), subnets.get(1)))
              .loadBalancers()
              .get(0)
              .loadBalancerArn();
      v2.createListener(
          b ->
              b.loadBalancerArn(weak).protocol(ProtocolEnum.HTTP).port(80).defaultActions(fixed()));
      v2.modifyLoadBalancerAttributes(
          b ->
              b.loadBalancerArn(weak)
                  .attributes(attr("routing.http.desync_mitigation_mode", "monitor")));

      var nlb =
          v2.createLoadBalancer(
                  b ->
                      b.name("single-nlb")
                          .type(LoadBalancerTypeEnum.NETWORK)
                          .subnets(subnets.get(0)))
              .loadBalancers()
              .get(0)
              .loadBalancerArn();
      v2.createListener(
          b -> b.loadBalancerArn(nlb).protocol(ProtocolEnum.TCP).port(22).defaultActions(fixed()));
      v2.createListener(
          b ->
              b.loadBalancerArn(nlb)
                  .protocol(ProtocolEnum.TLS)
                  .port(443)
                  .sslPolicy("ELBSecurityPolicy-2016-08")
                  .certificates(Certificate.builder().certificateArn(acmCert).build())
                  .defaultActions(fixed()));

      clb.createLoadBalancer(
          b ->
              b.loadBalancerName("clb-good")
                  .availabilityZones(REGION + "a", REGION + "b")
                  .listeners(
                      l ->
                          l.protocol("HTTPS")
                              .loadBalancerPort(443)
                              .instanceProtocol("HTTP")
                              .instancePort(80)
                              .sslCertificateId(acmCert)));
      clb.modifyLoadBalancerAttributes(
          b ->
              b.loadBalancerName("clb-good")
                  .loadBalancerAttributes(
                      a ->
                          a.accessLog(l -> l.enabled(true).s3BucketName("example-logs"))
                              .connectionDraining(d -> d.enabled(true).timeout(300))
                              .crossZoneLoadBalancing(c -> c.enabled(true))));
      clb.createLoadBalancer(
          b ->
              b.loadBalancerName("clb-plain")
                  .availabilityZones(REGION + "a")
                  .listeners(
                      l ->
                          l.protocol("HTTP")
                              .loadBalancerPort(80)
                              .instanceProtocol("HTTP")
                              .instancePort(80)));
      clb.modifyLoadBalancerAttributes(
          b ->
              b.loadBalancerName("clb-plain")
                  .loadBalancerAttributes(
                      a ->
                          a.additionalAttributes(
                              AdditionalAttribute.builder()
                                  .key("elb.http.desyncmitigationmode")
                                  .value("monitor")
                                  .build())));
      clb.createLoadBalancer(
          b ->
              b.loadBalancerName("clb-iam-cert")
                  .availabilityZones(REGION + "a", REGION + "b")
                  .listeners(
                      l ->
                          l.protocol("SSL")
                              .loadBalancerPort(443)
                              .instanceProtocol("TCP")
                              .instancePort(443)
                              .sslCertificateId(iamCert)));
    }
    var ids =
        RuleRegistry.defaults().rules().stream()
            .map(r -> r.id())
            .filter(id -> id.startsWith("aws-elb-"))
            .toArray(String[]::new);
    report = MotoScans.scan(MOTO.server(), List.of(REGION), CloudPolicy.only(ids));
  }

  @Test
  void everyElbRuleRanAndNothingIsUnknown() {
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void applicationLoadBalancerRules() {
    assertThat(failedIds(report, "aws-elb-alb-http-not-redirected")).containsExactly("weak-alb");
    assertThat(passedIds(report, "aws-elb-alb-http-not-redirected")).containsExactly("good-alb");
    // Not returned by moto until modified: AWS's default (false) fails.
    assertThat(failedIds(report, "aws-elb-alb-invalid-headers-kept")).containsExactly("weak-alb");
    assertThat(passedIds(report, "aws-elb-alb-invalid-headers-kept")).containsExactly("good-alb");
    assertThat(failedIds(report, "aws-elb-alb-access-logs-off")).containsExactly("weak-alb");
    assertThat(passedIds(report, "aws-elb-alb-access-logs-off")).containsExactly("good-alb");
    assertThat(failedIds(report, "aws-elb-alb-desync-mitigation-weak")).containsExactly("weak-alb");
    assertThat(passedIds(report, "aws-elb-alb-desync-mitigation-weak")).containsExactly("good-alb");
  }

  @Test
  void rulesOverEveryElbv2Type() {
    assertThat(failedIds(report, "aws-elb-deletion-protection-off"))
        .containsExactlyInAnyOrder("weak-alb", "single-nlb");
    assertThat(passedIds(report, "aws-elb-deletion-protection-off")).containsExactly("good-alb");
    assertThat(failedIds(report, "aws-elb-single-az")).containsExactly("single-nlb");
    assertThat(passedIds(report, "aws-elb-single-az"))
        .containsExactlyInAnyOrder("good-alb", "weak-alb");
    assertThat(failedIds(report, "aws-elb-tls-policy-weak")).containsExactly("single-nlb");
    assertThat(passedIds(report, "aws-elb-tls-policy-weak")).containsExactly("good-alb");
    // weak-alb's plain HTTP listener is reported once, by aws-elb-alb-http-not-redirected.
    assertThat(failedIds(report, "aws-elb-listener-not-encrypted")).containsExactly("single-nlb");
    assertThat(passedIds(report, "aws-elb-listener-not-encrypted")).containsExactly("good-alb");
  }

  @Test
  void classicLoadBalancerRules() {
    assertThat(failedIds(report, "aws-elb-classic-no-acm-certificate"))
        .containsExactly("clb-iam-cert");
    assertThat(passedIds(report, "aws-elb-classic-no-acm-certificate")).containsExactly("clb-good");
    assertThat(failedIds(report, "aws-elb-classic-listener-not-encrypted"))
        .containsExactly("clb-plain");
    assertThat(passedIds(report, "aws-elb-classic-listener-not-encrypted"))
        .containsExactlyInAnyOrder("clb-good", "clb-iam-cert");
    for (var rule :
        List.of(
            "aws-elb-classic-access-logs-off",
            "aws-elb-classic-connection-draining-off",
            "aws-elb-classic-cross-zone-off")) {
      assertThat(failedIds(report, rule)).as(rule).contains("clb-plain").doesNotContain("clb-good");
      assertThat(passedIds(report, rule)).as(rule).contains("clb-good");
    }
    assertThat(failedIds(report, "aws-elb-classic-single-az")).containsExactly("clb-plain");
    assertThat(failedIds(report, "aws-elb-classic-desync-mitigation-weak"))
        .containsExactly("clb-plain");
    assertThat(passedIds(report, "aws-elb-classic-desync-mitigation-weak"))
        .containsExactlyInAnyOrder("clb-good", "clb-iam-cert");
  }

  @Test
  void perLoadBalancerCallsOnlyWhereAwsHasNoBatchForm() {
    // 3 elbv2 and 3 classic load balancers: one list and one tag call per API, then
    // DescribeListeners (elbv2) and DescribeLoadBalancerAttributes (both) per load balancer.
    assertThat(report.apiCalls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "sts:GetCallerIdentity", 1L,
                "elasticloadbalancingv2:DescribeLoadBalancers", 1L,
                "elasticloadbalancingv2:DescribeTags", 1L,
                "elasticloadbalancingv2:DescribeListeners", 3L,
                "elasticloadbalancingv2:DescribeLoadBalancerAttributes", 3L,
                "elasticloadbalancing:DescribeLoadBalancers", 1L,
                "elasticloadbalancing:DescribeTags", 1L,
                "elasticloadbalancing:DescribeLoadBalancerAttributes", 3L));
  }
}
