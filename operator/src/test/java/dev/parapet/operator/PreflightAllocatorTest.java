package dev.parapet.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's preflight (one Fabric8 call before Quarkus starts) must not fix Netty's pooled
 * allocator at Netty's own chunk size: the allocator reads {@code io.netty.allocator.maxOrder} once
 * per process, and Quarkus sets it (3) only as it starts, after the preflight. Run in a fresh JVM,
 * since this test JVM's Netty is already initialised.
 */
class PreflightAllocatorTest {

  @Test
  void thePreflightLeavesNettyWithQuarkusChunkOrder() throws Exception {
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var p =
        new ProcessBuilder(
                List.of(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName()))
            .redirectErrorStream(true)
            .start();
    var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("problem=null").contains("maxOrder=3");
  }

  /** In the fresh JVM: a loopback API server that answers /version, the preflight, the order. */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/version",
          exchange -> {
            var body =
                "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      System.setProperty("kubernetes.master", "http://127.0.0.1:" + server.getAddress().getPort());
      System.setProperty("kubernetes.auth.tryKubeConfig", "false");
      System.setProperty("kubernetes.auth.tryServiceAccount", "false");
      try {
        var problem = Main.clusterProblem();
        System.out.println("problem=" + problem);
        System.out.println("maxOrder=" + PooledByteBufAllocator.defaultMaxOrder());
      } finally {
        server.stop(0);
      }
      System.exit(0);
    }
  }
}
