package dev.parapet.operator.config;

import io.javaoperatorsdk.operator.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the controllers, aware of the role: QOSDK's own check reports DOWN whenever the
 * operator is not started, which is always the case in the webhook role, so it is disabled and
 * replaced by this one.
 */
@Readiness
@ApplicationScoped
public class ControllerReadiness implements HealthCheck {

  @Inject ParapetConfig config;
  @Inject Operator operator;

  @Override
  public HealthCheckResponse call() {
    var b = HealthCheckResponse.named("parapet-controllers").withData("role", config.role().name());
    if (!config.role().runsController()) {
      return b.up().withData("controllers", "not run in this role").build();
    }
    var info = operator.getRuntimeInfo();
    if (!info.isStarted()) {
      return b.down().withData("controllers", "not started").build();
    }
    var healthy = true;
    for (var c : info.getRegisteredControllers()) {
      var unhealthy = c.getControllerHealthInfo().unhealthyEventSources();
      if (!unhealthy.isEmpty()) {
        healthy = false;
        b.withData(
            c.getConfiguration().getName(), "unhealthy event sources: " + unhealthy.keySet());
      }
    }
    return (healthy ? b.up() : b.down()).build();
  }
}
