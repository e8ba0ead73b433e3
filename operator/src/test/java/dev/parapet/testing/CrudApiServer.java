package dev.parapet.testing;

import dev.parapet.operator.findings.FindingStore;
import dev.parapet.operator.findings.FindingWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;

/**
 * Fabric8's CRUD mock API server (it stores what it is sent and keeps resourceVersions, but checks
 * no schema and no RBAC) with the committed CRDs applied, and a client of it; on first use, the
 * {@link FindingStore} over that client and the {@link FindingWriter} most tests write with. For
 * tests of what the operator writes without a real API server (src/test has that tier). {@link
 * #close()} stops the store, the client and the server; one instance per test.
 */
public final class CrudApiServer implements AutoCloseable {

  /** The retention of resolved Findings the plain {@link #writer()} keeps (the chart's default). */
  public static final Duration RETENTION = Duration.ofDays(7);

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private FindingStore store;
  private FindingWriter writer;

  private CrudApiServer() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    client = server.createClient();
    Crds.apply(client);
  }

  /** A started server with the CRDs applied. */
  public static CrudApiServer start() {
    return new CrudApiServer();
  }

  public KubernetesMockServer server() {
    return server;
  }

  public KubernetesClient client() {
    return client;
  }

  /** The Finding store (its informer started on first use), stopped on {@link #close()}. */
  public synchronized FindingStore store() {
    if (store == null) {
      store = new FindingStore(client);
    }
    return store;
  }

  /** The writer over {@link #store()}: unfenced, resolved Findings kept for {@link #RETENTION}. */
  public synchronized FindingWriter writer() {
    if (writer == null) {
      writer = new FindingWriter(client, store(), FindingWriter.Options.unfenced(RETENTION));
    }
    return writer;
  }

  @Override
  public synchronized void close() {
    if (store != null) {
      store.stop();
    }
    client.close();
    server.destroy();
  }
}
