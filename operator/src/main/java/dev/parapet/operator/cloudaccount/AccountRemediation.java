package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.cloudscan.CloudScanner;
import dev.parapet.operator.cloudscan.EngineCloudScanner;
import dev.parapet.operator.cloudscan.ScanInput;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.findings.CloudFindings;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.remediation.Remediator;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.operator.shard.WriteFence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs remediation for an account after its scan wrote the Findings: builds the items from the Open
 * Findings, the credentials (scan and write role) and the kill switches, runs the {@link
 * Remediator}, and writes its records to the Findings' status and its Events to the account.
 * Apply's verification rescans only the remediated rules and syncs their Findings, so a fixed
 * Finding resolves at once.
 */
@ApplicationScoped
public class AccountRemediation {

  private static final Logger LOG = Logger.getLogger(AccountRemediation.class);

  private final Remediator remediator;
  private final CloudScanner scanner;
  private final FindingWriter writer;
  private final FindingStore store;
  private final AccountEvents events;
  private final ParapetConfig config;

  @Inject
  public AccountRemediation(
      AwsClientFactory clients,
      CloudScanner scanner,
      FindingWriter writer,
      FindingStore store,
      AccountEvents events,
      ParapetConfig config) {
    this.remediator =
        new Remediator(clients, Clock.systemUTC(), config.remediation().failureBackoff());
    this.scanner = scanner;
    this.writer = writer;
    this.store = store;
    this.events = events;
    this.config = config;
  }

  /** Remediates after a successful scan; null when no policy covers a rule of the account. */
  public Remediator.Summary run(
      CloudAccount account, ScanInput input, ScanOutcome outcome, CloudFindings.Desired desired) {
    var policy = input.policy();
    var settings = policy.remediation();
    if (!settings.active()) {
      return null;
    }
    var spec = account.getSpec();
    var scope =
        FindingStore.accountScope(
            account.getMetadata().getNamespace(), account.getMetadata().getName());
    var results = new HashMap<String, dev.parapet.operator.scan.CheckResult>();
    outcome
        .failures()
        .forEach(r -> results.putIfAbsent(CloudFindings.name(spec.accountId(), r), r));
    var previous = new HashMap<String, FindingStatus.Remediation>();
    for (var f : store.observed(scope)) {
      if (f.getStatus() != null && f.getStatus().remediation() != null) {
        previous.put(f.getMetadata().getName(), f.getStatus().remediation());
      }
    }
    var items =
        desired.findings().stream()
            .filter(d -> d.state() == FindingStatus.State.OPEN && results.containsKey(d.name()))
            .map(d -> new Remediator.Item(d.name(), results.get(d.name()), previous.get(d.name())))
            .toList();
    var request = EngineCloudScanner.request(input);
    var remediationAccount =
        new Remediator.Account(
            spec.accountId(),
            spec.endpointOverride() == null ? null : URI.create(spec.endpointOverride()),
            request.homeRegion(),
            EngineCloudScanner.credentials(input),
            writeRole(input),
            stop(account));
    var unusedDays =
        policy.parameters().unusedCredentialDays() == null
            ? RuleParameters.defaults().unusedCredentialDays()
            : policy.parameters().unusedCredentialDays();
    var result =
        remediator.run(
            remediationAccount,
            items,
            settings,
            unusedDays,
            rules -> rescan(account, input, scope, rules));
    try {
      writer.recordRemediations(scope, result.records());
    } catch (WriteFence.Fenced e) {
      // The account moved while its actions ran: they ran (their Events follow); its Findings are
      // the holder's now, whose next scan judges the remediated resources afresh.
      LOG.infof(
          "remediation of %s finished after its account moved: %d remediation records not written",
          scope, result.records().size());
    }
    result.events().forEach(e -> events.remediation(account, e.type(), e.reason(), e.message()));
    return result.summary();
  }

  /** Why every action is stopped now, or null: the chart's kill switch, then the annotation. */
  String stop(CloudAccount account) {
    if (config.remediation().killSwitch()) {
      return "kill switch: the chart value remediation.killSwitch is true; no remediation action"
          + " runs";
    }
    var annotations = account.getMetadata().getAnnotations();
    if (annotations != null
        && "true".equalsIgnoreCase(annotations.get(CloudAccount.ANNOTATION_REMEDIATION_STOP))) {
      return "kill switch: the CloudAccount is annotated "
          + CloudAccount.ANNOTATION_REMEDIATION_STOP
          + "=true; no remediation action runs";
    }
    return null;
  }

  /** The write role with the scan's ExternalId and base identity; null when none is named. */
  static CredentialSource writeRole(ScanInput input) {
    var spec = input.spec();
    if (spec.remediation() == null || spec.remediation().roleArn() == null) {
      return null;
    }
    var creds = input.credentials();
    CredentialSource base = null;
    if (spec.credentials() != null && spec.credentials().secretRef() != null) {
      base =
          new CredentialSource.StaticKeys(
              creds.accessKeyId(), creds.secretAccessKey(), creds.sessionToken());
    }
    return new CredentialSource.AssumeRole(
        spec.remediation().roleArn(),
        creds == null ? null : creds.externalId(),
        "parapet-remediate-" + spec.accountId(),
        0,
        base);
  }

  private Remediator.Rescan rescan(
      CloudAccount account, ScanInput input, String scope, Set<String> rules) {
    var policy = input.policy().onlyRules(rules);
    var outcome =
        scanner.scan(
            new ScanInput(
                input.namespace(), input.name(), input.spec(), input.credentials(), policy));
    if (outcome.fatal() != null) {
      throw new IllegalStateException(
          "rescan failed: " + outcome.fatal().reason() + ": " + outcome.fatal().message());
    }
    var desired =
        CloudFindings.desired(account, outcome, policy, config.findings().maxMessageLength());
    var unknown = CloudFindings.untouchable(outcome);
    writer.sync(
        scope,
        desired.findings(),
        (Finding f) ->
            f.getSpec() == null
                || f.getSpec().rule() == null
                || !rules.contains(f.getSpec().rule().id())
                || unknown.test(f),
        config.findings().maxPerAccount());
    var failing = desired.findings().stream().map(d -> d.name()).collect(Collectors.toSet());
    var unknownRules = new HashSet<String>();
    outcome.unknown().forEach(u -> unknownRules.add(u.ruleId()));
    return new Remediator.Rescan(failing, unknownRules);
  }
}
