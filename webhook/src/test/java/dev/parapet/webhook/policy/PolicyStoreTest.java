package dev.parapet.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.webhook.WebhookConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the store counts as synced (what the webhook's readiness waits for); no cluster. */
class PolicyStoreTest {

  static WebhookConfig config(String policyFile, boolean watchCluster) {
    return new WebhookConfig() {
      @Override
      public Optional<String> policyFile() {
        return Optional.ofNullable(policyFile);
      }

      @Override
      public Optional<String> ownNamespace() {
        return Optional.empty();
      }

      @Override
      public int maxRequestBytes() {
        return 1 << 20;
      }

      @Override
      public long reviewBudgetMillis() {
        return 2000;
      }

      @Override
      public boolean watchCluster() {
        return watchCluster;
      }
    };
  }

  @Test
  void aPolicyFileIsSyncedOnceLoadedAtStartup() {
    var store = new PolicyStore(config("src/test/resources/admission/policies.yaml", true), null);
    assertThat(store.synced()).isFalse();
    store.onStart(null);
    assertThat(store.synced()).isTrue();
    assertThat(store.current().policies()).extracting(AdmissionPolicy::name).contains("prod-deny");
  }

  @Test
  void noFileAndNoWatchIsSyncedWithTheDefault() {
    var store = new PolicyStore(config(null, false), null);
    store.onStart(null);
    assertThat(store.synced()).isTrue();
  }

  @Test
  void clusterWatchIsNotSyncedBeforeTheInformersStart() {
    var store = new PolicyStore(config(null, true), null);
    assertThat(store.synced()).isFalse();
  }
}
