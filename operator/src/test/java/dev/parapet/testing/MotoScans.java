package dev.parapet.testing;

import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.engine.ScanRequest;
import dev.parapet.operator.aws.rules.ResultStatus;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Runs the real engine against moto (or a proxy in front of it) with short test timeouts. */
public final class MotoScans {
  private MotoScans() {}

  /** Client settings for tests: few retries, short backoff and timeouts. */
  public static ClientSettings testSettings() {
    return ClientSettings.defaults()
        .withMaxAttempts(3)
        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(200))
        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(20));
  }

  public static ScanReport scan(MotoServer moto, List<String> regions, CloudPolicy policy) {
    return scan(moto.endpoint(), regions, policy, testSettings());
  }

  public static ScanReport scan(
      URI endpoint, List<String> regions, CloudPolicy policy, ClientSettings settings) {
    try (var factory = new AwsClientFactory(settings)) {
      return new ScanEngine(factory).scan(request(endpoint, regions, policy));
    }
  }

  /** A scan with an existing engine (its factory's clients are reused across scans). */
  public static ScanReport scan(
      ScanEngine engine, URI endpoint, List<String> regions, CloudPolicy policy) {
    return engine.scan(request(endpoint, regions, policy));
  }

  /** A scan of moto's account with moto's static keys. */
  public static ScanRequest request(URI endpoint, List<String> regions, CloudPolicy policy) {
    return ScanRequest.of(MotoServer.ACCOUNT_ID, regions)
        .withCredentials(
            new dev.parapet.operator.aws.collect.CredentialSource.StaticKeys(
                MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY, null))
        .withEndpoint(endpoint)
        .withPolicy(policy);
  }

  /** Ids of the resources with an unsuppressed FAIL for a rule. */
  public static List<String> failedIds(ScanReport report, String ruleId) {
    return report.failures().stream()
        .filter(r -> r.ruleId().equals(ruleId))
        .map(r -> r.resource().id())
        .toList();
  }

  /** Ids of the resources with a PASS for a rule. */
  public static List<String> passedIds(ScanReport report, String ruleId) {
    return report.withStatus(ResultStatus.PASS).stream()
        .filter(r -> r.ruleId().equals(ruleId))
        .map(r -> r.resource().id())
        .toList();
  }
}
