package dev.parapet.operator.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.RuleSelection;
import dev.parapet.core.RuleMetadata;
import dev.parapet.core.Severity;
import dev.parapet.operator.aws.events.CloudAccountRef;
import dev.parapet.operator.aws.events.activity.ActivityRules;
import dev.parapet.operator.findings.DesiredFinding;
import dev.parapet.operator.findings.FindingNames;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.policy.ExceptionUsage;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.scan.RuleCatalog;
import dev.parapet.operator.scan.TestRules;
import dev.parapet.testing.CloudTrailRecords;
import dev.parapet.testing.CrudApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Activity findings on the Fabric8 CRUD mock API server, through the one Finding writer: an event
 * becomes an Open finding of category activity (redelivery writes nothing), a scan's sync never
 * resolves it, exceptions suppress it and stop suppressing it when removed, severity overrides and
 * rule selection apply, and the policy's retention deletes it.
 */
class ActivityRecorderTest {

  static final String NS = "team-a";
  static final String ACCOUNT = "123456789012";
  static final CloudAccountRef REF = new CloudAccountRef(NS, "acct", ACCOUNT);
  static final String SG_RULE = ActivityRules.SECURITY_GROUP_OPENED.id();
  static final RuleCatalog CATALOG =
      () -> {
        var all = new ArrayList<RuleMetadata>(TestRules.ALL);
        all.addAll(ActivityRules.metadata());
        return all;
      };

  CrudApiServer api;
  KubernetesClient client;
  FindingStore store;
  FindingWriter writer;
  ExceptionUsage usage;
  ActivityRecorder recorder;
  CloudAccount account;

