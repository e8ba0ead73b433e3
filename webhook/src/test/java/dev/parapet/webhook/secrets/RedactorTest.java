package dev.parapet.webhook.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every credential shape Parapet knows goes through the one redactor and never survives it, in
 * every setting it may arrive in (alone, in a sentence, in JSON, in a query string, in a log line).
 * Fixtures are AWS's documented example keys or made-up values.
 */
class RedactorTest {
  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String FAKE36 = "Fa7kE5ynth3t1cT0k3nF4kE5ynth3t1cXq9Z";

  /** A text holding a credential and the part of it that must not survive. */
  record Shape(String label, String text, String secret) {
    @Override
    public String toString() {
      return label;
    }
  }

  static String pemBody() {
    return ("MIIEowIBAAKCAQEA" + FAKE36 + "+/").repeat(3);
  }

  static List<Shape> shapes() {
    var s = new ArrayList<Shape>();
    // AWS unique ids of every documented prefix (AWS's example suffix), and A3T ids.
    for (var prefix : Redactor.AWS_ID_PREFIXES) {
      var id = prefix + "IOSFODNN7EXAMPLE";
      s.add(new Shape("aws id " + prefix, "denied for " + id + " in eu-west-1", id));
    }
    s.add(new Shape("aws id A3T", "key A3TXIOSFODNN7EXAMPLE", "A3TXIOSFODNN7EXAMPLE"));
    s.add(new Shape("aws key id after underscore", "KEY_" + KEY_ID, KEY_ID));
    s.add(new Shape("aws key id alone", KEY_ID, KEY_ID));
    s.add(new Shape("aws key id, made up", "id AKIAQSAJ2XUID5ZZZZG6", "AKIAQSAJ2XUID5ZZZZG6"));
    // AWS secret access keys.
    s.add(new Shape("secret key alone", SECRET, SECRET));
    s.add(new Shape("secret key in a sentence", "the key " + SECRET + " leaked", SECRET));
    s.add(new Shape("secret key assigned", "aws_secret_access_key=" + SECRET, SECRET));
    s.add(new Shape("secret key in JSON", "{\"SecretAccessKey\": \"" + SECRET + "\"}", SECRET));
    s.add(
        new Shape(
            "secret key with a made-up value",
            "secret_access_key: Fa7kE/5ynth3t1c+T0k3nF4kE5ynth3t1cXy9QwR",
            "Fa7kE/5ynth3t1c+T0k3nF4kE5ynth3t1cXy9QwR"));
    // Session tokens and signatures (SDK errors, presigned URLs).
    s.add(
        new Shape(
            "session token assigned",
            "aws_session_token=FwoGZXIvYXdzEFakeSessionToken0123456789abcdef",
            "FwoGZXIvYXdzEFakeSessionToken0123456789abcdef"));
    s.add(
        new Shape(
            "security token in a query string",
            "https://bucket.s3.amazonaws.com/k?X-Amz-Security-Token=IQoJb3JpZ2luFakeToken&x=1",
            "IQoJb3JpZ2luFakeToken"));
    s.add(
        new Shape(
            "signature in a query string",
            "https://bucket.s3.amazonaws.com/k?X-Amz-Signature=abcdef0123456789fake&x=1",
            "abcdef0123456789fake"));
    s.add(
        new Shape(
            "session token in JSON",
            "{\"SessionToken\":\"FakeToken/0123+abc\"}",
            "FakeToken/0123+abc"));
    // Private key blocks.
    for (var kind : List.of("", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED ")) {
      s.add(
          new Shape(
              "private key " + (kind.isEmpty() ? "PKCS#8" : kind.strip()),
              "-----BEGIN "
                  + kind
                  + "PRIVATE KEY-----\n"
                  + pemBody()
                  + "\n-----END "
                  + kind
                  + "PRIVATE KEY-----",
              pemBody().substring(0, 40)));
    }
    s.add(
        new Shape(
            "private key with escaped newlines, no END",
            "key: \"-----BEGIN PRIVATE KEY-----\\n" + pemBody() + "\\n",
            pemBody().substring(0, 40)));
    s.add(
        new Shape(
            "PGP private key block",
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n"
                + pemBody()
                + "\n-----END PGP PRIVATE KEY BLOCK-----",
            pemBody().substring(0, 40)));
    // Tokens.
    s.add(new Shape("github token", "token ghp_" + FAKE36, FAKE36));
    s.add(
        new Shape(
            "gitlab token", "GITLAB=glpat-" + FAKE36.substring(0, 20), FAKE36.substring(0, 20)));
    s.add(
        new Shape(
            "slack token",
            "xoxb-123456789012-" + FAKE36.substring(0, 24),
            FAKE36.substring(0, 24)));
    s.add(new Shape("stripe key", "sk_live_" + FAKE36.substring(0, 28), FAKE36.substring(0, 28)));
    var jwt = "eyJhbGciOiJIUzI1NiJ9.eyJmYWtlIjp0cnVlfQ." + FAKE36.substring(0, 20);
    s.add(new Shape("jwt", "Authorization: Bearer " + jwt, "eyJmYWtlIjp0cnVlfQ"));
    // Passwords.
    s.add(
        new Shape(
            "password assignment",
            "spring.datasource.password=" + FAKE36.substring(0, 14),
            FAKE36.substring(0, 14)));
    s.add(new Shape("password in YAML", "password: \"Hy7Uj0Ik3Ol6Fake\"", "Hy7Uj0Ik3Ol6Fake"));
    s.add(
        new Shape(
            "password in JSON", "{\"db_password\":\"Hy7Uj0Ik3Ol6Fake\"}", "Hy7Uj0Ik3Ol6Fake"));
    s.add(new Shape("client secret", "client_secret=Hy7Uj0Ik3Ol6Fake", "Hy7Uj0Ik3Ol6Fake"));
    s.add(new Shape("api key", "X-Api-Key: Hy7Uj0Ik3Ol6Fake", "Hy7Uj0Ik3Ol6Fake"));
    // Connection strings.
    s.add(
        new Shape(
            "postgres url", "postgres://app:Wq3Er6Ty9Ui2@db.invalid:5432/app", "Wq3Er6Ty9Ui2"));
    s.add(
        new Shape(
            "odbc string",
            "Driver={ODBC Driver 18 for SQL Server};Server=db;Uid=app;Pwd=Hy7Uj0Ik3Ol6;",
            "Hy7Uj0Ik3Ol6"));
    return s;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void noCredentialShapeSurvives(Shape shape) {
    var out = Redactor.redact(shape.text());
    assertThat(out).doesNotContain(shape.secret()).isNotEqualTo(shape.text());
    // Also inside a longer log line, and twice in one text.
    var line = "ERROR [x] (main) failed: " + shape.text() + " | retry " + shape.text();
    assertThat(Redactor.redact(line)).doesNotContain(shape.secret()).startsWith("ERROR [x]");
    // Redacting what is already redacted changes nothing.
    assertThat(Redactor.redact(out)).isEqualTo(out);
  }

  /** A detector added without a shape here fails this test: the redactor must know it too. */
  @Test
  void theShapesCoverEveryDetector() {
    var covered = new HashSet<String>();
    for (var shape : shapes()) {
      for (var hit :
          SecretDetectors.scanUnit(
              List.of(new SecretDetectors.Text("SECRET", shape.text())),
              SecretDetectors.all().keySet())) {
        covered.add(hit.match().detectorId());
      }
    }
    assertThat(covered).containsAll(SecretDetectors.all().keySet());
  }

  @Test
  void keyIdsKeepTheirEnds() {
    assertThat(Redactor.redact("denied " + KEY_ID)).isEqualTo("denied AKIA************MPLE");
    assertThat(Redactor.keyId(KEY_ID)).isEqualTo("AKIA************MPLE");
    assertThat(Redactor.keyId("AKIA1234")).isEqualTo("********");
    assertThat(Redactor.keyId(null)).isEqualTo("null");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "AccessDenied in eu-west-1 (ec2:DescribeVolumes): AccessDenied: denied (HTTP 403)",
        "arn:aws:iam::123456789012:role/parapet-scanner",
        "Deployment prod/api: container \"api\" (spec.template.spec.containers[0].env[1].value) env"
            + " AWS_ACCESS_KEY_ID holds a literal AWS access key id AKIA************HDSV",
        "holds a literal AWS secret access key (40-char secret redacted) paired with"
            + " AKIA************HDSV",
        "holds a literal private key -----BEGIN RSA PRIVATE KEY----- (body redacted) [rule x]",
        "image sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "The request signature we calculated does not match the signature you provided.",
        // Setting values under token-ish names (the IMDS finding's evidence): not credentials.
        "instance i-0abc: MetadataOptions.HttpTokens=optional (IMDSv1 allowed)",
        "HttpTokens=required, HttpPutResponseHopLimit=1"
      })
  void textWithoutCredentialsIsUnchanged(String text) {
    assertThat(Redactor.redact(text)).isEqualTo(text);
  }

  @Test
  void anAssignmentInsideAJsonStringKeepsTheDocumentWellFormed() throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var setting =
        "{\"message\" : \"Instance i-1 allows IMDSv1: HttpTokens=optional\",\n \"n\" : 1}";
    assertThat(Redactor.redact(setting)).isEqualTo(setting);
    var secret = "{\"message\" : \"connect with db_password=Zq5Xw8Ce1Rv4\",\n \"n\" : 1}";
    var redacted = Redactor.redact(secret);
    assertThat(redacted).doesNotContain("Zq5Xw8Ce1Rv4");
    assertThat(mapper.readTree(redacted).path("message").asText())
        .isEqualTo("connect with db_password=(12 chars redacted)");
  }

  @Test
  void nullStaysNull() {
    assertThat(Redactor.redact((String) null)).isNull();
  }
}
