package dev.parapet.e2e.paths;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.core.Severity;
import dev.parapet.e2e.kube.KubeCluster;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.paths.AttackPaths;
import dev.parapet.operator.paths.CloudIdentity;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attack paths with both real sides: the IAM role, its admin policy and its wildcard trust policy
 * in moto, scanned by the real engine into {@link CloudIdentity}; the workload, its annotated
 * ServiceAccount and its LoadBalancer Service created on the real API server and listed back from
 * it (so the join reads the objects as the server stores and returns them).
 */
class AttackPathsOnRealServerTest {
  private static final String NS = "paths-real";
  private static KubeCluster cluster;
  private static final CloudIdentity identity = new CloudIdentity();
  private static String role;

  @BeforeAll
  static void seed() {
    var moto = MotoServer.shared();
    moto.reset();
    var issuer = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    var trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
            + "\"arn:aws:iam::"
            + MotoServer.ACCOUNT_ID
            + ":oidc-provider/"
            + issuer
            + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringLike\":{\""
            + issuer
            + ":sub\":\"system:serviceaccount:*\"}}}]}";
    try (var iam = new AwsSeed(moto).iam()) {
      var admin =
          iam.createPolicy(
                  b ->
                      b.policyName("real-admin")
                          .policyDocument(
                              "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                  + "\"Action\":\"*\",\"Resource\":\"*\"}]}"))
              .policy()
              .arn();
      role =
          iam.createRole(b -> b.roleName("real-web").assumeRolePolicyDocument(trust)).role().arn();
      iam.attachRolePolicy(b -> b.roleName("real-web").policyArn(admin));
    }
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var engine = new ScanEngine(factory);
      engine.onInventory(identity::record);
      MotoScans.scan(
          engine,
          moto.endpoint(),
          List.of("us-east-1"),
          CloudPolicy.only("aws-iam-admin-policy-attached"));
    }
    cluster = KubeCluster.shared();
    cluster.kubectl("create", "namespace", NS);
    var applied =
        cluster.kubectlWithInput(
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: web
              namespace: paths-real
              annotations: {eks.amazonaws.com/role-arn: "%s"}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: paths-real}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web, tier: front}}
                spec:
                  serviceAccountName: web
                  containers: [{name: web, image: registry.invalid/web:1}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web-lb, namespace: paths-real}
            spec:
              type: LoadBalancer
              selector: {app: web}
              ports: [{port: 80}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: batch, namespace: paths-real}
            spec:
              selector: {matchLabels: {app: batch}}
              template:
                metadata: {labels: {app: batch}}
                spec:
                  containers: [{name: batch, image: registry.invalid/batch:1}]
            """
                .formatted(role),
            "apply",
            "-f",
            "-");
    assertThat(applied.exit()).as(applied.all()).isZero();
  }

  @AfterAll
  static void cleanup() {
    if (cluster != null) {
      cluster.kubectl("delete", "namespace", NS, "--wait=false");
    }
  }

  @Test
  void theExposedWorkloadsAdminRoleTrustedByEveryServiceAccountIsTwoPaths() {
    var c = cluster.admin();
    var objects = new ArrayList<HasMetadata>();
    objects.addAll(c.apps().deployments().inNamespace(NS).list().getItems());
    objects.addAll(c.services().inNamespace(NS).list().getItems());
    var paths =
        AttackPaths.desired(
            new AttackPaths.ClusterSide(
                objects,
                c.network().v1().ingresses().inNamespace(NS).list().getItems(),
                c.serviceAccounts().inNamespace(NS).list().getItems()),
            identity::of,
            List.of(),
            List.of("kube-system"));
    assertThat(paths)
        .extracting(d -> d.spec().rule().id() + " " + d.spec().resource().name())
        .containsExactlyInAnyOrder(
            "path-exposed-admin-role web", "path-role-trusts-every-serviceaccount web");
    assertThat(paths).allMatch(d -> d.spec().rule().severity() == Severity.CRITICAL);
    assertThat(paths).allMatch(d -> NS.equals(d.namespace()));
    var web = c.apps().deployments().inNamespace(NS).withName("web").get();
    assertThat(paths).allMatch(d -> d.owner().getUid().equals(web.getMetadata().getUid()));
    assertThat(paths.get(0).spec().message())
        .contains("Deployment paths-real/web (exposed by Service paths-real/web-lb (LoadBalancer))")
        .contains("ServiceAccount paths-real/web (eks.amazonaws.com/role-arn) → role " + role);
  }
}
