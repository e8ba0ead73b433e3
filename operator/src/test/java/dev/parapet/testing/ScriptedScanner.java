package dev.parapet.testing;

import dev.parapet.api.v1alpha1.CloudAccountStatus;
import dev.parapet.operator.cloudscan.CloudScanner;
import dev.parapet.operator.cloudscan.ScanInput;
import dev.parapet.operator.scan.CheckResult;
import dev.parapet.operator.scan.RuleRegion;
import dev.parapet.operator.scan.ScanOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test twin of the AWS engine for reconciler tests: each account answers what the test scripted.
 * Enabled only by {@link ScriptedScannerProfile}; moto-backed tests use the real engine.
 */
@Alternative
@ApplicationScoped
public class ScriptedScanner implements CloudScanner {

  private final Map<String, Function<ScanInput, ScanOutcome>> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, ScanInput> inputs = new ConcurrentHashMap<>();

  public void script(String account, Function<ScanInput, ScanOutcome> script) {
    scripts.put(account, script);
  }

  public int calls(String account) {
    return calls.computeIfAbsent(account, k -> new AtomicInteger()).get();
  }

  /** What the last scan of the account was asked to do (spec, merged policy), or null. */
  public ScanInput lastInput(String account) {
    return inputs.get(account);
  }

  @Override
  public ScanOutcome scan(ScanInput input) {
    inputs.put(input.name(), input);
    calls.computeIfAbsent(input.name(), k -> new AtomicInteger()).incrementAndGet();
    var script = scripts.get(input.name());
    return script == null ? outcome(input, List.of(), Set.of(), List.of()) : script.apply(input);
  }

  /** A finished scan with these failures, UNKNOWN scopes and errors. */
  public static ScanOutcome outcome(
      ScanInput input,
      List<CheckResult> failures,
      Set<RuleRegion> unknown,
      List<CloudAccountStatus.ScanError> errors) {
    var now = Instant.now();
    var accountId = input.spec().accountId();
    return new ScanOutcome(
        null,
        new CloudAccountStatus.Identity(
            "arn:aws:iam::" + accountId + ":role/parapet-scan", accountId),
        now,
        now.plusMillis(250),
        42,
        7,
        List.of(
            new CloudAccountStatus.RegionState(
                "eu-west-1",
                errors.isEmpty() ? "Scanned" : "Partial",
                errors.isEmpty() ? null : errors.get(0).reason())),
        errors,
        input.policy().enabledRules(),
        failures.stream()
            .filter(f -> input.policy().enabledRules().contains(f.rule().id()))
            .toList(),
        unknown,
        List.of());
  }
}
