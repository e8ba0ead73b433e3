package dev.parapet.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code parapet run} with no reachable cluster: one line, exit code 2, no stack trace. */
class RunWithoutClusterE2ETest {

  @Test
  void saysSoInOneLineAndExitsNonZero() throws Exception {
    var port = closedPort();
    var kubeconfig = Files.createTempFile("kubeconfig-", ".yaml");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:%d"}}]
        users: [{name: nobody, user: {token: not-a-real-token}}]
        contexts: [{name: nowhere, context: {cluster: nowhere, user: nobody}}]
        current-context: nowhere
        """
            .formatted(port));
    var r =
        PackagedCli.run(Duration.ofMinutes(2), Map.of("KUBECONFIG", kubeconfig.toString()), "run");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip().lines().toList())
        .singleElement()
        .asString()
        .startsWith("parapet: no reachable Kubernetes cluster at https://127.0.0.1:" + port)
        .doesNotContain("not-a-real-token");
    assertThat(r.out()).isEmpty();
  }

  private static int closedPort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
