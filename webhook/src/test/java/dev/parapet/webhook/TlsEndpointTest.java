package dev.parapet.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * Serves HTTPS from a certificate and key mounted as PEM files (what the chart mounts at
 * /etc/parapet/tls), generated here with openssl, and gets a decision over TLS from a client that
 * trusts only that certificate.
 */
@QuarkusTest
@TestProfile(TlsEndpointTest.Tls.class)
class TlsEndpointTest {
  static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("parapet-tls");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Generates tls.crt / tls.key and points quarkus.http.ssl at them. */
  public static class Tls implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      generate();
      return Map.of(
          "quarkus.http.ssl.certificate.files", DIR.resolve("tls.crt").toString(),
          "quarkus.http.ssl.certificate.key-files", DIR.resolve("tls.key").toString(),
          "quarkus.http.insecure-requests", "disabled");
    }
  }

  static synchronized void generate() {
    if (Files.exists(DIR.resolve("tls.crt"))) {
      return;
    }
    try {
      var p =
          new ProcessBuilder(
                  "openssl",
                  "req",
                  "-x509",
                  "-newkey",
                  "rsa:2048",
                  "-nodes",
                  "-keyout",
                  DIR.resolve("tls.key").toString(),
                  "-out",
                  DIR.resolve("tls.crt").toString(),
                  "-days",
                  "1",
                  "-subj",
                  "/CN=localhost",
                  "-addext",
                  "subjectAltName=DNS:localhost,IP:127.0.0.1")
              .redirectErrorStream(true)
              .start();
      var out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("openssl failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate certificate() throws Exception {
    try (InputStream in = Files.newInputStream(DIR.resolve("tls.crt"))) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** A client that trusts only the generated certificate. */
  static HttpClient trustingClient() throws Exception {
    var trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("parapet", certificate());
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).build();
  }

  @TestHTTPResource(value = "/validate", tls = true)
  URL url;

  @Test
  void decidesOverHttpsWithTheMountedCertificate() throws Exception {
    assertThat(url.getProtocol()).isEqualTo("https");
    var cert = certificate();
    var client = trustingClient();
    var body = Files.readAllBytes(Path.of("src/test/resources/admission/pod/denied.json"));
    var response =
        client.send(
            HttpRequest.newBuilder(URI.create(url.toString().replace("127.0.0.1", "localhost")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"uid\":\"uid-pod-denied\"", "\"allowed\":false", "\"code\":403");
    assertThat(response.sslSession()).isPresent();
    assertThat(response.sslSession().get().getPeerCertificates()[0]).isEqualTo(cert);
  }
}
