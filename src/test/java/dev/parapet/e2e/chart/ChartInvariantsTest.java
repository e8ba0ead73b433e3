package dev.parapet.e2e.chart;

import static dev.parapet.e2e.chart.ChartSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invariants that must hold in every rendering of the chart, whatever the values. */
class ChartInvariantsTest {

  private static final String IRSA_ARN = "arn:aws:iam::123456789012:role/parapet-controller";

  /** Renders are pure apart from the random certificates, which no invariant here reads. */
  private static final Map<String, ChartSupport.Rendered> RENDERS = new java.util.HashMap<>();

  private static ChartSupport.Rendered rendered(String namespace, Map<String, Object> overrides) {
    return RENDERS.computeIfAbsent(
        namespace + " " + overrides, k -> ChartSupport.render(namespace, overrides));
  }

  static Stream<Arguments> combinations() {
    return Stream.of(
        Arguments.of("defaults", "parapet-system", Map.of()),
        Arguments.of("other namespace", "security", Map.of()),
        Arguments.of(
            "IRSA + region + Fail",
            "parapet-system",
            values(
                "controller.irsa.roleArn", IRSA_ARN,
                "controller.aws.region", "eu-west-1",
                "webhook.failurePolicy", "Fail")),
        Arguments.of(
            "cert-manager + ServiceMonitor",
            "parapet-system",
            values("webhook.tls.mode", "certManager", "metrics.serviceMonitor.enabled", true)),
        Arguments.of(
            "user selectors cannot re-include kube-system",
            "parapet-system",
            values(
                "webhook.excludedNamespaces", List.of("monitoring"),
                "webhook.namespaceSelectorExpressions",
                    List.of(
                        Map.of(
                            "key", "kubernetes.io/metadata.name",
                            "operator", "In",
                            "values", List.of("kube-system", "parapet-system", "apps"))))),
        Arguments.of(
            "single webhook replica, extra env, secret namespaces",
            "parapet-system",
            values(
                "webhook.replicas", 1,
                "webhook.extraEnv", List.of(Map.of("name", "PARAPET_LOG", "value", "debug")),
                "controller.extraEnv", List.of(Map.of("name", "AWS_MAX_ATTEMPTS", "value", "5")),
                "controller.rbac.secretNamespaces", List.of("team-a", "team-b"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void webhookNeverMatchesKubeSystemOrItsOwnNamespace(
      String name, String namespace, Map<String, Object> overrides) {
    var rendered = rendered(namespace, overrides);
    var configs = rendered.all(ValidatingWebhookConfiguration.class);
    assertThat(configs).hasSize(1);
    var webhooks = configs.get(0).getWebhooks();
    assertThat(webhooks).isNotEmpty();
    for (var webhook : webhooks) {
      var selector = webhook.getNamespaceSelector();
      assertThat(selects(selector, "kube-system")).as("kube-system").isFalse();
      assertThat(selects(selector, namespace)).as("own namespace").isFalse();
      assertThat(webhook.getTimeoutSeconds()).isBetween(1, 3);
      assertThat(webhook.getSideEffects()).isEqualTo("None");
      assertThat(webhook.getAdmissionReviewVersions()).containsExactly("v1");
      assertThat(webhook.getFailurePolicy()).isIn("Ignore", "Fail");
      assertThat(webhook.getClientConfig().getService().getNamespace()).isEqualTo(namespace);
      assertThat(webhook.getClientConfig().getService().getPath()).isEqualTo("/validate");
      assertThat(webhook.getRules())
          .allSatisfy(r -> assertThat(r.getOperations()).containsExactly("CREATE", "UPDATE"));
    }
  }

  @Test
  void selectorEvaluatorUsedByTheseTestsCanSayYes() {
    var selector = ChartSupport.render(Map.of()).all(ValidatingWebhookConfiguration.class).get(0);
    var nsSelector = selector.getWebhooks().get(0).getNamespaceSelector();
    assertThat(selects(nsSelector, "default")).isTrue();
    assertThat(selects(nsSelector, "kube-system")).isFalse();
  }

  @Test
  void webhookCoversEveryKindItJudges() {
    var webhook =
        ChartSupport.render(Map.of())
            .all(ValidatingWebhookConfiguration.class)
            .get(0)
            .getWebhooks()
            .get(0);
    var covered =
        webhook.getRules().stream()
            .flatMap(
                r ->
                    r.getApiGroups().stream()
                        .flatMap(g -> r.getResources().stream().map(res -> g + "/" + res)))
            .toList();
    assertThat(covered)
        .contains(
            "/pods",
            "/services",
            "/configmaps",
            "/replicationcontrollers",
            "apps/deployments",
            "apps/statefulsets",
            "apps/daemonsets",
            "apps/replicasets",
            "batch/jobs",
            "batch/cronjobs");
    assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(webhook.getMatchConditions())
        .extracting(c -> c.getName())
        .containsExactly("not-parapet-service-accounts", "not-being-deleted");
    assertThat(webhook.getMatchConditions().get(0).getExpression())
        .contains("system:serviceaccount:parapet-system:parapet-controller")
        .contains("system:serviceaccount:parapet-system:parapet-webhook");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void webhookHoldsNoAwsIdentityOrSettings(
      String name, String namespace, Map<String, Object> overrides) {
    var rendered = rendered(namespace, overrides);
    var webhookSa = rendered.one(ServiceAccount.class, "parapet-webhook");
    assertThat(annotations(webhookSa)).doesNotContainKey("eks.amazonaws.com/role-arn");
    var webhookPod = rendered.one(Deployment.class, "parapet-webhook").getSpec().getTemplate();
    assertThat(webhookPod.getSpec().getServiceAccountName()).isEqualTo("parapet-webhook");
    for (var container : containers(webhookPod.getSpec())) {
      assertThat(container.getEnv()).noneMatch(e -> e.getName().toUpperCase().startsWith("AWS_"));
      assertThat(container.getEnvFrom()).isNullOrEmpty();
    }
    assertThat(webhookPod.getSpec().getVolumes())
        .noneMatch(v -> v.getProjected() != null || v.getName().contains("aws"));
  }

  @Test
  void onlyTheControllerServiceAccountCarriesIrsa() {
    var rendered = ChartSupport.render(values("controller.irsa.roleArn", IRSA_ARN));
    assertThat(annotations(rendered.one(ServiceAccount.class, "parapet-controller")))
        .containsEntry("eks.amazonaws.com/role-arn", IRSA_ARN);
    assertThat(annotations(rendered.one(ServiceAccount.class, "parapet-webhook"))).isEmpty();
    assertThat(
            annotations(
                ChartSupport.render(Map.of()).one(ServiceAccount.class, "parapet-controller")))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void everyContainerIsHardened(String name, String namespace, Map<String, Object> overrides) {
    var deployments = rendered(namespace, overrides).all(Deployment.class);
    assertThat(deployments).hasSize(2);
    for (var deployment : deployments) {
      var pod = deployment.getSpec().getTemplate().getSpec();
      var podSc = pod.getSecurityContext();
      assertThat(podSc.getRunAsNonRoot()).isTrue();
      assertThat(podSc.getRunAsUser()).isPositive();
      assertThat(podSc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
      for (var c : containers(pod)) {
        var sc = c.getSecurityContext();
        var where = deployment.getMetadata().getName() + "/" + c.getName();
        assertThat(sc.getRunAsNonRoot()).as(where).isTrue();
        assertThat(sc.getReadOnlyRootFilesystem()).as(where).isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).as(where).isFalse();
        assertThat(sc.getPrivileged()).as(where).isNotEqualTo(Boolean.TRUE);
        assertThat(sc.getCapabilities().getDrop()).as(where).contains("ALL");
        assertThat(sc.getCapabilities().getAdd()).as(where).isNullOrEmpty();
        assertThat(sc.getSeccompProfile().getType()).as(where).isEqualTo("RuntimeDefault");
        assertThat(c.getResources().getRequests()).as(where).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).as(where).containsKey("memory");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(c.getPorts())
            .anySatisfy(
                p -> {
                  assertThat(p.getName()).isEqualTo("management");
                  assertThat(p.getContainerPort()).isEqualTo(9000);
                });
        // A read-only root needs a writable /tmp (Vert.x cache, JVM temp files).
        assertThat(c.getVolumeMounts())
            .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes())
            .anySatisfy(
                v -> {
                  assertThat(v.getName()).isEqualTo("tmp");
                  assertThat(v.getEmptyDir()).isNotNull();
                });
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void rbacHasNoWildcardsAndStaysLeastPrivilege(
      String name, String namespace, Map<String, Object> overrides) {
    var rendered = rendered(namespace, overrides);
    var allRules =
        Stream.concat(
                rendered.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
                rendered.all(Role.class).stream().flatMap(r -> r.getRules().stream()))
            .toList();
    assertThat(allRules).isNotEmpty();
    for (var rule : allRules) {
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*");
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
      assertThat(rule.getVerbs()).doesNotContain("escalate", "bind", "impersonate");
    }
    // The webhook reads PosturePolicies and Namespace labels, nothing else, and writes nothing.
    var webhookRules = rendered.one(ClusterRole.class, "parapet-webhook").getRules();
    assertThat(webhookRules)
        .allSatisfy(
            r -> assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch"));
    assertThat(webhookRules)
        .flatExtracting(
            r ->
                r.getApiGroups().stream()
                    .flatMap(g -> r.getResources().stream().map(x -> g + "/" + x))
                    .toList())
        .containsExactlyInAnyOrder("parapet.dev/posturepolicies", "/namespaces");

    var controller = rendered.one(ClusterRole.class, "parapet-controller").getRules();
    // Cluster-wide the controller never touches Secrets, RBAC, or writes anything but its own
    // kinds.
    assertThat(controller).noneMatch(r -> r.getResources().contains("secrets"));
    assertThat(controller)
        .filteredOn(r -> !r.getApiGroups().contains("parapet.dev"))
        .filteredOn(r -> !r.getResources().contains("events"))
        .allSatisfy(r -> assertThat(r.getVerbs()).isSubsetOf("get", "list", "watch"));
    assertThat(verbsFor(controller, "parapet.dev", "findings")).contains("create", "patch");
    // create/delete for the CloudAccounts an AwsOrganization owns.
    assertThat(verbsFor(controller, "parapet.dev", "cloudaccounts"))
        .containsExactlyInAnyOrder("get", "list", "watch", "create", "update", "patch", "delete");
    assertThat(verbsFor(controller, "parapet.dev", "awsorganizations"))
        .containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbsFor(controller, "parapet.dev", "awsorganizations/status")).contains("patch");
    assertThat(verbsFor(controller, "parapet.dev", "awsorganizations/finalizers")).isEmpty();
    assertThat(verbsFor(controller, "parapet.dev", "posturepolicies"))
        .containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbsFor(controller, "parapet.dev", "cloudaccounts/status")).contains("patch");
    // Exactly what the code uses (RbacOnRealServerTest checks the same on a real API server):
    // ClusterAudit's informers (ReplicationControllers are audited through their Pods), core/v1
    // Events only, and no cloudaccounts/finalizers (ownerReferences say blockOwnerDeletion: false).
    assertThat(
            controller.stream()
                .filter(r -> r.getApiGroups().contains(""))
                .filter(r -> !r.getResources().contains("events"))
                .flatMap(r -> r.getResources().stream())
                .toList())
        .containsExactlyInAnyOrder(
            "pods", "services", "configmaps", "namespaces", "serviceaccounts");
    // The RBAC risk audit reads the four RBAC kinds, nothing more, and writes none of them.
    assertThat(
            controller.stream()
                .filter(r -> r.getApiGroups().contains("rbac.authorization.k8s.io"))
                .toList())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getResources())
                  .containsExactlyInAnyOrder(
                      "clusterroles", "roles", "clusterrolebindings", "rolebindings");
              assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
            });
    assertThat(verbsFor(controller, "networking.k8s.io", "ingresses"))
        .containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(controller).noneMatch(r -> r.getApiGroups().contains("events.k8s.io"));
    assertThat(verbsFor(controller, "parapet.dev", "cloudaccounts/finalizers")).isEmpty();

    // Secrets: `get` only, namespaced, in the release namespace and the listed ones.
    var secretRoles =
        rendered.all(Role.class).stream()
            .filter(r -> r.getRules().stream().anyMatch(x -> x.getResources().contains("secrets")))
            .toList();
    assertThat(secretRoles).extracting(r -> r.getMetadata().getNamespace()).contains(namespace);
    for (var role : secretRoles) {
      assertThat(role.getRules()).hasSize(1);
      assertThat(role.getRules().get(0).getVerbs()).containsExactly("get");
    }
    var lease = rendered.one(Role.class, "parapet-controller-leader-election");
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(namespace);
    assertThat(verbsFor(lease.getRules(), "coordination.k8s.io", "leases"))
        .containsExactlyInAnyOrder("get", "create", "update", "patch");
    // Reading and renewing are limited to the Lease the controller is told to use.
    assertThat(lease.getRules())
        .filteredOn(r -> r.getVerbs().contains("update"))
        .singleElement()
        .satisfies(r -> assertThat(r.getResourceNames()).containsExactly("parapet-controller"));

    // Each binding hands its role to that role's own ServiceAccount only.
    for (var binding : rendered.all(ClusterRoleBinding.class)) {
      assertThat(binding.getSubjects())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getName()).isEqualTo(binding.getRoleRef().getName());
                assertThat(s.getNamespace()).isEqualTo(namespace);
              });
    }
    for (var binding : rendered.all(RoleBinding.class)) {
      assertThat(binding.getSubjects())
          .singleElement()
          .satisfies(s -> assertThat(s.getName()).isEqualTo("parapet-controller"));
    }
  }

  @Test
  void shardsAboveOneSetTheCountAndLetTheControllerManageItsNamespacesLeases() {
    var plain = ChartSupport.render(values());
    var deployment = plain.one(Deployment.class, "parapet-controller");
    assertThat(ChartSupport.chartEnv(deployment, "pod")).doesNotContainKey("PARAPET_SHARDS_COUNT");
    assertThat(plain.one(Role.class, "parapet-controller-leader-election").getRules())
        .noneMatch(r -> r.getVerbs().contains("list"));

    var sharded = ChartSupport.render(values("controller.shards", 3, "controller.replicas", 3));
    var env = ChartSupport.chartEnv(sharded.one(Deployment.class, "parapet-controller"), "pod");
    assertThat(env).containsEntry("PARAPET_SHARDS_COUNT", "3");
    assertThat(sharded.one(Deployment.class, "parapet-controller").getSpec().getReplicas())
        .isEqualTo(3);
    var role = sharded.one(Role.class, "parapet-controller-leader-election");
    // Membership Leases are named after pods: list and delete on the namespace's Leases, in a
    // Role of the release namespace only (never a ClusterRole).
    assertThat(role.getMetadata().getNamespace()).isEqualTo(ChartSupport.NAMESPACE);
    assertThat(role.getRules())
        .filteredOn(r -> r.getVerbs().contains("list"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getResourceNames()).isNullOrEmpty();
              assertThat(r.getVerbs())
                  .containsExactlyInAnyOrder("get", "list", "update", "patch", "delete");
            });
    assertThat(sharded.all(ClusterRole.class))
        .allSatisfy(
            c -> assertThat(verbsFor(c.getRules(), "coordination.k8s.io", "leases")).isEmpty());
  }

