package dev.parapet.operator.cloudscan;

import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.ClientSettings;
import dev.parapet.operator.aws.engine.ScanEngine;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One AWS client factory and scan engine per process. */
public class EngineProducer {

  @Produces
  @Singleton
  AwsClientFactory clients() {
    return new AwsClientFactory(ClientSettings.defaults());
  }

  void close(@Disposes AwsClientFactory clients) {
    clients.close();
  }

  @Produces
  @Singleton
  ScanEngine engine(AwsClientFactory clients) {
    return new ScanEngine(clients);
  }
}
