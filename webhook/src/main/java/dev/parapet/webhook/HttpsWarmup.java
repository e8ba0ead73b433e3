package dev.parapet.webhook;

import io.quarkus.vertx.http.HttpsServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The HTTPS part of the warm-up: once the HTTPS server listens, one synthetic review is posted to
 * {@code /validate-noop} on 127.0.0.1 over TLS (the server's first handshake, HTTP stack and JSON
 * path), trusting exactly the certificate the server serves ({@code
 * quarkus.http.ssl.certificate.files}; host names are not used). The policy store reports synced
 * only after it ({@link #isDone}); a failure or a 20 s timeout is logged and does not hold
 * readiness back. Nothing is counted in the metrics (the noop endpoint counts nothing).
 */
@ApplicationScoped
public class HttpsWarmup {
  private static final Logger LOG = Logger.getLogger(HttpsWarmup.class);
  static final long TIMEOUT_SECONDS = 20;

  /** Longest readiness is held back waiting for the server-start event and the request. */
  static final long MAX_WAIT_SECONDS = 60;

  private final CountDownLatch done = new CountDownLatch(1);
  private final long createdNanos = System.nanoTime();
  private final boolean expected = !certificateFiles().isEmpty();
  private volatile boolean succeeded;

  private static List<String> certificateFiles() {
    return ConfigProvider.getConfig()
        .getOptionalValues("quarkus.http.ssl.certificate.files", String.class)
        .orElse(List.of());
  }

  void onHttpsStart(@ObservesAsync HttpsServerStart event) {
    int port = event.options().getPort();
    var files = certificateFiles();
    if (port <= 0 || files.isEmpty()) {
      LOG.infof("HTTPS warm-up skipped (port %d, certificate files %s)", port, files);
      done.countDown();
      return;
    }
    var t =
        new Thread(
            () -> {
              long t0 = System.nanoTime();
              try {
                int status = post(port, files);
                succeeded = status == 200;
                LOG.infof(
                    "HTTPS path warmed up in %d ms (HTTP %d)",
                    (System.nanoTime() - t0) / 1_000_000, status);
              } catch (Exception e) {
                LOG.warnf("HTTPS warm-up failed (readiness not held back): %s", e.toString());
              } finally {
                done.countDown();
              }
            },
            "parapet-https-warmup");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Whether readiness may turn UP as far as the HTTPS path goes: no HTTPS certificate configured,
   * the warm-up request finished (or failed, logged), or {@link #MAX_WAIT_SECONDS} have passed
   * since this bean was first used (the server-start event never came).
   */
  public boolean isDone() {
    return !expected
        || done.getCount() == 0
        || System.nanoTime() - createdNanos > TimeUnit.SECONDS.toNanos(MAX_WAIT_SECONDS);
  }

  /** Whether the synthetic request went through over HTTPS with status 200. */
  public boolean succeeded() {
    return succeeded;
  }

  private static int post(int port, List<String> certFiles) throws Exception {
    var served = new ArrayList<X509Certificate>();
    var trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    var cf = CertificateFactory.getInstance("X.509");
    int i = 0;
    for (var f : certFiles) {
      try (InputStream in = Files.newInputStream(Path.of(f.strip()))) {
        for (var c : cf.generateCertificates(in)) {
          served.add((X509Certificate) c);
          trust.setCertificateEntry("served-" + i++, c);
        }
      }
    }
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    var conn =
        (HttpsURLConnection)
            URI.create("https://127.0.0.1:" + port + "/validate-noop").toURL().openConnection();
    conn.setSSLSocketFactory(ssl.getSocketFactory());
    // The peer must present exactly a served certificate; its names do not matter here.
    conn.setHostnameVerifier(
        (host, session) -> {
          try {
            return served.contains((X509Certificate) session.getPeerCertificates()[0]);
          } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return false;
          }
        });
    conn.setConnectTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    conn.setReadTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    conn.setRequestMethod("POST");
    conn.setDoOutput(true);
    conn.setRequestProperty("Content-Type", "application/json");
    try (var out = conn.getOutputStream()) {
      out.write(Warmup.podReview());
    }
    try (var in = conn.getInputStream()) {
      in.readAllBytes();
    }
    return conn.getResponseCode();
  }
}
