package dev.parapet.operator.cli;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.aws.collect.AccountProbe;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.aws.collect.ProbeException;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.engine.ScanProgress;
import dev.parapet.operator.cloudscan.EngineCloudScanner;
import dev.parapet.operator.cloudscan.ScanInput;
import dev.parapet.operator.findings.CloudFindings;
import dev.parapet.operator.findings.FindingPlanner;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.policy.ServiceScope;
import dev.parapet.operator.scan.EngineRuleCatalog;
import dev.parapet.operator.scan.ScanCredentials;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parapet scan}: scans one AWS account and prints its findings. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description =
        "Scan an AWS account read-only and print its findings, as the operator would write them.")
public final class ScanCommand implements Callable<Integer> {

  /** Longest evidence message, as in the operator's default configuration. */
  static final int MAX_MESSAGE_LENGTH = 600;

  @Option(
      names = "--account-id",
      description =
          "The 12-digit account id to scan; the scan stops if the credentials resolve to another"
              + " account. Default: the account of --role-arn, else the account the credentials"
              + " resolve to (sts:GetCallerIdentity).")
  String accountId;

  @Option(
      names = "--regions",
      split = ",",
      description = "Regions to scan (comma-separated). Default: every enabled region.")
  List<String> regions = new ArrayList<>();

  @Option(
      names = "--services",
      split = ",",
      description =
          "Only these AWS services (comma-separated): cloudtrail, ec2, iam, kms, rds, s3."
              + " Default: every service. Only their rules run and only their APIs are called.")
  List<String> services = new ArrayList<>();

  @Option(
      names = "--exclude-services",
      split = ",",
      description = "Never these AWS services (comma-separated); wins over --services.")
  List<String> excludeServices = new ArrayList<>();

  @Option(
      names = "--role-arn",
      description = "Assume this read-only role (from the default credential chain).")
  String roleArn;

  @Option(names = "--external-id", description = "ExternalId the role's trust policy requires.")
  String externalId;

  @Option(
      names = "--endpoint",
      description = "Endpoint override for every AWS service (e.g. an emulator).")
  String endpoint;

  @Option(
      names = "--namespace",
      defaultValue = "default",
      description = "Namespace written into the Finding objects (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Mixin CommonOptions common;

  private final PrintStream out;
  private final PrintStream err;

  public ScanCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    var format = common.format();
    var failOn = common.failOnSeverity();
    var japanese = common.japanese();
    try (var clients = new AwsClientFactory(ClientSettings.defaults())) {
      if (accountId == null) {
        accountId = defaultAccountId(clients);
      } else if (!accountId.matches("\\d{12}")) {
        throw new IllegalArgumentException(
            "--account-id: '" + accountId + "' is not a 12-digit account id");
      }
      var engine = new ScanEngine(clients);
      var catalog = new EngineRuleCatalog(engine).rules();
      var policies =
          common.policy == null
              ? List.<dev.parapet.api.v1alpha1.PosturePolicy>of()
              : PolicyDocuments.load(common.policy, catalog);
      var account = account();
      var scope =
          ServiceScope.of(account.getSpec().scan().services(), "--services", "--exclude-services");
      if (!scope.valid()) {
        throw new IllegalArgumentException(scope.describeProblems());
      }
      var now = Instant.now();
      var effective = PolicyMerger.merge(policies, Map.of(), catalog, now).within(scope, catalog);
      var credentials =
          roleArn == null
              ? ScanCredentials.DEFAULT_CHAIN
              : new ScanCredentials(null, null, null, externalId);
      var where = regions.isEmpty() ? "every enabled region" : String.join(", ", regions);
      if (!scope.include().isEmpty()) {
        where += "; services " + String.join(", ", scope.include());
      }
      if (!scope.exclude().isEmpty()) {
        where += "; not " + String.join(", ", scope.exclude());
      }
      err.printf(
          "parapet: scanning account %s (%s), %d rules...%n",
          accountId, where, effective.enabledRules().size());
      var input =
          new ScanInput(
              namespace,
              account.getMetadata().getName(),
              account.getSpec(),
              credentials,
              effective);
      var outcome = new EngineCloudScanner(engine).scan(input, progress());
      if (outcome.fatal() != null) {
        err.println(
            "parapet: scan failed: " + outcome.fatal().reason() + ": " + outcome.fatal().message());
        return ExitCodes.ERROR;
      }
      err.printf(
          "parapet: scanned %d region(s) in %.1fs: %d API calls, %d resources, %d failing results%n",
          outcome.regions().stream().filter(r -> !"global".equals(r.name())).count(),
          Duration.between(outcome.startedAt(), outcome.finishedAt()).toMillis() / 1000.0,
          outcome.apiCalls(),
          outcome.resources(),
          outcome.failures().size());
      for (var e : outcome.errors()) {
        err.printf(
            "parapet: UNKNOWN %s in %s: %s: %s (rules reading it were not judged)%n",
            e.service(), e.region(), e.reason(), e.message());
      }
      var findings = new ArrayList<Reported>();
      for (var d :
          CloudFindings.desired(account, outcome, effective, MAX_MESSAGE_LENGTH).findings()) {
        var f = FindingPlanner.toFinding(d);
        // Not stored in a cluster: no owner to point at, and status shows Open or Suppressed.
        f.getMetadata().setOwnerReferences(null);
        f.setStatus(
            new FindingStatus(d.state(), now.toString(), now.toString(), null, d.suppressedBy()));
        findings.add(Reported.of(f));
      }
      findings.sort(
          Comparator.comparing((Reported r) -> r.finding().getSpec().rule().severity())
              .thenComparing(r -> r.finding().getMetadata().getName()));
      out.print(new FindingsOutput(Versions.parapet(), japanese).render(findings, format));
      var code = ExitCodes.forFindings(findings, failOn);
      if (!outcome.errors().isEmpty() && code == ExitCodes.OK) {
        err.println("parapet: the scan was partial; see the UNKNOWN lines above");
      }
      return code;
    }
  }

