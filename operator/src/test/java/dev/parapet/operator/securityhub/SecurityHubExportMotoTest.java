package dev.parapet.operator.securityhub;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.parapet.testing.OperatorMoto.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.Conflicts;
import dev.parapet.testing.Crds;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoServer;
import dev.parapet.testing.OperatorMoto;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.ComplianceStatus;
import software.amazon.awssdk.services.securityhub.model.RecordState;

/**
 * The Security Hub export end to end: the operator (Fabric8 CRUD mock server) scans moto through a
 * WireMock proxy that counts the BatchImportFindings requests, exports, and the test reads Security
 * Hub back with GetFindings (filtered client-side: moto ignores filters). 250 open findings go out
 * in 3 calls; an unchanged rescan makes none; a resolved finding is archived (same Id, ARCHIVED,
 * PASSED, newer UpdatedAt) in one call; an AccessDenied answer (canned: moto never denies) leaves a
 * False condition and every Finding in Kubernetes, and the next scan catches up.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SecurityHubExportMotoTest {

  static final String NS = "sechub";
  static final String REGION = "eu-west-1";
  static final String ACCOUNT_ID = MotoServer.ACCOUNT_ID;
  static final String SSH = "aws-ec2-sg-ssh-open";
  static final String PRODUCT =
      "arn:aws:securityhub:" + REGION + ":" + ACCOUNT_ID + ":product/" + ACCOUNT_ID + "/default";
  static final int GROUPS = 250;
  static final String IMPORT = "/findings/import";
  static final Duration WAIT = Duration.ofSeconds(120);
  static final ObjectMapper JSON = new ObjectMapper();

  static MotoServer moto;
  static WireMockServer proxy;
  static List<String> groups = new ArrayList<>();

  @KubernetesTestServer KubernetesServer server;
  @Inject KubernetesClient client;

  @BeforeAll
  static void seed() {
    moto = MotoServer.shared();
    moto.reset();
    proxy = MotoProxy.recording(moto);
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      for (int i = 0; i < GROUPS; i++) {
        groups.add(AwsSeed.securityGroup(ec2, "ssh-" + i, AwsSeed.tcp(22, 22, "0.0.0.0/0")));
      }
    }
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.stop();
    }
  }

  CloudAccount account() {
    return client.resources(CloudAccount.class).inNamespace(NS).withName("hub").get();
  }

  List<Finding> findings() {
    return client.resources(Finding.class).inNamespace(NS).list().getItems();
  }

  /** BatchImportFindings requests that reached the proxy, and the Ids each carried. */
  static List<List<String>> imports() {
    var out = new ArrayList<List<String>>();
    var events = new ArrayList<>(proxy.getAllServeEvents());
    java.util.Collections.reverse(events);
    for (var e : events) {
      if (!e.getRequest().getUrl().equals(IMPORT)) {
        continue;
      }
      try {
        var ids = new ArrayList<String>();
        JSON.readTree(e.getRequest().getBodyAsString())
            .get("Findings")
            .forEach(f -> ids.add(f.get("Id").asText()));
        out.add(ids);
      } catch (java.io.IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
    }
    return out;
  }

  /** Everything moto's Security Hub holds for our product, by Id (filters applied here). */
  static Map<String, AwsSecurityFinding> securityHub() {
    var out = new HashMap<String, AwsSecurityFinding>();
    try (var hub = new AwsSeed(moto).securityHub(REGION)) {
      for (var page : hub.getFindingsPaginator(r -> r.maxResults(100))) {
        page.findings().stream()
            .filter(f -> PRODUCT.equals(f.productArn()) && SSH.equals(f.generatorId()))
            .forEach(f -> out.put(f.id(), f));
      }
    }
    return out;
  }

  /** Edits the interval (a spec change: a new scan) and waits until that scan is in status. */
  void rescan(String interval) {
    var before = account().getStatus().lastScan().finishedAt();
    Conflicts.retry(
        () ->
            client
                .resources(CloudAccount.class)
                .inNamespace(NS)
                .withName("hub")
                .edit(
                    a -> {
                      var s = a.getSpec();
                      a.setSpec(
                          new CloudAccountSpec(
                              s.provider(),
                              s.accountId(),
                              s.regions(),
                              s.credentials(),
                              new CloudAccountSpec.Scan(interval, null, s.scan().services()),
                              s.endpointOverride(),
                              s.export()));
                      return a;
                    }));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var a = account();
              return a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration())
                  && !before.equals(a.getStatus().lastScan().finishedAt());
            });
  }

  List<RecordedRequest> drain() throws InterruptedException {
    var out = new ArrayList<RecordedRequest>();
    RecordedRequest r;
    while ((r = server.getKubernetesMockServer().takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  static void sshOpen(String group, boolean open) {
    var permission =
        IpPermission.builder()
            .ipProtocol("tcp")
            .fromPort(22)
            .toPort(22)
            .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build())
            .build();
    try (var ec2 = new AwsSeed(moto).ec2(REGION)) {
      if (open) {
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(permission));
      } else {
        ec2.revokeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(permission));
      }
    }
  }

  Finding findingOf(String group) {
    return findings().stream()
        .filter(f -> group.equals(f.getSpec().resource().id()))
        .findFirst()
        .orElseThrow();
  }

  static String annotation(Finding f, String key) {
    var a = f.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  @Test
  void exportsInBatchesOnlyWhatChangedArchivesResolvedFindingsAndSurvivesDenial() throws Exception {
    Crds.apply(client);
    var credentials = OperatorMoto.keys(client, NS);
    OperatorMoto.policy(
        client,
        "securityhub-export",
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                OperatorMoto.selecting("securityhub"),
                null,
                new RuleSelection(
                    null,
                    List.of(
                        // only the SSH rule of the ec2 service (moto's defaults fail others)
                        "aws-ec2-ami-*",
                        "aws-ec2-default-sg-*",
                        "aws-ec2-nacl-*",
                        "aws-ec2-ebs-*",
                        "aws-ec2-imdsv2-*",
                        "aws-ec2-snapshot-*",
                        "aws-ec2-sg-sensitive-port-open",
                        "aws-ec2-sg-rdp-open",
                        "aws-ec2-sg-all-ports-open",
                        "aws-vpc-*")),
                null,
                new PosturePolicySpec.CloudParameters(null, null, null, true)),
            null,
            null));
    var a =
        OperatorMoto.account(
            client,
            NS,
            "hub",
            "securityhub",
            new CloudAccountSpec(
                CloudAccountSpec.Provider.AWS,
                ACCOUNT_ID,
                List.of(REGION),
                credentials,
                new CloudAccountSpec.Scan(
                    "6h", null, new CloudAccountSpec.Services(List.of("ec2"), null)),
                proxy.baseUrl(),
                new CloudAccountSpec.Export(new CloudAccountSpec.SecurityHubExport(true, REGION))));

    // 1. First scan: every open Finding is imported, in batches of at most 100.
    await()
        .atMost(WAIT)
        .until(
            () ->
                condition(account(), ExportRecord.CONDITION) != null
                    && account().getStatus().lastScan() != null);
    var exported = condition(account(), ExportRecord.CONDITION);
    assertThat(exported.status()).as(exported.message()).isEqualTo(Condition.TRUE);
    assertThat(exported.reason()).isEqualTo("Exported");
    var all = findings();
    var ssh = all.stream().filter(f -> SSH.equals(f.getSpec().rule().id())).toList();
    assertThat(ssh).hasSize(GROUPS);
    var expectedCalls = (all.size() + 99) / 100;
    var firstScan = imports();
    assertThat(firstScan).hasSize(expectedCalls);
    assertThat(firstScan).allSatisfy(ids -> assertThat(ids).hasSizeLessThanOrEqualTo(100));
    assertThat(firstScan.stream().mapToInt(List::size).sum()).isEqualTo(all.size());
    assertThat(exported.message())
        .contains(all.size() + " Findings imported")
        .contains("with " + expectedCalls + " BatchImportFindings calls");
    assertThat(all).allSatisfy(f -> assertThat(annotation(f, ExportPlanner.HASH)).isNotBlank());

    var hub = securityHub();
    assertThat(hub).hasSize(GROUPS);
    assertThat(hub.keySet())
        .containsExactlyInAnyOrderElementsOf(
            ssh.stream().map(f -> ExportPlanner.id(NS, f.getMetadata().getName())).toList());
    var sample = hub.get(ExportPlanner.id(NS, findingOf(groups.get(0)).getMetadata().getName()));
    assertThat(sample.recordState()).isEqualTo(RecordState.ACTIVE);
    assertThat(sample.compliance().status()).isEqualTo(ComplianceStatus.FAILED);
    assertThat(sample.compliance().relatedRequirements())
        .contains("AWS Foundational Security Best Practices v1.0.0/EC2.13");
    assertThat(sample.severity().labelAsString()).isEqualTo("HIGH");
    assertThat(sample.awsAccountId()).isEqualTo(ACCOUNT_ID);
    assertThat(sample.types()).isNotEmpty();
    assertThat(sample.resources().get(0).type()).isEqualTo("AwsEc2SecurityGroup");
    assertThat(sample.resources().get(0).id())
        .isEqualTo("arn:aws:ec2:" + REGION + ":" + ACCOUNT_ID + ":security-group/" + groups.get(0));
    assertThat(sample.resources().get(0).region()).isEqualTo(REGION);
    assertThat(sample.remediation().recommendation().text()).isNotBlank();
    assertThat(sample.title()).isNotBlank();
    assertThat(sample.description()).contains("22");
    assertThat(sample.firstObservedAt()).isNotBlank();
    assertThat(sample.updatedAt()).isNotBlank();
    assertThat(JSON.writeValueAsString(sample.toString())).doesNotContain("wJalrXUtnFEMI");

    // 2. Unchanged rescan: nothing imported, no Finding written.
    Thread.sleep(500);
    drain();
    rescan("7h");
    Thread.sleep(1000);
    var unchangedCalls = imports().size() - firstScan.size();
    assertThat(unchangedCalls).isZero();
    assertThat(
            drain().stream()
                .filter(
                    r ->
                        Set.of("POST", "PUT", "PATCH", "DELETE").contains(r.getMethod())
                            && r.getPath().contains("/findings"))
                .map(r -> r.getMethod() + " " + r.getPath())
                .toList())
        .isEmpty();
    assertThat(condition(account(), ExportRecord.CONDITION).reason()).isEqualTo("UpToDate");

    // 3. One group fixed: its Finding resolves and is archived in Security Hub, in one call.
    var fixed = groups.get(7);
    var fixedName = findingOf(fixed).getMetadata().getName();
    var fixedId = ExportPlanner.id(NS, fixedName);
    var updatedBefore = Instant.parse(securityHub().get(fixedId).updatedAt());
    sshOpen(fixed, false);
    var beforeResolve = imports().size();
    rescan("8h");
    await()
        .atMost(WAIT)
        .until(() -> findingOf(fixed).getStatus().state() == FindingStatus.State.RESOLVED);
    var resolveScan = imports().subList(beforeResolve, imports().size());
    assertThat(resolveScan).containsExactly(List.of(fixedId));
    hub = securityHub();
    var archived = hub.get(fixedId);
    assertThat(archived.recordState()).isEqualTo(RecordState.ARCHIVED);
    assertThat(archived.compliance().status()).isEqualTo(ComplianceStatus.PASSED);
    assertThat(Instant.parse(archived.updatedAt())).isAfter(updatedBefore);
    assertThat(hub.values().stream().filter(f -> f.recordState() == RecordState.ACTIVE))
        .hasSize(GROUPS - 1);
    var archivedHash = annotation(findingOf(fixed), ExportPlanner.HASH);
    assertThat(condition(account(), ExportRecord.CONDITION).message())
        .contains("0 active, 1 archived")
        .contains("with 1 BatchImportFindings calls");

    // 4. Security Hub denies the import (canned: moto never denies). The reopened Finding is kept
    //    in Kubernetes, unmarked, and the condition says why.
    StubMapping deny =
        proxy.stubFor(
            post(urlEqualTo(IMPORT))
                .atPriority(1)
                .willReturn(
                    aResponse()
                        .withStatus(403)
                        .withHeader("x-amzn-ErrorType", "AccessDeniedException")
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                            "{\"Code\":\"AccessDeniedException\",\"Message\":\"not authorized to"
                                + " perform: securityhub:BatchImportFindings\"}")));
    sshOpen(fixed, true);
    rescan("9h");
    await()
        .atMost(WAIT)
        .until(() -> findingOf(fixed).getStatus().state() == FindingStatus.State.OPEN);
    var denied = condition(account(), ExportRecord.CONDITION);
    assertThat(denied.status()).isEqualTo(Condition.FALSE);
    assertThat(denied.reason()).isEqualTo("AccessDenied");
    assertThat(denied.message())
        .contains("securityhub-export-policy.json")
        .contains("1 Findings not exported, kept in Kubernetes")
        .doesNotContain("wJalrXUtnFEMI")
        .doesNotContain("AKIAIOSFODNN7EXAMPLE");
    assertThat(condition(account(), "Ready").status()).isEqualTo(Condition.TRUE);
    assertThat(findings()).hasSize(all.size());
    assertThat(annotation(findingOf(fixed), ExportPlanner.HASH)).isEqualTo(archivedHash);
    assertThat(securityHub().get(fixedId).recordState()).isEqualTo(RecordState.ARCHIVED);

    // 5. The denial is lifted: the next scan sends exactly what was missed.
    proxy.removeStub(deny);
    var beforeRecover = imports().size();
    rescan("10h");
    var recoverScan = imports().subList(beforeRecover, imports().size());
    assertThat(recoverScan).containsExactly(List.of(fixedId));
    assertThat(securityHub().get(fixedId).recordState()).isEqualTo(RecordState.ACTIVE);
    assertThat(securityHub().get(fixedId).compliance().status()).isEqualTo(ComplianceStatus.FAILED);
    assertThat(condition(account(), ExportRecord.CONDITION).status()).isEqualTo(Condition.TRUE);

    System.out.printf(
        "SECURITYHUB calls per scan: first=%d (%d findings), unchanged=%d, one resolved=%d,"
            + " after denial=%d%n",
        firstScan.size(), all.size(), unchangedCalls, resolveScan.size(), recoverScan.size());

    client.resources(CloudAccount.class).inNamespace(NS).withName("hub").delete();
    client.resources(PosturePolicy.class).withName("securityhub-export").delete();
    await().atMost(WAIT).until(() -> findings().isEmpty());
  }
}
