package dev.parapet.operator.securityhub;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.export.Asff;
import dev.parapet.operator.aws.export.ExportedFinding;
import dev.parapet.operator.aws.export.SecurityHubExporter;
import dev.parapet.operator.cloudscan.EngineCloudScanner;
import dev.parapet.operator.cloudscan.ScanInput;
import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import dev.parapet.operator.policy.EffectivePolicy;
import dev.parapet.operator.scan.ScanCredentials;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.operator.shard.WriteFence;
import dev.parapet.webhook.secrets.Redactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The opt-in Security Hub export of a CloudAccount ({@code spec.export.securityHub}). Runs after
 * the Finding writer, on the scan's thread (so on the leader only), with the scan's credentials:
 * plans what changed since the last export ({@link ExportPlanner}), imports it ({@link
 * SecurityHubExporter}), then remembers what Security Hub accepted on the Findings. Nothing is lost
 * when the export fails: the Findings are Kubernetes' as before, and whatever was not accepted is
 * sent by the next scan.
 */
@ApplicationScoped
public class SecurityHubExport {

  private static final Logger LOG = Logger.getLogger(SecurityHubExport.class);
  private static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-[0-9]+$");

  private final AwsClientFactory clients;
  private final FindingStore store;
  private final FindingWriter writer;

  @Inject
  public SecurityHubExport(AwsClientFactory clients, FindingStore store, FindingWriter writer) {
    this.clients = clients;
    this.store = store;
    this.writer = writer;
  }

  /** The export settings of an account, or null when the export is off. */
  static CloudAccountSpec.SecurityHubExport settings(CloudAccountSpec spec) {
    var export = spec.export();
    return export == null || export.securityHub() == null || !export.securityHub().on()
        ? null
        : export.securityHub();
  }

  /**
   * The region findings go to: the one the spec names, else the region the scan calls global
   * services in (the first of spec.regions, else us-east-1).
   */
  static String region(CloudAccountSpec spec, CloudAccountSpec.SecurityHubExport settings) {
    if (settings.region() != null && !settings.region().isBlank()) {
      return settings.region();
    }
    return spec.regions() == null || spec.regions().isEmpty() ? "us-east-1" : spec.regions().get(0);
  }

  /**
   * What to say when a spec asks for an export that cannot run, or null. The schema rejects these;
   * an object stored under an older CRD can still hold them.
   */
  static String problem(CloudAccountSpec spec) {
    var export = spec.export();
    if (export == null || export.securityHub() == null) {
      return null;
    }
    var sh = export.securityHub();
    if (!sh.on() && sh.region() != null) {
      return "spec.export.securityHub.region is set but enabled is not true: nothing is exported."
          + " Set enabled: true, or remove region";
    }
    if (sh.on() && sh.region() != null && !REGION.matcher(sh.region()).matches()) {
      return "spec.export.securityHub.region '"
          + Redactor.redact(sh.region())
          + "' is not an AWS region name (e.g. ap-northeast-1); nothing is exported until it is"
          + " fixed, Findings are kept";
    }
    return null;
  }

  /**
   * The export after a scan that could not run (no Findings changed): null when the export is off,
   * else Unknown with why.
   */
  public ExportRecord skipped(CloudAccount account, String why) {
    var spec = account.getSpec();
    var invalid = problem(spec);
    if (invalid != null) {
      return ExportRecord.invalid(invalid);
    }
    if (settings(spec) == null) {
      return null;
    }
    return ExportRecord.notRun(
        "ScanFailed", "nothing exported: the scan did not finish (" + why + ")");
  }

  /**
   * Exports the account's Findings as they are after the writer ran. Null when the export is off.
   */
  public ExportRecord afterScan(
      CloudAccount account,
      ScanCredentials credentials,
      EffectivePolicy policy,
      ScanOutcome outcome) {
    try {
      return export(account, credentials, policy, outcome);
    } catch (RuntimeException e) {
      // Never lose the scan's record over the export: say what happened, retry next scan.
      var message = Redactor.redact(String.valueOf(e.getMessage()));
      LOG.warnf("security hub export of %s failed: %s", account.getMetadata().getName(), message);
      return new ExportRecord(
          Condition.FALSE,
          "Error",
          message + "; Findings are kept in Kubernetes and the next scan exports again",
          0,
          0,
          0,
          0);
    }
  }