  @BeforeEach
  void start() {
    api = CrudApiServer.start();
    client = api.client();
    store = api.store();
    writer = api.writer();
    usage = new ExceptionUsage();
    recorder = new ActivityRecorder(client, writer, store, CATALOG, usage, 100, 600);
    var a = new CloudAccount();
    a.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(NS)
            .withName("acct")
            .withUid("uid-acct")
            .withLabels(Map.of("env", "prod"))
            .build());
    a.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS, ACCOUNT, List.of("eu-west-1"), null, null, null));
    account = client.resource(a).create();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** A fixture record whose event happened {@code ago} before now. */
  static JsonNode event(String fixture, Duration ago) {
    var r = (ObjectNode) CloudTrailRecords.record(fixture).deepCopy();
    r.put("eventTime", Instant.now().minus(ago).truncatedTo(ChronoUnit.SECONDS).toString());
    return r;
  }

  List<Finding> findings() {
    return client.resources(Finding.class).inNamespace(NS).list().getItems();
  }

  Finding only() {
    var all = findings();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  PosturePolicy policy(String name, PosturePolicySpec spec) {
    var p = new PosturePolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    p.setSpec(spec);
    return client.resource(p).createOr(x -> x.update());
  }

  static PosturePolicySpec.PolicyException sgException(String arnGlob) {
    return new PosturePolicySpec.PolicyException(
        "bastion",
        List.of("aws-activity-*"),
        new PosturePolicySpec.Match(null, null, List.of(arnGlob), null, null, null, null),
        "the bastion's security group is opened on purpose",
        "platform-team",
        null);
  }

  List<PosturePolicy> policies() {
    return client.resources(PosturePolicy.class).list().getItems();
  }

  @Test
  void anEventBecomesAnOpenActivityFindingAndRedeliveryWritesNothing() {
    recorder.onEvent(REF, "eu-west-1", event("sg-ssh-world", Duration.ofMinutes(5)));

    var f = only();
    var spec = f.getSpec();
    assertThat(spec.category()).isEqualTo(FindingSpec.Category.ACTIVITY);
    assertThat(spec.source()).isEqualTo(FindingSpec.Source.AWS);
    assertThat(spec.rule().id()).isEqualTo(SG_RULE);
    assertThat(spec.rule().titleJa()).isNotBlank();
    assertThat(spec.rule().severity()).isEqualTo(Severity.HIGH);
    assertThat(spec.resource().id()).isEqualTo("sg-0123456789abcdef0");
    assertThat(spec.resource().accountId()).isEqualTo(ACCOUNT);
    assertThat(spec.resource().region()).isEqualTo("eu-west-1");
    assertThat(spec.activity().eventId()).isEqualTo("s0000000-0000-4000-8000-000000000001");
    assertThat(spec.activity().eventName()).isEqualTo("AuthorizeSecurityGroupIngress");
    assertThat(spec.activity().principalArn()).isEqualTo("arn:aws:iam::123456789012:user/alice");
    assertThat(spec.activity().principalType()).isEqualTo("IAMUser");
    assertThat(spec.activity().sourceIp()).isEqualTo("203.0.113.10");
    assertThat(spec.activity().eventTime()).isNotBlank();
    assertThat(spec.message()).contains("tcp 22 from 0.0.0.0/0");
    assertThat(spec.remediation().textJa()).isNotBlank();
    assertThat(f.getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(f.getMetadata().getLabels())
        .containsEntry(Finding.LABEL_CATEGORY, "activity")
        .containsEntry(Finding.LABEL_RULE, SG_RULE)
        .containsEntry(Finding.LABEL_SEVERITY, "high")
        .containsEntry(Finding.LABEL_ACCOUNT, ACCOUNT);
    assertThat(f.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(account.getMetadata().getUid()));
    // the record carries alice's access key id; no part of the Finding does
    assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(f))
        .doesNotContain("AKIAIOSFODNN7EXAMPLE");

    var version = f.getMetadata().getResourceVersion();
    var again =
        recorder.sync(
            account,
            policies(),
            dev.parapet.operator.aws.events.activity.ActivityDetector.detect(
                event("sg-ssh-world", Duration.ofMinutes(5)), "eu-west-1"),
            Instant.now());
    // the event time differs (the fixture is re-stamped), the finding is the same one: one per
    // event id and rule
    assertThat(findings()).hasSize(1);
    recorder.onEvent(REF, "eu-west-1", CloudTrailRecords.record("alice-describe-instances"));
    assertThat(findings()).hasSize(1);
    assertThat(again.sync().failedWrites()).isZero();
    // a true redelivery (the same record) writes nothing
    var record = event("nacl-rdp-world", Duration.ofMinutes(1));
    recorder.onEvent(REF, "eu-west-1", record);
    var nacl =
        findings().stream()
            .filter(x -> x.getSpec().rule().id().equals(ActivityRules.NETWORK_ACL_OPENED.id()))
            .findFirst()
            .orElseThrow();
    var redelivered =
        recorder.sync(
            account,
            policies(),
            dev.parapet.operator.aws.events.activity.ActivityDetector.detect(record, "eu-west-1"),
            Instant.now());
    assertThat(redelivered.sync().writes()).isZero();
    assertThat(
            client
                .resources(Finding.class)
                .inNamespace(NS)
                .withName(nacl.getMetadata().getName())
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(nacl.getMetadata().getResourceVersion());
    assertThat(version).isNotNull();
  }

  @Test
  void aScanNeverResolvesAnActivityFinding() {
    recorder.onEvent(REF, "eu-west-1", event("stop-logging", Duration.ofMinutes(5)));
    // a posture finding of the same account, from an earlier scan
    var owner = dev.parapet.operator.findings.CloudFindings.owner(account);
    var postureSpec =
        new FindingSpec(
            FindingSpec.Source.AWS,
            new FindingSpec.Rule(TestRules.SSH.id(), "t", null, Severity.HIGH, List.of()),
            new FindingSpec.Resource(
                "AWS::EC2::SecurityGroup",
                "sg-1",
                null,
                ACCOUNT,
                "eu-west-1",
                null,
                null,
                null,
                null),
            "22/tcp open",
            null);
    var scope = FindingStore.accountScope(NS, "acct");
    writer.sync(
        scope,
        List.of(
            new DesiredFinding(
                NS,
                FindingNames.name(TestRules.SSH.id(), "sg-1"),
                Map.of(Finding.LABEL_RULE, TestRules.SSH.id()),
                postureSpec,
                owner,
                null)),
        f -> false,
        100);
    assertThat(findings()).hasSize(2);

    // the next full scan finds nothing failing at all
    var sync = writer.sync(scope, List.of(), f -> false, 100);

    assertThat(sync.plan().statusUpdates()).hasSize(1);
    assertThat(findings())
        .allSatisfy(
            f ->
                assertThat(f.getStatus().state())
                    .isEqualTo(
                        f.getSpec().ofActivity()
                            ? FindingStatus.State.OPEN
                            : FindingStatus.State.RESOLVED));
    assertThat(findings()).anyMatch(f -> f.getSpec().ofActivity());
  }

  @Test
  void exceptionsSuppressActivityFindingsAndStopWhenRemoved() {
    var p =
        policy(
            "accepted",
            new PosturePolicySpec(
                null,
                null,
                List.of(sgException("arn:aws:ec2:*:" + ACCOUNT + ":security-group/sg-0123*"))));
    recorder.onEvent(REF, "eu-west-1", event("sg-ssh-world", Duration.ofMinutes(5)));
    recorder.onEvent(REF, "eu-west-1", event("nacl-rdp-world", Duration.ofMinutes(5)));

    var sg = byRule(SG_RULE);
    assertThat(sg.getStatus().state()).isEqualTo(FindingStatus.State.SUPPRESSED);
    assertThat(sg.getStatus().suppressedBy().policy()).isEqualTo("accepted");
    assertThat(sg.getStatus().suppressedBy().exception()).isEqualTo("bastion");
    assertThat(byRule(ActivityRules.NETWORK_ACL_OPENED.id()).getStatus().state())
        .as("the exception's ARN does not match the ACL")
        .isEqualTo(FindingStatus.State.OPEN);
    assertThat(usage.snapshot().used()).contains("accepted/bastion");

    // the exception is removed: the next reconcile re-judges the finding
    p.setSpec(new PosturePolicySpec(null, null, List.of()));
    client.resource(p).update();
    recorder.maintain(account, policies(), Instant.now());

    assertThat(byRule(SG_RULE).getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    assertThat(byRule(SG_RULE).getStatus().suppressedBy()).isNull();
    assertThat(usage.snapshot().used()).doesNotContain("accepted/bastion");
    assertThat(usage.snapshot().cloudEvaluated())
        .as("activity says nothing about exceptions a scan would use")
        .isFalse();
  }

  @Test
  void anExceptionAddedLaterSuppressesAnExistingActivityFinding() {
    recorder.onEvent(REF, "eu-west-1", event("sg-all-ipv6-world", Duration.ofMinutes(5)));
    assertThat(only().getStatus().state()).isEqualTo(FindingStatus.State.OPEN);
    policy(
        "accepted",
        new PosturePolicySpec(
            null, null, List.of(sgException("arn:aws:ec2:eu-west-1:*:security-group/*"))));

    recorder.maintain(account, policies(), Instant.now());

    assertThat(only().getStatus().state()).isEqualTo(FindingStatus.State.SUPPRESSED);
  }

  @Test
  void severityOverridesAndRuleSelectionApply() {
    policy(
        "strict",
        new PosturePolicySpec(
            new PosturePolicySpec.Cloud(
                null,
                null,
                new RuleSelection(null, List.of(SG_RULE)),
                Map.of(ActivityRules.NETWORK_ACL_OPENED.id(), Severity.CRITICAL),
                null),
            null,
            null));
    recorder.onEvent(REF, "eu-west-1", event("sg-ssh-world", Duration.ofMinutes(5)));
    recorder.onEvent(REF, "eu-west-1", event("nacl-rdp-world", Duration.ofMinutes(5)));

    var f = only();
    assertThat(f.getSpec().rule().id()).isEqualTo(ActivityRules.NETWORK_ACL_OPENED.id());
    assertThat(f.getSpec().rule().severity()).isEqualTo(Severity.CRITICAL);
    assertThat(f.getMetadata().getLabels()).containsEntry(Finding.LABEL_SEVERITY, "critical");
  }

  @Test
  void aRecordOfAnotherAccountWritesNothing() {
    var r = (ObjectNode) event("stop-logging", Duration.ofMinutes(5));
    r.put("recipientAccountId", "111122223333");
    recorder.onEvent(REF, "eu-west-1", r);
    assertThat(findings()).isEmpty();
  }

  @Test
  void aDeletedCloudAccountWritesNothing() {
    recorder.onEvent(
        new CloudAccountRef(NS, "gone", ACCOUNT),
        "eu-west-1",
        event("stop-logging", Duration.ofMinutes(5)));
    assertThat(findings()).isEmpty();
  }

  @Test
  void retentionFromThePolicyDeletesExpiredFindings() {
    // 40 days old: past the default 30 days on arrival, so never written
    recorder.onEvent(REF, "eu-west-1", event("delete-trail", Duration.ofDays(40)));
    assertThat(findings()).isEmpty();

    var p =
        policy(
            "keep",
            new PosturePolicySpec(
                null, null, null, null, null, new PosturePolicySpec.Activity("60d")));
    recorder.onEvent(REF, "eu-west-1", event("delete-trail", Duration.ofDays(40)));
    recorder.onEvent(REF, "eu-west-1", event("stop-logging", Duration.ofHours(1)));
    assertThat(findings()).hasSize(2);

    // back to 30 days: the 40-day-old finding goes, the recent one stays
    p.setSpec(
        new PosturePolicySpec(null, null, null, null, null, new PosturePolicySpec.Activity("30d")));
    client.resource(p).update();
    var result = recorder.maintain(account, policies(), Instant.now());

    assertThat(result.sync().plan().deletes()).hasSize(1);
    assertThat(only().getSpec().activity().eventName()).isEqualTo("StopLogging");
    // the reconciler looks again when the remaining one expires: 30 days after its event
    var eventTime = Instant.parse(only().getSpec().activity().eventTime());
    assertThat(result.nextExpiry()).contains(eventTime.plus(Duration.ofDays(30)));
  }

  @Test
  void theLongestRetentionOfThePoliciesThatSelectTheAccountWins() {
    var selectsProd = new dev.parapet.api.v1alpha1.Selector(Map.of("env", "prod"), null);
    var selectsDev = new dev.parapet.api.v1alpha1.Selector(Map.of("env", "dev"), null);
    var policies =
        List.of(
            named("a", new PosturePolicySpec.Activity("72h"), null),
            named("b", new PosturePolicySpec.Activity("90d"), selectsDev),
            named("c", new PosturePolicySpec.Activity("45d"), selectsProd));
    assertThat(ActivityRetention.forAccount(policies, Map.of("env", "prod")))
        .isEqualTo(Duration.ofDays(45));
    assertThat(ActivityRetention.forAccount(policies, Map.of("env", "dev")))
        .isEqualTo(Duration.ofDays(90));
    assertThat(ActivityRetention.forAccount(List.of(), Map.of()))
        .isEqualTo(ActivityRetention.DEFAULT);
    assertThat(ActivityRetention.parse("72h")).contains(Duration.ofHours(72));
    assertThat(ActivityRetention.parse("0d")).isEmpty();
    assertThat(ActivityRetention.parse("30")).isEmpty();
  }

  @Test
  void policiesMayNameActivityRulesButNotMatchThemByTags() {
    var validator = PolicyMerger.validator(CATALOG.rules());
    var byArn =
        new PosturePolicySpec(null, null, List.of(sgException("arn:aws:ec2:*:*:security-group/*")));
    assertThat(validator.validate(byArn, Instant.now(), false)).isEmpty();
    var byTags =
        new PosturePolicySpec(
            null,
            null,
            List.of(
                new PosturePolicySpec.PolicyException(
                    "tagged",
                    List.of(SG_RULE),
                    new PosturePolicySpec.Match(
                        null, null, null, Map.of("team", "blue"), null, null, null),
                    "reason",
                    null,
                    null)));
    assertThat(validator.validate(byTags, Instant.now(), false))
        .as("activity findings carry no tags")
        .isNotEmpty();
  }

  @Test
  void aFailedWriteThrowsSoTheMessageIsRedelivered() {
    // cap 0 is no failure: the finding is simply not created, and the message is done
    new ActivityRecorder(client, writer, store, CATALOG, usage, 0, 600)
        .onEvent(REF, "eu-west-1", event("stop-logging", Duration.ofMinutes(5)));
    assertThat(findings()).isEmpty();
    // a write the API server refused (a conflict, a timeout): the poller must redeliver
    var failing =
        new FindingWriter(client, store, FindingWriter.Options.unfenced(Duration.ofDays(7))) {
          @Override
          public SyncResult syncActivity(
              String scope,
              List<DesiredFinding> desired,
              java.util.function.Predicate<Finding> expired,
              int cap) {
            var result = super.syncActivity(scope, List.of(), expired, cap);
            return new SyncResult(result.plan(), 0, desired.size());
          }
        };
    var recorder = new ActivityRecorder(client, failing, store, CATALOG, usage, 100, 600);
    assertThatThrownBy(
            () -> recorder.onEvent(REF, "eu-west-1", event("stop-logging", Duration.ofMinutes(5))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redelivered");
  }

  private PosturePolicy named(
      String name, PosturePolicySpec.Activity activity, dev.parapet.api.v1alpha1.Selector s) {
    var p = new PosturePolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    p.setSpec(
        new PosturePolicySpec(
            s == null ? null : new PosturePolicySpec.Cloud(s, null, null, null, null),
            null,
            null,
            null,
            null,
            activity));
    return p;
  }

  private Finding byRule(String rule) {
    return findings().stream()
        .filter(f -> f.getSpec().rule().id().equals(rule))
        .findFirst()
        .orElseThrow();
  }
}
