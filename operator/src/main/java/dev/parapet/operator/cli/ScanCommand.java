package dev.parapet.operator.cli;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.api.v1alpha1.FindingStatus;
import dev.parapet.operator.aws.collect.AccountProbe;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.AwsSession;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.aws.collect.ProbeException;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.engine.ScanProgress;
import dev.parapet.operator.aws.engine.ScanTargets;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.operator.cloudscan.EngineCloudScanner;
import dev.parapet.operator.cloudscan.ScanInput;
import dev.parapet.operator.findings.CloudFindings;
import dev.parapet.operator.findings.FindingPlanner;
import dev.parapet.operator.policy.PolicyMerger;
import dev.parapet.operator.policy.ServiceScope;
import dev.parapet.operator.scan.EngineRuleCatalog;
import dev.parapet.operator.scan.RuleRegion;
import dev.parapet.operator.scan.ScanCredentials;
import dev.parapet.operator.scan.ScanOutcome;
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

  /** A region name's shape (as ScanRequest checks it); whether it exists is asked of AWS. */
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

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
      description =
          "Regions to scan (comma-separated); each must be enabled for the account (checked with"
              + " ec2:DescribeRegions before scanning). Default: every enabled region.")
  List<String> regions = new ArrayList<>();

  @Option(
      names = "--services",
      split = ",",
      description =
          "Only these AWS services (comma-separated): accessanalyzer, cloudtrail, cloudwatch, config, ec2, ecr, efs, eks, elb, guardduty, iam, kms, lambda, rds, s3, secretsmanager, securityhub, sns, sqs."
              + " Default: every service. Only their rules run and only their APIs are called.")
  List<String> services = new ArrayList<>();

  @Option(
      names = "--exclude-services",
      split = ",",
      description = "Never these AWS services (comma-separated); wins over --services.")
  List<String> excludeServices = new ArrayList<>();

  @Option(
      names = "--target-tag",
      paramLabel = "KEY[=VALUE]",
      description =
          "Judge only resources carrying this AWS tag (KEY: any value; KEY=VALUE: split at the"
              + " first =); repeat for more, any one matches. Resource-level rules only;"
              + " account-level rules always run. As spec.scan.targets.include.")
  List<String> targetTags = new ArrayList<>();

  @Option(
      names = "--exclude-tag",
      paramLabel = "KEY[=VALUE]",
      description =
          "Never judge resources carrying this AWS tag; repeatable; wins over --target-tag."
              + " As spec.scan.targets.exclude.")
  List<String> excludeTags = new ArrayList<>();

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
    // Everything that needs no AWS call is checked first: a typo costs no call.
    if (accountId != null && !accountId.matches("\\d{12}")) {
      throw new IllegalArgumentException(
          "--account-id: '" + accountId + "' is not a 12-digit account id");
    }
    var roleAccount = roleArn == null ? null : roleAccount(roleArn);
    for (var r : regions) {
      if (!REGION.matcher(r).matches()) {
        throw new IllegalArgumentException(
            "--regions: '" + r + "' is not an AWS region name (e.g. eu-west-1)");
      }
    }
    var scope =
        ServiceScope.of(
            new CloudAccountSpec.Services(List.copyOf(services), List.copyOf(excludeServices)),
            "--services",
            "--exclude-services");
    if (!scope.valid()) {
      throw new IllegalArgumentException(scope.describeProblems());
    }
    var targets = targets();
    try (var clients = new AwsClientFactory(ClientSettings.defaults())) {
      var engine = new ScanEngine(clients);
      var catalog = new EngineRuleCatalog(engine).rules();
      var policies =
          common.policy == null
              ? List.<dev.parapet.api.v1alpha1.PosturePolicy>of()
              : PolicyDocuments.load(common.policy, catalog);
      var now = Instant.now();
      var effective = PolicyMerger.merge(policies, Map.of(), catalog, now).within(scope, catalog);
      if (!preflight(clients, roleAccount)) {
        return ExitCodes.ERROR;
      }
      var account = account();
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
      if (targets.active()) {
        where += "; resources: " + targets.describe();
      }
      RedactedOutput.printf(
          err,
          "parapet: scanning account %s (%s), %d rules...%n",
          accountId,
          where,
          effective.enabledRules().stream()
              .filter(
                  id -> !dev.parapet.operator.aws.events.activity.ActivityRules.IDS.contains(id))
              .count());
      var input =
          new ScanInput(
              namespace,
              account.getMetadata().getName(),
              account.getSpec(),
              credentials,
              effective);
      var outcome = new EngineCloudScanner(engine).scan(input, progress());
      if (outcome.fatal() != null) {
        RedactedOutput.println(
            err,
            "parapet: scan failed: "
                + outcome.fatal().reason()
                + ": "
                + cliTerms(outcome.fatal().message()));
        return ExitCodes.ERROR;
      }
      RedactedOutput.printf(
          err,
          "parapet: scanned %d region(s) in %.1fs: %d API calls, %d resources, %d failing results%n",
          outcome.regions().stream().filter(r -> !"global".equals(r.name())).count(),
          Duration.between(outcome.startedAt(), outcome.finishedAt()).toMillis() / 1000.0,
          outcome.apiCalls(),
          outcome.resources(),
          outcome.failures().size());
      if (targets.active()) {
        RedactedOutput.printf(
            err,
            "parapet: %d result(s) of resources outside the scan target (%s) not reported%n",
            outcome.outOfTarget().size(),
            targets.describe());
      }
      for (var e : outcome.errors()) {
        var unjudged = unjudgedRules(engine.rules(), outcome, e);
        RedactedOutput.printf(
            err,
            "parapet: UNKNOWN %s in %s: %s: %s (%s)%n",
            e.service(),
            e.region(),
            e.reason(),
            cliTerms(e.message()),
            unjudged.isEmpty()
                ? "no verdict depends on it"
                : "not judged there: " + String.join(", ", unjudged));
      }
      if (!judgedAnything(engine.rules(), outcome)) {
        RedactedOutput.println(
            err,
            "parapet: nothing was judged: every rule was UNKNOWN in every region it applies to"
                + (outcome.evaluatedRules().isEmpty() ? " (no rule is enabled)" : "")
                + "; see the UNKNOWN lines above");
        return ExitCodes.ERROR;
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
      RedactedOutput.print(
          out, new FindingsOutput(Versions.parapet(), japanese).render(findings, format));
      var code = ExitCodes.forFindings(findings, failOn);
      if (!outcome.errors().isEmpty() && code == ExitCodes.OK) {
        RedactedOutput.println(err, "parapet: the scan was partial; see the UNKNOWN lines above");
      }
      return code;
    }
  }

  /**
   * The calls before any scan: who the credentials are (sts:GetCallerIdentity, compared with
   * --account-id, or giving the account when it is absent) and, with --regions, which regions the
   * account has (ec2:DescribeRegions). False, with the reason on stderr, when the scan must not
   * start: an unreachable endpoint, unusable credentials, another account, an unknown or disabled
   * region.
   */
  private boolean preflight(AwsClientFactory clients, String roleAccount) {
    var target = accountId != null ? accountId : roleAccount;
    CredentialSource source =
        roleArn == null
            ? new CredentialSource.DefaultChain()
            : new CredentialSource.AssumeRole(roleArn, externalId, "parapet-" + target, 0, null);
    try (var session =
        clients.open(source, endpoint == null ? null : URI.create(endpoint), probeRegion())) {
      AccountProbe.Identity identity;
      try {
        identity = AccountProbe.identity(session);
      } catch (ProbeException e) {
        if (e.unreachable()) {
          return unreachable(e);
        }
        RedactedOutput.println(
            err,
            "parapet: cannot tell which account the credentials belong to ("
                + cliTerms(e.error().message())
                + "); fix the credentials"
                + (roleArn == null ? " or pass --role-arn" : " or --role-arn")
                + "; nothing was scanned");
        return false;
      }
      if (target == null) {
        accountId = identity.accountId();
        RedactedOutput.printf(
            err,
            "parapet: credentials resolve to account %s (%s)%n",
            identity.accountId(),
            identity.arn());
      } else if (!target.equals(identity.accountId())) {
        RedactedOutput.printf(
            err,
            "parapet: the credentials belong to account %s (%s), not to %s %s; nothing was"
                + " scanned%n",
            identity.accountId(),
            identity.arn(),
            accountId != null ? "--account-id" : "the account of --role-arn",
            target);
        return false;
      } else {
        accountId = target;
      }
      return regions.isEmpty() || regionsExist(session);
    }
  }

  /** --regions against the account's regions: unknown or disabled ones stop the scan. */
  private boolean regionsExist(AwsSession session) {
    AccountProbe.Regions known;
    try {
      known = AccountProbe.regions(session);
    } catch (ProbeException e) {
      if (e.unreachable()) {
        return unreachable(e);
      }
      RedactedOutput.println(
          err,
          "parapet: warning: cannot list the account's regions, so --regions is not checked ("
              + cliTerms(e.error().message())
              + ")");
      return true;
    }
    var unknown = new ArrayList<String>();
    var disabled = new ArrayList<String>();
    for (var r : regions) {
      if (known.disabled().contains(r)) {
        disabled.add(r);
      } else if (!known.enabled().contains(r)) {
        unknown.add(r);
      }
    }
    if (unknown.isEmpty() && disabled.isEmpty()) {
      return true;
    }
    var problems = new ArrayList<String>();
    if (!unknown.isEmpty()) {
      problems.add("unknown region " + String.join(", ", unknown));
    }
    if (!disabled.isEmpty()) {
      problems.add(
          "not enabled for account " + accountId + " (opt-in): " + String.join(", ", disabled));
    }
    RedactedOutput.println(
        err,
        "parapet: --regions: "
            + String.join("; ", problems)
            + ". Enabled regions: "
            + String.join(", ", known.enabled())
            + "; nothing was scanned");
    return false;
  }

  private boolean unreachable(ProbeException e) {
    RedactedOutput.println(
        err,
        "parapet: "
            + (endpoint == null ? "the AWS endpoint" : "--endpoint " + endpoint)
            + " is unreachable: "
            + cliTerms(e.error().message())
            + "; nothing was scanned");
    return false;
  }

  /**
   * Where the first calls go: the first --regions entry the SDK has an endpoint for (an unknown one
   * has no host to call), else us-east-1.
   */
  private String probeRegion() {
    return regions.stream().filter(AccountProbe::knownToSdk).findFirst().orElse("us-east-1");
  }

  /**
   * The rules an error left unjudged in its region: the UNKNOWN (rule, region) scopes there whose
   * rule reads a dataset of the error's service, by the failed operation when the message names it.
   */
  static List<String> unjudgedRules(
      RuleRegistry registry, ScanOutcome outcome, CloudAccountStatus.ScanError error) {
    var prefix = error.service() + ":";
    var message = error.message() == null ? "" : error.message();
    String action = null;
    if (message.startsWith(prefix) && message.indexOf(": ") > prefix.length()) {
      action = message.substring(0, message.indexOf(": "));
    }
    var byService = new java.util.TreeSet<String>();
    var byAction = new java.util.TreeSet<String>();
    for (var u : outcome.unknown()) {
      if (!u.region().equals(error.region())) {
        continue;
      }
      var rule = registry.find(u.ruleId());
      if (rule.isEmpty()) {
        continue;
      }
      for (var type : rule.get().definition().datasets()) {
        if (Datasets.service(type).equals(error.service())) {
          byService.add(u.ruleId());
          if (action != null && Datasets.actions(type).contains(action)) {
            byAction.add(u.ruleId());
          }
        }
      }
    }
    return List.copyOf(byAction.isEmpty() ? byService : byAction);
  }

  /**
   * Whether any enabled rule reached a verdict somewhere: false when every (rule, region) it
   * applies to is UNKNOWN, or when no rule ran.
   */
  static boolean judgedAnything(RuleRegistry registry, ScanOutcome outcome) {
    var regionNames =
        outcome.regions().stream()
            .map(CloudAccountStatus.RegionState::name)
            .filter(n -> !Datasets.GLOBAL.equals(n))
            .toList();
    for (var id : outcome.evaluatedRules()) {
      var global = registry.find(id).map(r -> r instanceof GlobalRule).orElse(false);
      var scopes = global ? List.of(Datasets.GLOBAL) : regionNames;
      for (var scope : scopes) {
        if (!outcome.unknown().contains(new RuleRegion(id, scope))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Engine and collector messages speak the operator's terms; the CLI says its own flags. */
  static String cliTerms(String message) {
    if (message == null) {
      return "";
    }
    return message
        .replace("check spec.endpointOverride,", "check --endpoint,")
        .replace("spec.endpointOverride", "--endpoint")
        .replace(
            "set spec.credentials or give the controller an identity (the chart's"
                + " controller.irsa.roleArn)",
            "configure them (environment, profile, SSO) or pass --role-arn")
        .replace("but the CloudAccount names account", "but --account-id is");
  }

  /**
   * Progress on stderr: about every tenth of the collections, and the last one. Collecting threads
   * report concurrently and may report out of order (the thread that finished sixth can print after
   * the eighth); a line whose count is not above the last printed one is dropped, so the output
   * only counts up and ends with "0 left".
   */
  ScanProgress progress() {
    var lock = new Object();
    var printed = new int[] {0, -1}; // last printed count, last printed tenth
    return (service, dataset, region, done, total) -> {
      synchronized (lock) {
        var tenth = done * 10 / total;
        if (done <= printed[0] || (done != total && tenth <= printed[1])) {
          return;
        }
        printed[0] = done;
        printed[1] = tenth;
        RedactedOutput.printf(
            err,
            "parapet: collected %d/%d (%s %s in %s), %d left%n",
            done,
            total,
            service,
            dataset,
            region,
            total - done);
      }
    };
  }

  /**
   * --target-tag / --exclude-tag as the engine applies them, checked before any call (the same
   * conversion the operator makes from spec.scan.targets).
   */
  private ScanTargets targets() {
    return EngineCloudScanner.targets(targetsSpec());
  }

  /** The options as spec.scan.targets (null when none is given). */
  private CloudAccountSpec.Targets targetsSpec() {
    if (targetTags.isEmpty() && excludeTags.isEmpty()) {
      return null;
    }
    return new CloudAccountSpec.Targets(
        tagMatches("--target-tag", targetTags), tagMatches("--exclude-tag", excludeTags));
  }

  private static List<CloudAccountSpec.TagMatch> tagMatches(String option, List<String> values) {
    return values.stream()
        .map(v -> ScanTargets.parse(option, v))
        .map(c -> new CloudAccountSpec.TagMatch(c.key(), List.copyOf(c.values())))
        .toList();
  }

  /** The account of --role-arn (checked before any call). */
  private static String roleAccount(String roleArn) {
    var m = Pattern.compile("^arn:aws[a-z-]*:iam::(\\d{12}):role/.+").matcher(roleArn);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--role-arn: '"
              + roleArn
              + "' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
    }
    return m.group(1);
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
            new CloudAccountSpec.Services(List.copyOf(services), List.copyOf(excludeServices)),
            targetsSpec());
    account.setSpec(
        new CloudAccountSpec(
            CloudAccountSpec.Provider.AWS, accountId, List.copyOf(regions), creds, scan, endpoint));
    return account;
  }
}
