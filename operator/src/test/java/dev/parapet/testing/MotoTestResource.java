package dev.parapet.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: starts (or reuses) the shared {@link MotoServer}, resets it, and hands the
 * application its endpoint, region, account id and fake credentials as configuration. The server
 * itself stops at JVM exit, since other test classes may share it.
 */
public final class MotoTestResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    var moto = MotoServer.shared();
    moto.reset();
    return Map.of(
        "parapet.test.aws.endpoint", moto.endpoint().toString(),
        "parapet.test.aws.region", moto.region(),
        "parapet.test.aws.account-id", moto.accountId(),
        "parapet.test.aws.access-key-id", MotoServer.ACCESS_KEY_ID,
        "parapet.test.aws.secret-access-key", MotoServer.SECRET_ACCESS_KEY);
  }

  @Override
  public void stop() {
    // Shared across test classes; stopped by the JVM shutdown hook.
  }
}
