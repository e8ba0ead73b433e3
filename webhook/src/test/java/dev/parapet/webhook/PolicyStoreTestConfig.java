package dev.parapet.webhook;

import java.util.Optional;

/** A {@link WebhookConfig} for plain unit tests. */
final class PolicyStoreTestConfig {
  private PolicyStoreTestConfig() {}

  static WebhookConfig config(int maxRequestBytes) {
    return new WebhookConfig() {
      @Override
      public Optional<String> policyFile() {
        return Optional.empty();
      }

      @Override
      public Optional<String> ownNamespace() {
        return Optional.empty();
      }

      @Override
      public int maxRequestBytes() {
        return maxRequestBytes;
      }

      @Override
      public long reviewBudgetMillis() {
        return 2000;
      }

      @Override
      public boolean watchCluster() {
        return false;
      }
    };
  }
}
