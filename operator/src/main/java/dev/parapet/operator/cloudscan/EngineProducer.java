package dev.parapet.operator.cloudscan;

import dev.parapet.operator.aws.collect.ApiRateLimiter;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.engine.ScanEngine;
import dev.parapet.operator.config.ParapetConfig;
import dev.parapet.operator.paths.CloudIdentity;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One AWS client factory and scan engine per process. */
public class EngineProducer {

  @Produces
  @Singleton
  AwsClientFactory clients(ParapetConfig config) {
    var scan = config.scan();
    return new AwsClientFactory(
        ClientSettings.defaults(),
        scan.apiRate() > 0
            ? new ApiRateLimiter.Limits(scan.apiRate(), Math.max(1, scan.apiBurst()))
            : ApiRateLimiter.Limits.OFF);
  }

  void close(@Disposes AwsClientFactory clients) {
    clients.close();
  }

  @Produces
  @Singleton
  ScanEngine engine(AwsClientFactory clients, CloudIdentity identity) {
    var engine = new ScanEngine(clients);
    // The cross-plane join reads each account's latest IAM data (the cluster audit runs it).
    engine.onInventory(identity::record);
    return engine;
  }
}