  /** Progress on stderr: about every tenth of the collections, and the last one. */
  private ScanProgress progress() {
    var lastTenth = new java.util.concurrent.atomic.AtomicInteger(-1);
    return (service, dataset, region, done, total) -> {
      var tenth = done * 10 / total;
      if (done == total || lastTenth.getAndUpdate(t -> Math.max(t, tenth)) < tenth) {
        err.printf(
            "parapet: collected %d/%d (%s %s in %s), %d left%n",
            done, total, service, dataset, region, total - done);
      }
    };
  }

  /** The account of --role-arn, else the one the default credential chain resolves to. */
  private String defaultAccountId(AwsClientFactory clients) {
    if (roleArn != null) {
      var m = Pattern.compile("^arn:aws[a-z-]*:iam::(\\d{12}):role/.+").matcher(roleArn);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "--role-arn: '"
                + roleArn
                + "' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
      }
      return m.group(1);
    }
    var home = regions.isEmpty() ? "us-east-1" : regions.get(0);
    try (var session =
        clients.open(
            new CredentialSource.DefaultChain(),
            endpoint == null ? null : URI.create(endpoint),
            home)) {
      AccountProbe.Identity identity;
      try {
        identity = AccountProbe.identity(session);
      } catch (ProbeException e) {
        throw new IllegalArgumentException(
            "cannot tell which account the credentials belong to ("
                + e.getMessage()
                + "); fix the credentials or pass --account-id",
            e);
      }
      err.printf(
          "parapet: credentials resolve to account %s (%s)%n",
          identity.accountId(), identity.arn());
      return identity.accountId();
    }
  }

  private CloudAccount account() {
    var account = new CloudAccount();
    account.setMetadata(
        new ObjectMetaBuilder().withName("aws-" + accountId).withNamespace(namespace).build());
    CloudAccountSpec.Credentials creds = null;
    if (roleArn != null) {
      creds =
          new CloudAccountSpec.Credentials(
              new CloudAccountSpec.AssumeRole(roleArn, externalId, null, null, null), null);
    }
    var scan =
        new CloudAccountSpec.Scan(
            null,
            null,
            new CloudAccountSpec.Services(List.copyOf(services), List.copyOf(excludeServices)));
    account.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS, accountId, List.copyOf(regions), creds, scan, endpoint));
    return account;
  }
}
