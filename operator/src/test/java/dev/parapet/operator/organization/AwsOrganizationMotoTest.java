package dev.parapet.operator.organization;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static dev.parapet.testing.OperatorMoto.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.parapet.api.v1alpha1.AwsOrganization;
import dev.parapet.api.v1alpha1.AwsOrganizationSpec;
import dev.parapet.api.v1alpha1.AwsOrganizationStatus;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.Crds;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.CreateAccountRequest;
import software.amazon.awssdk.services.organizations.model.Tag;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * An AwsOrganization on moto's Organizations (through a WireMock proxy that can deny one member's
 * AssumeRole), with the real scan engine assuming the member role in every selected account and the
 * operator on the Fabric8 CRUD mock server.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class AwsOrganizationMotoTest {

  static final String NS = "org-scans";
  static final String ORG = "acme";
  static final String REGION = "us-east-1";
  static final Duration WAIT = Duration.ofSeconds(90);

  static MotoServer moto;
  static WireMockServer proxy;
  static OrganizationsClient orgs;
  static String prodOu;
  static String teamOu;
  static String sandboxOu;
  static String app; // prod: selected
  static String team; // prod/team (nested): selected
  static String sandbox; // sandbox OU: excluded by OU
  static String skipped; // prod, tagged parapet.dev/skip: excluded by tag
  static String atRoot; // under the root, outside every included OU: excluded
  static String denied; // prod: selected, but its AssumeRole is refused

  @Inject KubernetesClient client;

  @BeforeAll
  static void seed() {
    moto = MotoServer.shared();
    moto.reset();
    proxy = MotoProxy.recording(moto);
    // The operator's own identity (the default chain) is the base of every member AssumeRole.
    System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
    System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    orgs = new AwsSeed(moto).client(OrganizationsClient.builder(), REGION);
    orgs.createOrganization(r -> r.featureSet("ALL"));
    var root = orgs.listRoots().roots().get(0).id();
    prodOu =
        orgs.createOrganizationalUnit(r -> r.parentId(root).name("prod")).organizationalUnit().id();
    teamOu =
        orgs.createOrganizationalUnit(r -> r.parentId(prodOu).name("team"))
            .organizationalUnit()
            .id();
    sandboxOu =
        orgs.createOrganizationalUnit(r -> r.parentId(root).name("sandbox"))
            .organizationalUnit()
            .id();
    app = account("app", root, prodOu);
    team = account("team", root, teamOu);
    sandbox = account("sandbox", root, sandboxOu);
    skipped =
        account(
            "skipped", root, prodOu, Tag.builder().key("parapet.dev/skip").value("true").build());
    atRoot = account("at-root", root, null);
    denied = account("denied", root, prodOu);
    proxy.stubFor(
        post(anyUrl())
            .atPriority(1)
            .withRequestBody(containing("Action=AssumeRole"))
            .withRequestBody(
                containing(URLEncoder.encode("::" + denied + ":", StandardCharsets.UTF_8)))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                            + "<Message>User is not authorized to perform: sts:AssumeRole on"
                            + " resource parapet-scan</Message></Error><RequestId>e2e</RequestId>"
                            + "</ErrorResponse>")));
    // An unencrypted SNS topic in the app account: its CloudAccount gets a real Finding.
    try (var sts = new AwsSeed(moto).client(StsClient.builder(), REGION)) {
      var c =
          sts.assumeRole(
                  r ->
                      r.roleArn("arn:aws:iam::" + app + ":role/parapet-scan")
                          .roleSessionName("seed"))
              .credentials();
      try (var sns =
          SnsClient.builder()
              .endpointOverride(moto.endpoint())
              .region(Region.of(REGION))
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsSessionCredentials.create(
                          c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
              .build()) {
        sns.createTopic(r -> r.name("orders"));
      }
    }
  }

  @AfterAll
  static void stop() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (orgs != null) {
      orgs.close();
    }
    if (proxy != null) {
      proxy.stop();
    }
  }

  static String account(String name, String root, String ou, Tag... tags) {
    var id =
        orgs.createAccount(
                CreateAccountRequest.builder()
                    .accountName(name)
                    .email(name + "@example.com")
                    .tags(tags)
                    .build())
            .createAccountStatus()
            .accountId();
    if (ou != null) {
      orgs.moveAccount(r -> r.accountId(id).sourceParentId(root).destinationParentId(ou));
    }
    return id;
  }

  AwsOrganization organization() {
    return client.resources(AwsOrganization.class).inNamespace(NS).withName(ORG).get();
  }

  List<CloudAccount> owned() {
    return client.resources(CloudAccount.class).inNamespace(NS).list().getItems().stream()
        .filter(
            a ->
                a.getMetadata().getOwnerReferences() != null
                    && a.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> "AwsOrganization".equals(o.getKind())))
        .toList();
  }

  Set<String> ownedAccountIds() {
    return owned().stream()
        .map(a -> a.getSpec().accountId())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  CloudAccount cloudAccount(String accountId) {
    return client
        .resources(CloudAccount.class)
        .inNamespace(NS)
        .withName(ORG + "-" + accountId)
        .get();
  }

  List<Finding> findingsOf(String cloudAccount) {
    return client.resources(Finding.class).inNamespace(NS).list().getItems().stream()
        .filter(
            f ->
                f.getMetadata().getOwnerReferences() != null
                    && f.getMetadata().getOwnerReferences().stream()
                        .anyMatch(
                            o ->
                                "CloudAccount".equals(o.getKind())
                                    && cloudAccount.equals(o.getName())))
        .toList();
  }

  @Test
  void membersOfTheIncludedOusGetCloudAccountsAndLeaveWithTheirFindings() {
    Crds.apply(client);
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("management-keys")
                .withNamespace(NS)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "aws_access_key_id",
                        "AKIAIOSFODNN7EXAMPLE",
                        "aws_secret_access_key",
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
                .build())
        .create();
    var org = new AwsOrganization();
    org.setMetadata(new ObjectMetaBuilder().withName(ORG).withNamespace(NS).build());
    org.setSpec(
        new AwsOrganizationSpec(
            new CloudAccountSpec.Credentials(
                null, new CloudAccountSpec.SecretRef("management-keys", null, null, null)),
            REGION,
            "http://127.0.0.1:" + proxy.port(),
            "2s",
            new AwsOrganizationSpec.MemberRole("parapet-scan", null, null, null, 900),
            new AwsOrganizationSpec.Ids(List.of(prodOu), List.of(sandboxOu)),
            new AwsOrganizationSpec.AccountTags(
                null, List.of(new CloudAccountSpec.TagMatch("parapet.dev/skip", null))),
            null,
            new AwsOrganizationSpec.Template(
                List.of(REGION),
                new CloudAccountSpec.Scan(
                    "1h", null, new CloudAccountSpec.Services(List.of("sns"), null)),
                null)));
    client.resource(org).create();

    // The prod OU (nested team OU included) minus the tagged account: app, team and denied.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(ownedAccountIds()).containsExactlyInAnyOrder(app, team, denied));
    var appAccount = cloudAccount(app);
    assertThat(appAccount.getSpec().credentials().assumeRole().roleArn())
        .isEqualTo("arn:aws:iam::" + app + ":role/parapet-scan");
    assertThat(appAccount.getSpec().regions()).containsExactly(REGION);
    assertThat(appAccount.getSpec().scan().services().include()).containsExactly("sns");
    assertThat(appAccount.getSpec().endpointOverride())
        .isEqualTo("http://127.0.0.1:" + proxy.port());
    assertThat(appAccount.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo(organization().getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });

    // The scans assumed the member role: each CloudAccount's identity is its member account.
    for (var id : List.of(app, team)) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                var a = cloudAccount(id);
                assertThat(condition(a, "CredentialsValid"))
                    .isNotNull()
                    .extracting(Condition::status)
                    .isEqualTo("True");
                assertThat(a.getStatus().identity().accountId()).isEqualTo(id);
                assertThat(a.getStatus().identity().arn()).contains("assumed-role/parapet-scan");
              });
    }
    await().atMost(WAIT).until(() -> !findingsOf(ORG + "-" + app).isEmpty());
    assertThat(findingsOf(ORG + "-" + app))
        .anySatisfy(
            f -> assertThat(f.getSpec().rule().id()).isEqualTo("aws-sns-topic-unencrypted"));

    // The member whose AssumeRole is refused is listed with the CloudAccount's reason.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var status = organization().getStatus();
              assertThat(status).isNotNull();
              assertThat(status.accounts())
                  .isEqualTo(new AwsOrganizationStatus.AccountCounts(7, 7, 0, 0, 4, 3, 1));
              assertThat(status.unreachable())
                  .singleElement()
                  .satisfies(
                      u -> {
                        assertThat(u.accountId()).isEqualTo(denied);
                        assertThat(u.cloudAccount()).isEqualTo(ORG + "-" + denied);
                        assertThat(u.message()).contains("AccessDenied");
                      });
              assertThat(status.organizationId()).startsWith("o-");
              assertThat(status.conditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.type()).isEqualTo("Ready");
                        assertThat(c.status()).isEqualTo("True");
                      });
            });

    // The app account is closed (SUSPENDED) and the team account leaves the organization: both
    // CloudAccounts go, and the app account's Findings with its CloudAccount.
    orgs.closeAccount(r -> r.accountId(app));
    orgs.removeAccountFromOrganization(r -> r.accountId(team));
    await().atMost(WAIT).untilAsserted(() -> assertThat(ownedAccountIds()).containsExactly(denied));
    await().atMost(WAIT).until(() -> findingsOf(ORG + "-" + app).isEmpty());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(organization().getStatus().accounts())
                    .isEqualTo(new AwsOrganizationStatus.AccountCounts(6, 5, 1, 0, 4, 1, 1)));
  }
}
