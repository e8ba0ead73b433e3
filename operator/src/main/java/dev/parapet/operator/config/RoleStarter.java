package dev.parapet.operator.config;

import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Starts the controllers unless the role is webhook. QOSDK's own start is switched off at build
 * time ({@code quarkus.operator-sdk.start-operator=false}) because that setting cannot change at
 * runtime.
 */
@Singleton
public class RoleStarter {

  private static final Logger LOG = Logger.getLogger(RoleStarter.class);

  @Inject ParapetConfig config;
  @Inject Operator operator;
  @Inject dev.parapet.operator.audit.ClusterAudit audit;

  void onStart(@Observes StartupEvent event) {
    if (!config.role().runsController()) {
      LOG.info("role webhook: controllers, scans and the cluster audit are not started");
      return;
    }
    LOG.infof(
        "role %s: starting %d controllers",
        config.role(), operator.getRegisteredControllersNumber());
    operator.start();
    if (config.audit().enabled()) {
      audit.start();
    }
  }
}
