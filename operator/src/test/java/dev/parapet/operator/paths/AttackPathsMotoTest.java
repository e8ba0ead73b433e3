package dev.parapet.operator.paths;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.core.Severity;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.findings.DesiredFinding;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cross-plane attack paths on moto: IAM roles (trust policies with the cluster's OIDC provider,
 * attached and inline policies) and a public bucket are created in moto and scanned by the real
 * engine, whose inventory listener fills {@link CloudIdentity} as the operator's does; the cluster
 * side is Fabric8 model objects (Deployments, Services, an Ingress, annotated ServiceAccounts).
 * Every path kind is asserted with its hops, severity and hop Findings, and the cases where one
 * side is missing give path-unknown, never nothing.
 */
class AttackPathsMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  static final String ACCOUNT = MotoServer.ACCOUNT_ID;
  static final String ISSUER =
      "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
  static final String PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/" + ISSUER;
  static final String ADMIN =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
  static final String ALL_OBJECTS =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"ReadAll\",\"Effect\":\"Allow\","
          + "\"Action\":[\"s3:Get*\",\"s3:List*\"],\"Resource\":\"*\"}]}";
  static final String REPORTS_ONLY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
          + "\"Resource\":\"arn:aws:s3:::reports-public/*\"}]}";
  static final String DENIED_ADMIN =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
          + "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

  static final CloudIdentity identity = new CloudIdentity();
  static ScanReport report;
  static String adminPolicyArn;

  static String trust(String operator, String sub) {
    var condition =
        sub == null
            ? ""
            : ",\"Condition\":{\"" + operator + "\":{\"" + ISSUER + ":sub\":\"" + sub + "\"}}";
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
        + PROVIDER
        + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\""
        + condition
        + "}]}";
  }

  static String serviceTrust(String service) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
        + service
        + "\"},\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\"]}]}";
  }

  static String role(String name) {
    return "arn:aws:iam::" + ACCOUNT + ":role/" + name;
  }

  @BeforeAll
  static void seedAndScan() {
    var moto = MOTO.server();
    var seed = new AwsSeed(moto);
    try (var iam = seed.iam();
        var s3 = seed.s3("us-east-1")) {
      adminPolicyArn =
          iam.createPolicy(b -> b.policyName("web-admin").policyDocument(ADMIN)).policy().arn();
      var readAll =
          iam.createPolicy(b -> b.policyName("read-all").policyDocument(ALL_OBJECTS))
              .policy()
              .arn();
      iam.createRole(
          b ->
              b.roleName("web-admin")
                  .assumeRolePolicyDocument(
                      trust("StringEquals", "system:serviceaccount:shop:web")));
      iam.attachRolePolicy(b -> b.roleName("web-admin").policyArn(adminPolicyArn));
      iam.createRole(
          b ->
              b.roleName("analytics")
                  .assumeRolePolicyDocument(
                      trust("StringEquals", "system:serviceaccount:shop:analytics")));
      iam.attachRolePolicy(b -> b.roleName("analytics").policyArn(readAll));
      // Trusted by every ServiceAccount of the cluster (StringLike on any namespace).
      iam.createRole(
          b ->
              b.roleName("reports")
                  .assumeRolePolicyDocument(trust("StringLike", "system:serviceaccount:*")));
      iam.putRolePolicy(
          b -> b.roleName("reports").policyName("reports-read").policyDocument(REPORTS_ONLY));
      // Administrator access cancelled by an unconditional Deny: not an admin path.
      iam.createRole(
          b ->
              b.roleName("locked")
                  .assumeRolePolicyDocument(
                      trust("StringEquals", "system:serviceaccount:shop:locked")));
      iam.putRolePolicy(
          b -> b.roleName("locked").policyName("denied").policyDocument(DENIED_ADMIN));

      // IRSA trust that does not admit the ServiceAccount annotated with it (pinned to another).
      iam.createRole(
          b ->
              b.roleName("pinned-elsewhere")
                  .assumeRolePolicyDocument(
                      trust("StringEquals", "system:serviceaccount:billing:worker")));
      iam.attachRolePolicy(b -> b.roleName("pinned-elsewhere").policyArn(adminPolicyArn));
      // IRSA trust by StringLike on a name prefix: admits shop/api-v2, not shop/batch.
      iam.createRole(
          b ->
              b.roleName("api-prefix")
                  .assumeRolePolicyDocument(
                      trust("StringLike", "system:serviceaccount:shop:api-*")));
      iam.attachRolePolicy(b -> b.roleName("api-prefix").policyArn(adminPolicyArn));
      // Pod Identity trust (pods.eks.amazonaws.com, AssumeRole + TagSession), administrator.
      iam.createRole(
          b ->
              b.roleName("pod-admin")
                  .assumeRolePolicyDocument(serviceTrust("pods.eks.amazonaws.com")));
      iam.attachRolePolicy(b -> b.roleName("pod-admin").policyArn(adminPolicyArn));
      // A role an association names but whose trust is for EC2 only: Pod Identity cannot use it.
      iam.createRole(
          b -> b.roleName("ec2-only").assumeRolePolicyDocument(serviceTrust("ec2.amazonaws.com")));
      iam.attachRolePolicy(b -> b.roleName("ec2-only").policyArn(adminPolicyArn));

      s3.createBucket(b -> b.bucket("reports-public"));
      s3.putBucketPolicy(
          b ->
              b.bucket("reports-public")
                  .policy(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                          + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::reports-public/*\"}]}"));
      s3.createBucket(b -> b.bucket("private-data"));
    }
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var engine = new ScanEngine(factory);
      engine.onInventory(identity::record);
      report =
          MotoScans.scan(
              engine,
              moto.endpoint(),
              List.of("us-east-1"),
              CloudPolicy.only("aws-iam-admin-policy-attached", "aws-s3-bucket-public"));
    }
  }

  /** The Findings the operator wrote for the scan's failures (name, rule, resource ARN). */
  static List<Finding> awsFindings() {
    var out = new ArrayList<Finding>();
    for (var r : report.results()) {
      if (r.status() != ResultStatus.FAIL) {
        continue;
      }
      var f = new Finding();
      f.setMetadata(
          new ObjectMetaBuilder()
              .withNamespace("parapet-system")
              .withName(r.ruleId() + "-" + Math.abs(r.resource().arn().hashCode()))
              .build());
      f.setSpec(
          new FindingSpec(
              FindingSpec.Source.AWS,
              new FindingSpec.Rule(r.ruleId(), "", "", r.severity(), List.of()),
              new FindingSpec.Resource(
                  r.resource().type(),
                  r.resource().id(),
                  r.resource().arn(),
                  ACCOUNT,
                  r.region(),
                  null,
                  null,
                  null,
                  null),
              r.evidence(),
              null));
      out.add(f);
    }
    return out;
  }

  static Deployment deployment(String name, String sa) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .withUid("uid-" + name)
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(sa)
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/app:1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  static ServiceAccount sa(String name, String roleArn) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .withAnnotations(roleArn == null ? Map.of() : Map.of(AttackPaths.ROLE_ARN, roleArn))
        .endMetadata()
        .build();
  }

  static HasMetadata service(String name, String type, String app) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .endMetadata()
        .withNewSpec()
        .withType(type)
        .withSelector(Map.of("app", app))
        .endSpec()
        .build();
  }

  static Ingress ingress(String name, String service) {
    return new IngressBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .endMetadata()
        .withNewSpec()
        .addNewRule()
        .withHost("analytics.example.com")
        .withNewHttp()
        .addNewPath()
        .withPath("/")
        .withPathType("Prefix")
        .withNewBackend()
        .withNewService()
        .withName(service)
        .withNewPort()
        .withNumber(80)
        .endPort()
        .endService()
        .endBackend()
        .endPath()
        .endHttp()
        .endRule()
        .endSpec()
        .build();
  }

  static List<DesiredFinding> paths(
      List<HasMetadata> objects, List<Ingress> ingresses, List<ServiceAccount> sas) {
    return AttackPaths.desired(
        new AttackPaths.ClusterSide(objects, ingresses, sas),
        identity::of,
        AttackPaths.open(awsFindings()),
        List.of("kube-system"));
  }

  static DesiredFinding only(List<DesiredFinding> all, String rule, String workload) {
    var hits =
        all.stream()
            .filter(d -> d.spec().rule().id().equals(rule))
            .filter(d -> d.spec().resource().name().equals(workload))
            .toList();
    assertThat(hits).as(rule + " of " + workload + " in " + all).hasSize(1);
    return hits.get(0);
  }

  @Test
  void theScanRecordedTheRolesTrustPoliciesAndThePublicBucket() {
    var iam = identity.of(ACCOUNT).orElseThrow();
    assertThat(iam.known()).isTrue();
    assertThat(iam.details().roleTrustPolicies())
        .containsKeys(role("web-admin"), role("analytics"), role("reports"), role("locked"));
    assertThat(MotoScans.failedIds(report, "aws-s3-bucket-public"))
        .containsExactly("reports-public");
  }

  @Test
  void everyPathKindWithItsHopsSeverityAndHopFindings() {
    var objects =
        List.<HasMetadata>of(
            deployment("web", "web"),
            service("web-lb", "LoadBalancer", "web"),
            deployment("analytics", "analytics"),
            service("analytics", "ClusterIP", "analytics"),
            deployment("reports", "reports"),
            deployment("locked", "locked"),
            service("locked-np", "NodePort", "locked"),
            deployment("plain", "plain"));
    var all =
        paths(
            objects,
            List.of(ingress("analytics", "analytics")),
            List.of(
                sa("web", role("web-admin")),
                sa("analytics", role("analytics")),
                sa("reports", role("reports")),
                sa("locked", role("locked")),
                sa("plain", null)));

    // Exposed by a LoadBalancer, administrator role: critical, every hop named.
    var admin = only(all, "path-exposed-admin-role", "web");
    assertThat(admin.spec().rule().severity()).isEqualTo(Severity.CRITICAL);
    assertThat(admin.namespace()).isEqualTo("shop");
    assertThat(admin.owner().getUid()).isEqualTo("uid-web");
    assertThat(admin.spec().message())
        .contains("Deployment shop/web (exposed by Service shop/web-lb (LoadBalancer))")
        .contains("→ ServiceAccount shop/web (eks.amazonaws.com/role-arn)")
        .contains("→ role " + role("web-admin"))
        .contains("→ policy " + adminPolicyArn + " (statement #0: Allow [*] on [*])")
        .contains("→ resource * (every action on every resource)");
    // The hop Finding about the admin policy (aws-iam-admin-policy-attached) is linked by name.
    var adminFinding =
        awsFindings().stream()
            .filter(f -> f.getSpec().rule().id().equals("aws-iam-admin-policy-attached"))
            .filter(f -> adminPolicyArn.equals(f.getSpec().resource().arn()))
            .findFirst()
            .orElseThrow();
    assertThat(admin.spec().message())
        .contains(
            "; hop findings: parapet-system/" + adminFinding.getMetadata().getName() + " [rule");

    // Exposed by an Ingress (through a ClusterIP Service), role reads every object: high.
    var data = only(all, "path-exposed-data-role", "analytics");
    assertThat(data.spec().rule().severity()).isEqualTo(Severity.HIGH);
    assertThat(data.spec().message())
        .contains("exposed by Ingress shop/analytics via Service analytics")
        .contains("statement ReadAll: Allow [s3:Get*, s3:List*] on [*]")
        .contains("every S3 object");
    // It can also read the public bucket, and is exposed: the bucket path is raised to critical.
    var exposedBucket = only(all, "path-role-reads-flagged-bucket", "analytics");
    assertThat(exposedBucket.spec().rule().severity()).isEqualTo(Severity.CRITICAL);
    assertThat(exposedBucket.labels()).containsEntry(Finding.LABEL_SEVERITY, "critical");

    // Not exposed, reads only the public bucket (inline policy), trusted by every SA.
    var bucket = only(all, "path-role-reads-flagged-bucket", "reports");
    assertThat(bucket.spec().rule().severity()).isEqualTo(Severity.HIGH);
    var publicFinding =
        awsFindings().stream()
            .filter(f -> f.getSpec().rule().id().equals("aws-s3-bucket-public"))
            .findFirst()
            .orElseThrow();
    assertThat(bucket.spec().message())
        .contains("→ policy " + role("reports") + " inline policy reports-read")
        .contains("→ bucket reports-public (public)")
        .contains(
            "; hop findings: parapet-system/" + publicFinding.getMetadata().getName() + " [rule");
    var trusts = only(all, "path-role-trusts-every-serviceaccount", "reports");
    assertThat(trusts.spec().rule().severity()).isEqualTo(Severity.HIGH);
    assertThat(trusts.spec().message())
        .contains(PROVIDER)
        .contains(ISSUER + ":sub like \"system:serviceaccount:*\"")
        .contains("every ServiceAccount of the cluster");

    // Admin cancelled by a Deny, exposed by a NodePort: no path; no role: no path.
    assertThat(all).noneMatch(d -> d.spec().resource().name().equals("locked"));
    assertThat(all).noneMatch(d -> d.spec().resource().name().equals("plain"));
    // web-admin and analytics pin their sub to one ServiceAccount: no trust path for them.
    assertThat(all)
        .filteredOn(d -> d.spec().rule().id().equals("path-role-trusts-every-serviceaccount"))
        .extracting(d -> d.spec().resource().name())
        .containsExactly("reports");
    assertThat(all).noneMatch(d -> d.spec().rule().id().equals("path-unknown"));
  }

  @Test
  void aMissingSideIsUnknownAndSaysWhich() {
    var objects =
        List.<HasMetadata>of(
            deployment("elsewhere", "elsewhere"),
            service("elsewhere", "LoadBalancer", "elsewhere"),
            deployment("ghost", "ghost"));
    var all =
        paths(
            objects,
            List.of(),
            List.of(
                sa("elsewhere", "arn:aws:iam::210987654321:role/admin"),
                sa("ghost", role("does-not-exist"))));
    var noScan = only(all, "path-unknown", "elsewhere");
    assertThat(noScan.spec().rule().severity()).isEqualTo(Severity.INFORMATIONAL);
    assertThat(noScan.spec().message())
        .contains("AWS side missing: no scan has collected the IAM data of account 210987654321");
    assertThat(only(all, "path-unknown", "ghost").spec().message())
        .contains("AWS side missing: the role is not in the IAM data of account " + ACCOUNT);
    assertThat(all).allMatch(d -> d.spec().rule().id().equals("path-unknown"));
  }

  @Test
  void iamDataThatCouldNotBeReadIsUnknownWithTheError() {
    var failed = new CloudIdentity();
    failed.record(
        dev.parapet.operator.aws.inventory.Inventory.builder("111122223333")
            .put(
                dev.parapet.operator.aws.inventory.iam.AuthorizationDetails.class,
                dev.parapet.operator.aws.inventory.Datasets.GLOBAL,
                dev.parapet.operator.aws.inventory.Fact.unknown(
                    new dev.parapet.operator.aws.inventory.CollectionError(
                        "iam",
                        dev.parapet.operator.aws.inventory.Datasets.GLOBAL,
                        "GetAccountAuthorizationDetails",
                        dev.parapet.operator.aws.inventory.UnknownReason.AccessDenied,
                        "not authorized")))
            .build());
    var all =
        AttackPaths.desired(
            new AttackPaths.ClusterSide(
                List.of(deployment("web", "web")),
                List.of(),
                List.of(sa("web", "arn:aws:iam::111122223333:role/web"))),
            failed::of,
            List.of(),
            List.of());
    assertThat(only(all, "path-unknown", "web").spec().message())
        .contains("the IAM data of account 111122223333 could not be read")
        .contains("not authorized");
    assertThat(failed.of("444455556666")).isEqualTo(Optional.empty());
  }

  @Test
  void anIrsaRoleWhoseTrustDoesNotAdmitTheServiceAccountIsNoPathButSaysSo() {
    var objects =
        List.<HasMetadata>of(
            deployment("intruder", "intruder"),
            service("intruder-lb", "LoadBalancer", "intruder"),
            deployment("api", "api-v2"),
            service("api-lb", "LoadBalancer", "api"),
            deployment("batch", "batch"),
            service("batch-lb", "LoadBalancer", "batch"));
    var all =
        paths(
            objects,
            List.of(),
            List.of(
                sa("intruder", role("pinned-elsewhere")),
                sa("api-v2", role("api-prefix")),
                sa("batch", role("api-prefix"))));
    // Pinned to billing/worker: shop/intruder cannot assume it, no admin path, said as unknown.
    var intruder = only(all, "path-unknown", "intruder");
    assertThat(intruder.spec().rule().severity()).isEqualTo(Severity.INFORMATIONAL);
    assertThat(intruder.spec().message())
        .contains("no path: the role's trust policy does not admit ServiceAccount shop/intruder")
        .contains("system:serviceaccount:shop:intruder");
    // StringLike "system:serviceaccount:shop:api-*" admits shop/api-v2 (an admin path) ...
    assertThat(only(all, "path-exposed-admin-role", "api").spec().message())
        .contains("(trusted by statement #0 of " + PROVIDER + ")");
    // ... but not shop/batch.
    assertThat(only(all, "path-unknown", "batch").spec().message())
        .contains("does not admit ServiceAccount shop/batch");
    assertThat(all)
        .filteredOn(d -> d.spec().rule().id().equals("path-exposed-admin-role"))
        .extracting(d -> d.spec().resource().name())
        .containsExactly("api");
  }

  @Test
  void trustPolicyChecksMatchIrsaAndPodIdentityRules() {
    var irsa =
        dev.parapet.operator.aws.collect.PolicyDocuments.parse(
            "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":{\"Federated\":\""
                + PROVIDER
                + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"},"
                + "{\"Sid\":\"Both\",\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                + PROVIDER
                + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{"
                + "\"StringEquals\":{\""
                + ISSUER
                + ":sub\":[\"system:serviceaccount:a:x\",\"system:serviceaccount:b:y\"],\""
                + ISSUER
                + ":aud\":\"sts.amazonaws.com\"}}}]}");
    assertThat(AttackPaths.irsaTrust(irsa, "b", "y")).isEqualTo("statement Both of " + PROVIDER);
    assertThat(AttackPaths.irsaTrust(irsa, "a", "y")).isNull();
    // No :sub condition admits every ServiceAccount; a Deny alone admits none.
    assertThat(
            AttackPaths.irsaTrust(
                dev.parapet.operator.aws.collect.PolicyDocuments.parse(trust(null, null)),
                "any",
                "one"))
        .isNotNull();
    var pod =
        dev.parapet.operator.aws.collect.PolicyDocuments.parse(
            serviceTrust("pods.eks.amazonaws.com"));
    assertThat(AttackPaths.podIdentityTrust(pod))
        .isEqualTo("statement #0 of pods.eks.amazonaws.com");
    // AssumeRole without TagSession: EKS Pod Identity refuses it.
    assertThat(
            AttackPaths.podIdentityTrust(
                dev.parapet.operator.aws.collect.PolicyDocuments.parse(
                    "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                        + "\"pods.eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}")))
        .isNull();
    // An IRSA trust does not admit Pod Identity, nor the reverse.
    assertThat(AttackPaths.podIdentityTrust(irsa)).isNull();
    assertThat(AttackPaths.irsaTrust(pod, "b", "y")).isNull();
  }

  /** moto has no Pod Identity API: the list and describe calls are canned answers (proxy). */
  @Test
  void podIdentityAssociationsJoinServiceAccountsToRolesTheirTrustAdmits() {
    var moto = MOTO.server();
    var seed = new AwsSeed(moto);
    try (var eks =
        seed.client(software.amazon.awssdk.services.eks.EksClient.builder(), "us-east-1")) {
      eks.createCluster(
          b ->
              b.name("prod")
                  .roleArn(role("web-admin"))
                  .resourcesVpcConfig(v -> v.subnetIds("subnet-0example1")));
    }
    var podIdentity = new CloudIdentity();
    try (var proxy = new dev.parapet.testing.MotoProxy(moto);
        var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var json = "application/json";
      proxy.answer(
          "eks",
          "GET /clusters/prod/pod-identity-associations",
          200,
          json,
          "{\"associations\":["
              + summary("a-1", "pod-web")
              + ","
              + summary("a-2", "ec2-web")
              + ","
              + summary("a-3", "hidden")
              + "]}");
      proxy.answer(
          "eks",
          "GET /clusters/prod/pod-identity-associations/a-1",
          200,
          json,
          association("a-1", "pod-web", role("pod-admin")));
      proxy.answer(
          "eks",
          "GET /clusters/prod/pod-identity-associations/a-2",
          200,
          json,
          association("a-2", "ec2-web", role("ec2-only")));
      proxy.answer(
          "eks",
          "GET /clusters/prod/pod-identity-associations/a-3",
          403,
          json,
          "{\"__type\":\"AccessDeniedException\",\"message\":\"not authorized to perform"
              + " eks:DescribePodIdentityAssociation\"}");
      var engine = new ScanEngine(factory);
      engine.onInventory(podIdentity::record);
      MotoScans.scan(
          engine,
          proxy.endpoint(),
          List.of("us-east-1"),
          CloudPolicy.only("aws-iam-admin-policy-attached", "aws-eks-endpoint-public"));
    }
    assertThat(podIdentity.podIdentity("shop", "pod-web"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.cluster()).isEqualTo("prod");
              assertThat(l.region()).isEqualTo("us-east-1");
              assertThat(l.roleArn())
                  .isEqualTo(dev.parapet.operator.aws.inventory.Fact.known(role("pod-admin")));
            });
    var objects =
        List.<HasMetadata>of(
            deployment("pod-web", "pod-web"),
            service("pod-web-lb", "LoadBalancer", "pod-web"),
            deployment("ec2-web", "ec2-web"),
            service("ec2-web-lb", "LoadBalancer", "ec2-web"),
            deployment("hidden", "hidden"),
            deployment("no-role", "no-role"));
    var all =
        AttackPaths.desired(
            new AttackPaths.ClusterSide(
                objects,
                List.of(),
                List.of(sa("pod-web", null), sa("ec2-web", null), sa("no-role", null))),
            podIdentity::of,
            podIdentity::podIdentity,
            List.of(),
            List.of());
    // No annotation, but a Pod Identity association with a trusting admin role: a path.
    var admin = only(all, "path-exposed-admin-role", "pod-web");
    assertThat(admin.spec().message())
        .contains(
            "→ ServiceAccount shop/pod-web (EKS Pod Identity association a-1 of cluster prod in"
                + " account "
                + ACCOUNT
                + " us-east-1; cluster identity not known")
        .contains(
            "→ role " + role("pod-admin") + " (trusted by statement #0 of pods.eks.amazonaws.com)");
    // The associated role trusts only EC2: no path, said so.
    assertThat(only(all, "path-unknown", "ec2-web").spec().message())
        .contains("does not admit ServiceAccount shop/ec2-web")
        .contains("pods.eks.amazonaws.com");
    assertThat(all)
        .noneMatch(
            d ->
                d.spec().resource().name().equals("ec2-web")
                    && !d.spec().rule().id().equals("path-unknown"));
    // The association's role could not be read: unknown with the error.
    assertThat(only(all, "path-unknown", "hidden").spec().message())
        .contains("the association's role could not be read")
        .contains("DescribePodIdentityAssociation");
    assertThat(all).noneMatch(d -> d.spec().resource().name().equals("no-role"));
  }

  static String summary(String id, String sa) {
    return "{\"clusterName\":\"prod\",\"namespace\":\"shop\",\"serviceAccount\":\""
        + sa
        + "\",\"associationId\":\""
        + id
        + "\",\"associationArn\":\"arn:aws:eks:us-east-1:"
        + ACCOUNT
        + ":podidentityassociation/prod/"
        + id
        + "\"}";
  }

  static String association(String id, String sa, String roleArn) {
    return "{\"association\":{\"clusterName\":\"prod\",\"namespace\":\"shop\","
        + "\"serviceAccount\":\""
        + sa
        + "\",\"roleArn\":\""
        + roleArn
        + "\",\"associationId\":\""
        + id
        + "\"}}";
  }
}
