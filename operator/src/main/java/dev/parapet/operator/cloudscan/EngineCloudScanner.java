package dev.parapet.operator.cloudscan;

import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.CredentialsException;
import dev.parapet.operator.aws.engine.IdentityMismatchException;
import dev.parapet.operator.aws.engine.InvalidPolicyException;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.engine.ScanException;
import dev.parapet.operator.aws.engine.ScanProgress;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.engine.ScanRequest;
import dev.parapet.operator.aws.engine.ScanResult;
import dev.parapet.operator.aws.engine.ScanTargets;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.scan.CheckResult;
import dev.parapet.operator.scan.RuleRegion;
import dev.parapet.operator.scan.ScanCredentials;
import dev.parapet.operator.scan.ScanOutcome;
import dev.parapet.webhook.secrets.Redactor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The production {@link CloudScanner}: runs the AWS engine on exactly the rules the merged policy
 * enables. Policy exceptions are not the engine's: the operator applies them when it plans the
 * Findings ({@code CloudFindings}).
 */
@ApplicationScoped
public class EngineCloudScanner implements CloudScanner {

  private final ScanEngine engine;

  @Inject
  public EngineCloudScanner(ScanEngine engine) {
    this.engine = engine;
  }

  @Override
  public ScanOutcome scan(ScanInput input) {
    return scan(input, ScanProgress.NONE);
  }

  /** As {@link #scan(ScanInput)}, telling {@code progress} as collections finish (the CLI). */
  public ScanOutcome scan(ScanInput input, ScanProgress progress) {
    var started = Instant.now();
    try {
      return outcome(engine.scan(request(input), progress));
    } catch (IdentityMismatchException e) {
      return ScanOutcome.fatal(
          started, Instant.now(), "AccountMismatch", Redactor.redact(e.getMessage()), true);
    } catch (CredentialsException e) {
      return ScanOutcome.fatal(
          started, Instant.now(), "CredentialsInvalid", Redactor.redact(e.getMessage()), true);
    } catch (InvalidPolicyException e) {
      return ScanOutcome.fatal(
          started, Instant.now(), "InvalidPolicy", Redactor.redact(e.getMessage()), false);
    } catch (ScanException | IllegalArgumentException e) {
      return ScanOutcome.fatal(
          started, Instant.now(), "ScanError", Redactor.redact(e.getMessage()), false);
    }
  }

  /** The engine request of a scan (public for remediation: the same home region). */
  public static ScanRequest request(ScanInput in) {
    var spec = in.spec();
    var policy = in.policy();
    var overrides = new HashMap<>(policy.severities());
    var p = policy.parameters();
    var defaults = RuleParameters.defaults();
    var params =
        new RuleParameters(
            p.sensitivePorts() == null ? defaults.sensitivePorts() : p.sensitivePorts(),
            p.maxAccessKeyAgeDays() == null
                ? defaults.maxAccessKeyAgeDays()
                : p.maxAccessKeyAgeDays(),
            p.unusedCredentialDays() == null
                ? defaults.unusedCredentialDays()
                : p.unusedCredentialDays(),
            defaults.minPasswordLength(),
            defaults.passwordReusePrevention(),
            p.includeUnusedSecurityGroups());
    // The operator already merged the selection: the engine runs exactly the enabled rules
    // (activity rules are judged from CloudTrail events, not by a scan).
    var enabled = new java.util.TreeSet<>(policy.enabledRules());
    enabled.removeAll(dev.parapet.operator.aws.events.activity.ActivityRules.IDS);
    overrides.keySet().retainAll(enabled);
    // The account's service scope goes to the engine too: it validates the names and its own
    // selection then agrees with the enabled rules, so no collector of an excluded service runs.
    var cloud =
        new CloudPolicy(
            enabled,
            overrides,
            params,
            policy.scope().include(),
            policy.scope().exclude(),
            targets(spec.scan() == null ? null : spec.scan().targets()));
    return new ScanRequest(
        spec.accountId(),
        spec.regions(),
        credentials(in),
        spec.endpointOverride() == null ? null : URI.create(spec.endpointOverride()),
        null,
        cloud);
  }

