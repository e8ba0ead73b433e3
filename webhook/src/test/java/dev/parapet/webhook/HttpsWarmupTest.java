package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.policy.PolicyStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With HTTPS served from certificate files on a known port (as the chart does), the policy store
 * reports synced only once a synthetic request went through the server's own HTTPS path.
 */
@QuarkusTest
@TestProfile(FirstRequestBenchmark.FixedPort.class)
class HttpsWarmupTest {
  @Inject PolicyStore store;
  @Inject HttpsWarmup warmup;

  @Test
  void readinessWaitsForASyntheticRequestOverHttps() {
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(store::synced);
    assertThat(warmup.isDone()).isTrue();
    assertThat(warmup.succeeded()).as("the synthetic request got HTTP 200 over TLS").isTrue();
  }
}