  @Test
  void secretAccessFollowsTheListedNamespaces() {
    var rendered =
        ChartSupport.render(
            values("controller.rbac.secretNamespaces", List.of("team-a", "parapet-system")));
    assertThat(rendered.all(Role.class))
        .filteredOn(r -> r.getMetadata().getName().equals("parapet-controller-secret-refs"))
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("parapet-system", "team-a");
  }

  /**
   * The laptop preflight (exit 2 when the API server does not answer within 3 s) never runs in a
   * pod, whatever the values: a slow API server at start would become a restart loop.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void bothRolesSkipTheLaptopPreflight(
      String name, String namespace, Map<String, Object> overrides) {
    var rendered = rendered(namespace, overrides);
    for (var deployment : List.of("parapet-controller", "parapet-webhook")) {
      assertThat(env(rendered.one(Deployment.class, deployment)))
          .as(deployment)
          .containsEntry("PARAPET_PREFLIGHT_SKIP", "true");
    }
  }

  @Test
  void onlyTheWebhookWatchesAdmissionPolicies() {
    var rendered = ChartSupport.render(Map.of());
    assertThat(env(rendered.one(Deployment.class, "parapet-controller")))
        .containsEntry("PARAPET_WEBHOOK_WATCH_CLUSTER", "false");
    assertThat(env(rendered.one(Deployment.class, "parapet-webhook")))
        .doesNotContainKey("PARAPET_WEBHOOK_WATCH_CLUSTER");
  }

  @Test
  void theWebhookGetsTwoThirdsOfTheApiServersTimeoutAsItsReviewBudget() {
    assertThat(env(ChartSupport.render(Map.of()).one(Deployment.class, "parapet-webhook")))
        .containsEntry("PARAPET_WEBHOOK_REVIEW_BUDGET_MILLIS", "2000");
    assertThat(
            env(
                ChartSupport.render(values("webhook.timeoutSeconds", 1))
                    .one(Deployment.class, "parapet-webhook")))
        .containsEntry("PARAPET_WEBHOOK_REVIEW_BUDGET_MILLIS", "666");
  }

  @Test
  void logsAreJsonByDefaultAndTextOnRequest() {
    var json = ChartSupport.render(Map.of());
    var text = ChartSupport.render(Map.of("logging", Map.of("format", "text")));
    for (var deployment : List.of("parapet-controller", "parapet-webhook")) {
      assertThat(env(json.one(Deployment.class, deployment)))
          .as(deployment)
          .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
      assertThat(env(text.one(Deployment.class, deployment)))
          .as(deployment)
          .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
    }
  }

  /** The remediation kill switch is the controller's (it makes the calls), off by default. */
  @Test
  void theRemediationKillSwitchReachesTheController() {
    var off = ChartSupport.render(Map.of());
    var on = ChartSupport.render(Map.of("remediation", Map.of("killSwitch", true)));
    assertThat(env(off.one(Deployment.class, "parapet-controller")))
        .containsEntry("PARAPET_REMEDIATION_KILL_SWITCH", "false");
    assertThat(env(on.one(Deployment.class, "parapet-controller")))
        .containsEntry("PARAPET_REMEDIATION_KILL_SWITCH", "true");
    assertThat(env(on.one(Deployment.class, "parapet-webhook")))
        .doesNotContainKey("PARAPET_REMEDIATION_KILL_SWITCH");
  }