  private ExportRecord export(
      CloudAccount account,
      ScanCredentials credentials,
      EffectivePolicy policy,
      ScanOutcome outcome) {
    var spec = account.getSpec();
    var invalid = problem(spec);
    if (invalid != null) {
      return ExportRecord.invalid(invalid);
    }
    var settings = settings(spec);
    if (settings == null) {
      return null;
    }
    var ns = account.getMetadata().getNamespace();
    var name = account.getMetadata().getName();
    var region = region(spec, settings);
    var target =
        new Asff.Target(
            spec.accountId(),
            region,
            Asff.Target.partitionOf(outcome.identity() == null ? null : outcome.identity().arn()));
    var now = Instant.now();
    var plan =
        ExportPlanner.plan(
            store.fetch(FindingStore.accountScope(ns, name)), ns, target.productArn(), now);
    if (plan.isEmpty()) {
      LOG.debugf("security hub export of %s/%s: nothing changed, no call", ns, name);
      return new ExportRecord(
          Condition.TRUE,
          "UpToDate",
          "Security Hub in "
              + region
              + " holds every Finding of the account as last exported; nothing changed, so"
              + " nothing was imported",
          0,
          0,
          0,
          0);
    }
    var source = EngineCloudScanner.credentials(new ScanInput(ns, name, spec, credentials, policy));
    var endpoint = spec.endpointOverride() == null ? null : URI.create(spec.endpointOverride());
    SecurityHubExporter.Result result;
    try (var session = clients.open(source, endpoint, region);
        var ignored = session.bind()) {
      result =
          SecurityHubExporter.export(
              session, target, plan.stream().map(ExportPlanner.Item::exported).toList(), now);
    } catch (RuntimeException e) {
      // e.g. assume-role refused while opening the session: nothing was sent
      LOG.warnf(
          "security hub export of %s/%s failed: %s",
          ns, name, Redactor.redact(String.valueOf(e.getMessage())));
      return new ExportRecord(
          Condition.FALSE,
          "Error",
          Redactor.redact(String.valueOf(e.getMessage()))
              + "; "
              + plan.size()
              + " Findings not exported, kept in Kubernetes and retried by the next scan",
          0,
          0,
          0,
          plan.size());
    }
    return remember(account, target, plan, result, now);
  }

  private ExportRecord remember(
      CloudAccount account,
      Asff.Target target,
      java.util.List<ExportPlanner.Item> plan,
      SecurityHubExporter.Result result,
      Instant now) {
    var byId = new HashMap<String, ExportPlanner.Item>();
    plan.forEach(i -> byId.put(i.exported().id(), i));
    var active = 0;
    var archived = 0;
    var marks = new java.util.ArrayList<FindingWriter.Annotations>();
    for (var id : result.imported()) {
      var item = byId.get(id);
      if (item == null) {
        continue;
      }
      if (item.exported().disposition() == ExportedFinding.Disposition.OPEN) {
        active++;
      } else {
        archived++;
      }
      marks.add(
          new FindingWriter.Annotations(
              item.finding(),
              Map.of(ExportPlanner.HASH, item.fingerprint(), ExportPlanner.AT, now.toString())));
    }
    int unmarked;
    try {
      // an unmarked Finding is sent again next scan: an import of the same Id is an update
      unmarked =
          marks.size()
              - writer.annotate(
                  FindingStore.accountScope(
                      account.getMetadata().getNamespace(), account.getMetadata().getName()),
                  marks);
    } catch (WriteFence.Fenced e) {
      // The account moved after its scan was written: its holder's next export sends them again.
      LOG.infof(
          "security hub export of %s/%s: the account moved; %d exported Findings left unmarked",
          account.getMetadata().getNamespace(), account.getMetadata().getName(), marks.size());
      unmarked = marks.size();
    }
    var key = account.getMetadata().getNamespace() + "/" + account.getMetadata().getName();
    var failed = result.failed().size() + result.notSent().size();
    LOG.infof(
        "security hub export of %s to %s: %d BatchImportFindings calls (%d HTTP attempts), %d"
            + " imported as ACTIVE, %d as ARCHIVED, %d refused, %d not sent%s",
        key,
        target.region(),
        result.calls(),
        result.attempts(),
        active,
        archived,
        result.failed().size(),
        result.notSent().size(),
        result.problem() == null ? "" : " (" + result.problem().reason() + ")");
    var imported =
        (active + archived)
            + " Findings imported into Security Hub in "
            + target.region()
            + " ("
            + active
            + " active, "
            + archived
            + " archived) with "
            + result.calls()
            + " BatchImportFindings calls";
    if (result.problem() != null) {
      return new ExportRecord(
          Condition.FALSE,
          result.problem().reason(),
          result.problem().message()
              + "; "
              + failed
              + " Findings not exported, kept in Kubernetes and retried by the next scan ("
              + imported
              + ")",
          result.calls(),
          active,
          archived,
          failed);
    }
    if (!result.failed().isEmpty()) {
      var first =
          result.failed().stream()
              .limit(3)
              .map(f -> f.id() + ": " + f.code() + " " + f.message())
              .collect(Collectors.joining("; "));
      LOG.warnf("security hub refused %d findings of %s: %s", result.failed().size(), key, first);
      return new ExportRecord(
          Condition.FALSE,
          "FindingsRejected",
          result.failed().size()
              + " Findings were refused by Security Hub (FailedFindings) after one retry, e.g. "
              + first
              + "; they are retried by the next scan ("
              + imported
              + ")",
          result.calls(),
          active,
          archived,
          failed);
    }
    return new ExportRecord(
        Condition.TRUE,
        "Exported",
        imported
            + (unmarked > 0
                ? "; " + unmarked + " could not be marked as exported and are sent again next scan"
                : ""),
        result.calls(),
        active,
        archived,
        0);
  }
}
