package dev.parapet.operator.cloudaccount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class AccountEventsTest {

  KubernetesClient client;

  static CloudAccount account(String uid) {
    var a = new CloudAccount();
    a.setMetadata(
        new ObjectMetaBuilder().withName("prod").withNamespace("ns").withUid(uid).build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS, "123456789012", null, null, null, null));
    return a;
  }

  @Test
  void aRepeatedEventCountsUpInsteadOfPilingUpAndSurvivesARestart() {
    var account = account("uid-1");
    new AccountEvents(client).scanFailed(account, "ScanDegraded", "ec2 in us-east-1: Throttled");
    new AccountEvents(client).scanFailed(account, "ScanDegraded", "ec2 in us-east-1: Throttled");
    // A new instance is what a restarted controller has: it finds the Event by its name.
    new AccountEvents(client).scanFailed(account, "ScanDegraded", "ec2 in us-east-1: Throttled");
    var events = client.v1().events().inNamespace("ns").list().getItems();
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getCount()).isEqualTo(3);
              assertThat(e.getReason()).isEqualTo("ScanDegraded");
              assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-1");
              assertThat(e.getLastTimestamp()).isGreaterThanOrEqualTo(e.getFirstTimestamp());
            });

    new AccountEvents(client).scanFailed(account, "ScanDegraded", "s3 in eu-west-1: AccessDenied");
    new AccountEvents(client)
        .scanFailed(account("uid-2"), "ScanDegraded", "ec2 in us-east-1: Throttled");
    assertThat(client.v1().events().inNamespace("ns").list().getItems())
        .extracting(e -> e.getCount())
        .containsExactlyInAnyOrder(3, 1, 1);
  }

  @Test
  void aCredentialInTheMessageIsRedactedBeforeItIsStored() {
    new AccountEvents(client)
        .scanFailed(account("uid-3"), "ScanError", "bad key AKIAZ7Q2LLP4XQM3VB6K in the Secret");
    assertThat(client.v1().events().inNamespace("ns").list().getItems())
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("AKIAZ7Q2LLP4XQM3VB6K"));
  }

  @Test
  void newFindingsAreAnnouncedInThePolicysLanguage() {
    var critical =
        dev.parapet.operator.reports.ReportBuilderTest.finding(
            "a",
            "aws-iam-root-mfa-off",
            dev.parapet.core.Severity.CRITICAL,
            dev.parapet.api.v1alpha1.FindingStatus.State.OPEN);
    var low =
        dev.parapet.operator.reports.ReportBuilderTest.finding(
            "b",
            "aws-s3-bucket-versioning-off",
            dev.parapet.core.Severity.LOW,
            dev.parapet.api.v1alpha1.FindingStatus.State.OPEN);
    var events = new AccountEvents(client);
    events.newFindings(
        account("uid-4"),
        java.util.List.of(critical, low),
        dev.parapet.api.v1alpha1.PosturePolicySpec.Language.JA);
    assertThat(client.v1().events().inNamespace("ns").list().getItems())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "重大度 critical/high の新しい検出結果が 1 件あります（うち critical 1 件）:"
                            + " aws-iam-root-mfa-off-a"));
    assertThat(
            AccountEvents.newFindingsMessage(
                java.util.List.of(critical, low),
                dev.parapet.api.v1alpha1.PosturePolicySpec.Language.EN))
        .isEqualTo("1 new critical/high findings (1 critical): aws-iam-root-mfa-off-a");
    assertThat(
            AccountEvents.newFindingsMessage(
                java.util.List.of(low), dev.parapet.api.v1alpha1.PosturePolicySpec.Language.JA))
        .isNull();
  }
}
