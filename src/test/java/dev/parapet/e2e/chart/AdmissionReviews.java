package dev.parapet.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The API server's side of the admission exchange with the chart's webhook: AdmissionReviews POSTed
 * over HTTPS trusting only a CA bundle and checking the certificate against the Service DNS name
 * the API server would call. Shared by the packaged-app and the container-image end-to-end tests.
 */
public final class AdmissionReviews {

  /** The name the API server dials for the chart's webhook Service. */
  public static final String SERVICE_DNS = "parapet-webhook." + ChartSupport.NAMESPACE + ".svc";

  private AdmissionReviews() {}

  /** The caBundle of the chart's ValidatingWebhookConfiguration (base64 PEM). */
  public static String caBundle(ChartSupport.Rendered chart) {
    return chart
        .all(ValidatingWebhookConfiguration.class)
        .get(0)
        .getWebhooks()
        .get(0)
        .getClientConfig()
        .getCaBundle();
  }

  /** POSTs {@code body} to 127.0.0.1:{@code port}/validate as the API server would, parsed. */
  public static JsonNode review(
      ChartSupport.Rendered chart, int port, String body, Supplier<String> onError)
      throws Exception {
    return new ObjectMapper().readTree(post(caBundle(chart), port, body, onError));
  }

  /**
   * POSTs like the API server: trusting only {@code caBundle}, checking the Service DNS name.
   * {@code onError} describes the server (its log) when the answer is not 200.
   */
  public static String post(String caBundle, int port, String body, Supplier<String> onError)
      throws Exception {
    var ca =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(caBundle)));
    var trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    var connection =
        (HttpsURLConnection)
            URI.create("https://127.0.0.1:" + port + "/validate").toURL().openConnection();
    connection.setSSLSocketFactory(ssl.getSocketFactory());
    // The test dials 127.0.0.1; the API server dials the Service name, so verify that name.
    connection.setHostnameVerifier(
        (host, session) -> {
          try {
            var peer = (X509Certificate) session.getPeerCertificates()[0];
            return peer.getSubjectAlternativeNames().stream()
                .anyMatch(san -> SERVICE_DNS.equals(san.get(1)));
          } catch (Exception e) {
            return false;
          }
        });
    // Generous: this is a correctness test on a shared 2-core machine, not a latency test (the
    // first request after start also pays for class loading and JIT).
    connection.setConnectTimeout(10_000);
    connection.setReadTimeout(30_000);
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", "application/json");
    try (var out = connection.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(connection.getResponseCode()).as(onError.get()).isEqualTo(200);
    try (var in = connection.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** An AdmissionReview creating Pod {@code name} in namespace apps with one container port. */
  public static String pod(String name, int port) {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
          "uid":"uid-%1$s","kind":{"group":"","version":"v1","kind":"Pod"},
          "resource":{"group":"","version":"v1","resource":"pods"},
          "requestKind":{"group":"","version":"v1","kind":"Pod"},
          "requestResource":{"group":"","version":"v1","resource":"pods"},
          "name":"%1$s","namespace":"apps","operation":"CREATE",
          "userInfo":{"username":"alice"},
          "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%1$s","namespace":"apps"},
            "spec":{"containers":[{"name":"main","image":"nginx",
              "ports":[{"containerPort":%2$d,"protocol":"TCP"}]}]}},
          "oldObject":null,"dryRun":false}}
        """
        .formatted(name, port);
  }
}