  @Test
  void rolesGetTheConfigurationContract() {
    var rendered = ChartSupport.render(Map.of());
    var webhook = rendered.one(Deployment.class, "parapet-webhook");
    var controller = rendered.one(Deployment.class, "parapet-controller");
    var webhookEnv = env(webhook);
    assertThat(webhookEnv)
        .containsEntry("PARAPET_ROLE", "webhook")
        .containsEntry("QUARKUS_HTTP_SSL_PORT", "8443")
        .containsEntry("QUARKUS_HTTP_SSL_CERTIFICATE_FILES", "/etc/parapet/tls/tls.crt")
        .containsEntry("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES", "/etc/parapet/tls/tls.key")
        .containsEntry("QUARKUS_HTTP_INSECURE_REQUESTS", "disabled")
        .containsEntry("QUARKUS_MANAGEMENT_ENABLED", "true")
        .containsEntry("QUARKUS_MANAGEMENT_PORT", "9000");
    var ownNs =
        container(webhook).getEnv().stream()
            .filter(e -> e.getName().equals("PARAPET_WEBHOOK_OWN_NAMESPACE"))
            .findFirst()
            .orElseThrow();
    assertThat(ownNs.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    assertThat(env(controller))
        .containsEntry("PARAPET_ROLE", "controller")
        .containsEntry("QUARKUS_OPERATOR_SDK_CRD_APPLY", "false")
        .containsEntry("QUARKUS_OPERATOR_SDK_CRD_VALIDATE", "false")
        .containsEntry("QUARKUS_MANAGEMENT_PORT", "9000")
        .containsEntry("PARAPET_LEADER_ELECTION_ENABLED", "true")
        .containsEntry("PARAPET_LEADER_ELECTION_LEASE_NAME", "parapet-controller");
    assertThat(controller.getSpec().getReplicas()).isEqualTo(1);
    assertThat(webhook.getSpec().getReplicas()).isEqualTo(2);
    assertThat(container(webhook).getImage())
        .isEqualTo(container(controller).getImage())
        .isEqualTo("ghcr.io/parapet-dev/parapet:0.1.0");
    assertThat(
            container(
                    ChartSupport.render(values("image.tag", "0.2.0-rc1"))
                        .one(Deployment.class, "parapet-webhook"))
                .getImage())
        .endsWith(":0.2.0-rc1");
    var mount =
        container(webhook).getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/etc/parapet/tls"))
            .findFirst()
            .orElseThrow();
    assertThat(mount.getReadOnly()).isTrue();
  }

  @Test
  void webhookIsHighlyAvailable() {
    var rendered = ChartSupport.render(Map.of());
    var webhook = rendered.one(Deployment.class, "parapet-webhook");
    var pdb = rendered.one(PodDisruptionBudget.class, "parapet-webhook");
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(webhook.getSpec().getSelector().getMatchLabels());
    var terms =
        webhook
            .getSpec()
            .getTemplate()
            .getSpec()
            .getAffinity()
            .getPodAntiAffinity()
            .getPreferredDuringSchedulingIgnoredDuringExecution();
    assertThat(terms)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getPodAffinityTerm().getTopologyKey())
                  .isEqualTo("kubernetes.io/hostname");
              assertThat(t.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                  .isEqualTo(webhook.getSpec().getSelector().getMatchLabels());
            });
    assertThat(webhook.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    // One replica cannot honour minAvailable 1 during a drain: no PDB then.
    assertThat(ChartSupport.render(values("webhook.replicas", 1)).all(PodDisruptionBudget.class))
        .isEmpty();
  }

