package dev.parapet.e2e.chart;

import static dev.parapet.e2e.chart.ChartSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook's TLS: generated and wired by the chart, kept across upgrades, or cert-manager's. */
class ChartTlsTest {

  private static final String SECRET = "parapet-webhook-tls";

  @BeforeEach
  void noSecretInTheCluster() {
    ChartSupport.api().clear();
  }

  @Test
  void caBundleSignsTheServingCertificateForTheServiceName() throws Exception {
    var rendered = ChartSupport.render(Map.of());
    var secret = rendered.one(Secret.class, SECRET);
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    var caBundle = caBundle(rendered);
    assertThat(caBundle).isEqualTo(secret.getData().get("ca.crt"));

    var ca = certificate(caBundle);
    var serving = certificate(secret.getData().get("tls.crt"));
    serving.verify(ca.getPublicKey()); // throws if the CA did not sign it
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(serving.getBasicConstraints()).isEqualTo(-1);
    assertThat(serving.getSubjectAlternativeNames())
        .extracting(san -> (Object) san.get(1))
        .contains(
            "parapet-webhook",
            "parapet-webhook.parapet-system",
            "parapet-webhook.parapet-system.svc",
            "parapet-webhook.parapet-system.svc.cluster.local");
    var days = Duration.between(Instant.now(), serving.getNotAfter().toInstant()).toDays();
    assertThat(days).isBetween(3640L, 3650L);

    // The private key in the Secret belongs to the serving certificate.
    var key = privateKey(secret.getData().get("tls.key"));
    var data = "parapet".getBytes(StandardCharsets.UTF_8);
    var signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    signer.update(data);
    var signature = signer.sign();
    var verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(serving.getPublicKey());
    verifier.update(data);
    assertThat(verifier.verify(signature)).isTrue();

    // The pods mount exactly this Secret's certificate and key.
    var pod = rendered.one(Deployment.class, "parapet-webhook").getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("tls"))
        .singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo(SECRET));
  }

  @Test
  void anUnrelatedCaDoesNotVerify() throws Exception {
    var first = ChartSupport.render(Map.of());
    var second = ChartSupport.render(Map.of());
    var otherCa = certificate(caBundle(second));
    var serving = certificate(first.one(Secret.class, SECRET).getData().get("tls.crt"));
    assertThat(caBundle(first)).isNotEqualTo(caBundle(second));
    assertThatThrownBy(() -> serving.verify(otherCa.getPublicKey()))
        .isInstanceOf(java.security.SignatureException.class);
  }

  @Test
  void anExistingSecretIsReusedSoUpgradesDoNotRotate() {
    var first = ChartSupport.render(Map.of());
    var stored = first.one(Secret.class, SECRET);
    stored.getMetadata().setNamespace(ChartSupport.NAMESPACE);
    ChartSupport.api().putSecret(stored);

    var second = ChartSupport.render(Map.of());
    assertThat(ChartSupport.api().requests())
        .contains("GET /api/v1/namespaces/parapet-system/secrets/" + SECRET);
    assertThat(second.one(Secret.class, SECRET).getData()).isEqualTo(stored.getData());
    assertThat(caBundle(second)).isEqualTo(stored.getData().get("ca.crt"));
    assertThat(checksum(second)).isEqualTo(checksum(first));

    var rotated = ChartSupport.render(values("webhook.tls.helm.forceRotate", true));
    assertThat(rotated.one(Secret.class, SECRET).getData().get("tls.crt"))
        .isNotEqualTo(stored.getData().get("tls.crt"));
    assertThat(caBundle(rotated))
        .isEqualTo(rotated.one(Secret.class, SECRET).getData().get("ca.crt"));
    assertThat(checksum(rotated)).isNotEqualTo(checksum(first));
  }

  @Test
  void anIncompleteExistingSecretIsReplaced() {
    var broken =
        new io.fabric8.kubernetes.api.model.SecretBuilder()
            .withNewMetadata()
            .withName(SECRET)
            .withNamespace(ChartSupport.NAMESPACE)
            .endMetadata()
            .withData(Map.of("tls.crt", "bm90IGEgY2VydA=="))
            .build();
    ChartSupport.api().putSecret(broken);
    var rendered = ChartSupport.render(Map.of());
    assertThat(rendered.one(Secret.class, SECRET).getData())
        .containsKeys("ca.crt", "tls.crt", "tls.key")
        .doesNotContainValue("bm90IGEgY2VydA==");
  }

  @Test
  @SuppressWarnings("unchecked")
  void certManagerIssuesTheCertificateAndInjectsTheCa() {
    var rendered = ChartSupport.render(values("webhook.tls.mode", "certManager"));
    assertThat(rendered.all(Secret.class)).isEmpty();
    var vwc = rendered.all(ValidatingWebhookConfiguration.class).get(0);
    assertThat(vwc.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/inject-ca-from", "parapet-system/parapet-webhook");
    assertThat(vwc.getWebhooks().get(0).getClientConfig().getCaBundle()).isNull();

    var certificate = (GenericKubernetesResource) rendered.ofKind("Certificate").get(0);
    assertThat(certificate.getApiVersion()).isEqualTo("cert-manager.io/v1");
    assertThat(certificate.getMetadata().getName()).isEqualTo("parapet-webhook");
    Map<String, Object> spec = certificate.get("spec");
    assertThat(spec).containsEntry("secretName", SECRET);
    assertThat((List<Object>) spec.get("dnsNames")).contains("parapet-webhook.parapet-system.svc");
    assertThat(rendered.ofKind("Issuer")).hasSize(1);
    Map<String, Object> issuerRef = certificate.get("spec", "issuerRef");
    assertThat(issuerRef).containsEntry("name", "parapet-webhook-selfsigned");

    var withClusterIssuer =
        ChartSupport.render(
            values(
                "webhook.tls.mode",
                "certManager",
                "webhook.tls.certManager.issuerRef",
                Map.of("name", "corp-ca", "kind", "ClusterIssuer", "group", "cert-manager.io")));
    assertThat(withClusterIssuer.ofKind("Issuer")).isEmpty();
    Map<String, Object> ref =
        ((GenericKubernetesResource) withClusterIssuer.ofKind("Certificate").get(0))
            .get("spec", "issuerRef");
    assertThat(ref).containsEntry("name", "corp-ca").containsEntry("kind", "ClusterIssuer");
  }

  @Test
  void aProvidedSecretAndCaBundleAreUsedAsGiven() {
    var ca = Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----".getBytes());
    var rendered =
        ChartSupport.render(
            values(
                "webhook.tls.mode", "secret",
                "webhook.tls.secret.name", "corp-webhook-tls",
                "webhook.tls.secret.caBundle", ca));
    assertThat(rendered.all(Secret.class)).isEmpty();
    assertThat(caBundle(rendered)).isEqualTo(ca);
    var pod = rendered.one(Deployment.class, "parapet-webhook").getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("tls"))
        .singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("corp-webhook-tls"));
  }

  private static String caBundle(ChartSupport.Rendered rendered) {
    return rendered
        .all(ValidatingWebhookConfiguration.class)
        .get(0)
        .getWebhooks()
        .get(0)
        .getClientConfig()
        .getCaBundle();
  }

  private static String checksum(ChartSupport.Rendered rendered) {
    return rendered
        .one(Deployment.class, "parapet-webhook")
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("checksum/tls");
  }

  static X509Certificate certificate(String base64Pem) throws Exception {
    var pem = Base64.getDecoder().decode(base64Pem);
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }

  /** Sprig's genSignedCert writes a PKCS#1 "RSA PRIVATE KEY"; Java reads PKCS#8, so wrap it. */
  static PrivateKey privateKey(String base64Pem) throws Exception {
    var pem = new String(Base64.getDecoder().decode(base64Pem), StandardCharsets.US_ASCII);
    var body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    var der = Base64.getDecoder().decode(body);
    if (pem.contains("BEGIN RSA PRIVATE KEY")) {
      der = pkcs1ToPkcs8(der);
    }
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    byte[] algorithm = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    byte[] version = {0x02, 0x01, 0x00};
    var octets = der(0x04, pkcs1);
    var content = new java.io.ByteArrayOutputStream();
    content.writeBytes(version);
    content.writeBytes(algorithm);
    content.writeBytes(octets);
    return der(0x30, content.toByteArray());
  }

  private static byte[] der(int tag, byte[] content) {
    var out = new java.io.ByteArrayOutputStream();
    out.write(tag);
    var len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