  /**
   * An account's {@code spec.scan.targets} (or the CLI's tag options) as the engine applies them;
   * throws IllegalArgumentException for an empty key.
   */
  public static ScanTargets targets(CloudAccountSpec.Targets t) {
    if (t == null) {
      return ScanTargets.ALL;
    }
    return new ScanTargets(criteria(t.include()), criteria(t.exclude()));
  }

  private static List<ScanTargets.TagCriterion> criteria(List<CloudAccountSpec.TagMatch> in) {
    if (in == null) {
      return List.of();
    }
    return in.stream()
        .map(
            m ->
                new ScanTargets.TagCriterion(
                    m.key(), m.values() == null ? Set.of() : Set.copyOf(m.values())))
        .toList();
  }

  /** The credential source of a scan input (the Security Hub export uses the same one). */
  public static CredentialSource credentials(ScanInput in) {
    return credentials(
        in.spec().credentials(), in.credentials(), "parapet-" + in.spec().accountId());
  }

  /**
   * The credential source of a spec's {@code credentials} (a CloudAccount's or an
   * AwsOrganization's) with their resolved secret values; {@code defaultSession} names the
   * AssumeRole session when the spec does not.
   */
  public static CredentialSource credentials(
      CloudAccountSpec.Credentials c, ScanCredentials values, String defaultSession) {
    if (c != null && c.secretRef() != null) {
      return new CredentialSource.StaticKeys(
          values.accessKeyId(), values.secretAccessKey(), values.sessionToken());
    }
    if (c != null && c.assumeRole() != null) {
      var r = c.assumeRole();
      return new CredentialSource.AssumeRole(
          r.roleArn(),
          values.externalId(),
          r.sessionName() == null ? defaultSession : r.sessionName(),
          r.durationSeconds() == null ? 0 : r.durationSeconds(),
          null);
    }
    return new CredentialSource.DefaultChain();
  }

  /** The operator's view of an engine report. */
  public static ScanOutcome outcome(ScanReport r) {
    var failures =
        r.results().stream()
            .filter(x -> x.status() == ResultStatus.FAIL && x.resource() != null)
            .map(EngineCloudScanner::check)
            .toList();
    var outOfTarget =
        r.outOfTarget().stream()
            .filter(x -> x.resource() != null)
            .map(EngineCloudScanner::check)
            .toList();
    var regions =
        r.regionStates().stream()
            .map(
                s ->
                    new CloudAccountStatus.RegionState(
                        s.region(),
                        switch (s.state()) {
                          case Complete -> "Scanned";
                          case Partial -> "Partial";
                          case Failed -> "Failed";
                        },
                        s.error() == null ? null : Redactor.redact(s.error())))
            .toList();
    var errors =
        r.errors().stream()
            .map(
                e ->
                    new CloudAccountStatus.ScanError(
                        e.service(),
                        e.region(),
                        e.reason().name(),
                        Redactor.redact(
                            (e.operation().isEmpty()
                                    ? ""
                                    : e.service() + ":" + e.operation() + ": ")
                                + e.message())))
            .toList();
    var unknown =
        r.unknownScopes().stream()
            .map(u -> new RuleRegion(u.ruleId(), u.region()))
            .collect(Collectors.toSet());
    return new ScanOutcome(
        null,
        new CloudAccountStatus.Identity(r.identityArn(), r.accountId()),
        r.startedAt(),
        r.finishedAt(),
        r.apiCallCount(),
        r.resourcesScanned(),
        regions,
        errors,
        new HashSet<>(r.enabledRules()),
        failures,
        unknown,
        r.requiredIamActions(),
        outOfTarget);
  }

  private static CheckResult check(ScanResult x) {
    return new CheckResult(
        x.rule(),
        x.severity(),
        x.region(),
        x.resource().type(),
        x.resource().id(),
        x.resource().arn(),
        "",
        x.evidence(),
        x.resource().tags());
  }
}