  @Test
  void servicesSelectTheRightPods() {
    var rendered = ChartSupport.render(Map.of());
    var webhookLabels =
        rendered
            .one(Deployment.class, "parapet-webhook")
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels();
    var controllerLabels =
        rendered
            .one(Deployment.class, "parapet-controller")
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels();
    var https = rendered.one(Service.class, "parapet-webhook");
    assertThat(webhookLabels).containsAllEntriesOf(https.getSpec().getSelector());
    assertThat(controllerLabels).doesNotContainEntry("app.kubernetes.io/component", "webhook");
    assertThat(https.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(443);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("https");
            });
    var vwcService =
        rendered
            .all(ValidatingWebhookConfiguration.class)
            .get(0)
            .getWebhooks()
            .get(0)
            .getClientConfig()
            .getService();
    assertThat(vwcService.getName()).isEqualTo("parapet-webhook");
    assertThat(vwcService.getPort()).isEqualTo(443);

    var metrics = rendered.one(Service.class, "parapet-controller-metrics");
    assertThat(controllerLabels).containsAllEntriesOf(metrics.getSpec().getSelector());
    assertThat(webhookLabels)
        .containsAllEntriesOf(
            rendered.one(Service.class, "parapet-webhook-metrics").getSpec().getSelector());
    assertThat(metrics.getSpec().getPorts().get(0).getPort()).isEqualTo(9000);
    assertThat(rendered.ofKind("ServiceMonitor")).isEmpty();
    var monitor =
        ChartSupport.render(values("metrics.serviceMonitor.enabled", true))
            .ofKind("ServiceMonitor");
    assertThat(monitor).hasSize(1);
    assertThat(ChartSupport.render(values("metrics.serviceMonitor.enabled", true)).text())
        .contains("path: /q/metrics")
        .contains("port: http-metrics");
  }

  // --- helpers -----------------------------------------------------------------------------

  /** kube-apiserver's namespaceSelector semantics over a namespace with only its name label. */
  static boolean selects(LabelSelector selector, String namespace) {
    var labels = Map.of("kubernetes.io/metadata.name", namespace);
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        var value = labels.get(r.getKey());
        var ok =
            switch (r.getOperator()) {
              case "In" -> value != null && r.getValues().contains(value);
              case "NotIn" -> value == null || !r.getValues().contains(value);
              case "Exists" -> value != null;
              case "DoesNotExist" -> value == null;
              default -> throw new AssertionError("unknown operator " + r.getOperator());
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<String> verbsFor(List<PolicyRule> rules, String group, String resource) {
    return rules.stream()
        .filter(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource))
        .flatMap(r -> r.getVerbs().stream())
        .toList();
  }

  private static Map<String, String> annotations(ServiceAccount sa) {
    var a = sa.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  private static List<Container> containers(PodSpec pod) {
    var all = new java.util.ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      all.addAll(pod.getInitContainers());
    }
    return all;
  }

  private static Container container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, String> env(Deployment d) {
    var out = new java.util.HashMap<String, String>();
    container(d).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .forEach(e -> out.put(e.getName(), e.getValue()));
    return out;
  }
}
