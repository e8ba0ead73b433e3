package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * First-request latency over HTTPS after the app reported started (the policy store has run its
 * warm-up), divided by the steady-state p50 on the same kept-alive connection. Run alone in a fresh
 * JVM (-Pbench -Dtest=FirstRequestBenchmark) so that no other test warmed the app. It prints and
 * asserts only that every answer is the expected decision.
 */
@Tag("bench")
@QuarkusTest
@TestProfile(FirstRequestBenchmark.FixedPort.class)
class FirstRequestBenchmark {
  /**
   * The TLS profile with a chosen free HTTPS port, as in production (with port 0 the server-start
   * event does not say which port, and the HTTPS warm-up is skipped).
   */
  public static class FixedPort extends TlsEndpointTest.Tls {
    @Override
    public java.util.Map<String, String> getConfigOverrides() {
      var m = new java.util.HashMap<>(super.getConfigOverrides());
      try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        m.put("quarkus.http.test-ssl-port", String.valueOf(s.getLocalPort()));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      return m;
    }
  }

  /**
   * One TLS handshake of this JVM's client against a server socket of the test's own, so that the
   * measured first request pays only for the server's side (the API server's client is warm).
   */
  static void warmClientTls() throws Exception {
    var ks = java.security.KeyStore.getInstance("PKCS12");
    var dir = TlsEndpointTest.DIR;
    var p12 = dir.resolve("own.p12");
    var p =
        new ProcessBuilder(
                "openssl",
                "pkcs12",
                "-export",
                "-in",
                dir.resolve("tls.crt").toString(),
                "-inkey",
                dir.resolve("tls.key").toString(),
                "-out",
                p12.toString(),
                "-passout",
                "pass:bench")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    p.waitFor();
    try (var in = Files.newInputStream(p12)) {
      ks.load(in, "bench".toCharArray());
    }
    var kmf =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "bench".toCharArray());
    var ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    try (var server =
        ctx.getServerSocketFactory()
            .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      var accept =
          new Thread(
              () -> {
                try (var s = server.accept()) {
                  var in = s.getInputStream();
                  var buf = new byte[8192];
                  int n = in.read(buf);
                  s.getOutputStream()
                      .write(
                          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                              .getBytes());
                } catch (java.io.IOException e) {
                  // the client's handshake is what counts
                }
              });
      accept.start();
      var c = TlsEndpointTest.trustingClient();
      c.send(
          HttpRequest.newBuilder(URI.create("https://localhost:" + server.getLocalPort() + "/"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      accept.join(10_000);
    }
  }

  @TestHTTPResource(value = "/validate", tls = true)
  URL url;

  @jakarta.inject.Inject dev.parapet.webhook.policy.PolicyStore store;

  @Test
  void firstRequestOverSteadyStateP50() throws Exception {
    // As the API server would: only once the replica reports ready.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(store::synced);
    var client = TlsEndpointTest.trustingClient();
    var body = Files.readAllBytes(Path.of("src/test/resources/admission/pod/denied.json"));
    var request =
        HttpRequest.newBuilder(URI.create(url.toString().replace("127.0.0.1", "localhost")))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    long c0 = System.nanoTime();
    warmClientTls();
    long clientWarm = System.nanoTime() - c0;
    long t0 = System.nanoTime();
    var first = client.send(request, HttpResponse.BodyHandlers.ofString());
    long firstNanos = System.nanoTime() - t0;
    assertThat(first.body()).contains("\"allowed\":false");
    var times = new long[200];
    for (int i = 0; i < times.length; i++) {
      long s = System.nanoTime();
      var r = client.send(request, HttpResponse.BodyHandlers.ofString());
      times[i] = System.nanoTime() - s;
      assertThat(r.body()).contains("\"allowed\":false");
    }
    Arrays.sort(times);
    double p50 = times[times.length / 2] / 1e6;
    var fresh = TlsEndpointTest.trustingClient();
    long f0 = System.nanoTime();
    fresh.send(request, HttpResponse.BodyHandlers.ofString());
    long freshNanos = System.nanoTime() - f0;
    System.out.printf(
        "bench client-side TLS warm-up (own server socket) %.1f ms; first /validate request %.1f"
            + " ms (server TLS handshake included), steady-state p50 %.2f ms, ratio %.1f; a new"
            + " connection afterwards %.1f ms%n",
        clientWarm / 1e6, firstNanos / 1e6, p50, firstNanos / 1e6 / p50, freshNanos / 1e6);
  }
}
