package dev.parapet.webhook.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration-content and connection-string detectors over 26 true cases and 28 look-alikes
 * (every value made up for the test): each true case is found by the expected detector with its
 * value redacted, no look-alike is found by any detector, so precision on this corpus stays 1.00.
 */
class ConfigCredentialsTest {
  static final Set<String> ALL = SecretDetectors.all().keySet();

  /** A text (with its name and whether it is a ConfigMap key), the detector and the secret. */
  record Case(
      String label, String name, String text, boolean configKey, String detector, String secret) {
    @Override
    public String toString() {
      return label;
    }
  }

  static Case pw(String label, String text, String secret) {
    return new Case(label, null, text, false, PasswordAssignmentDetector.ID, secret);
  }

  static Case conn(String label, String text, String secret) {
    return new Case(label, null, text, false, ConnectionStringDetector.ID, secret);
  }

  static List<Case> trueCases() {
    return List.of(
        pw(
            "properties",
            "spring.datasource.url=jdbc:h2:mem:x\nspring.datasource.password=Tr0ub4dor-x9\n",
            "Tr0ub4dor-x9"),
        pw("properties with spaces", "db.password = k7Vq2mZp8wLs\n", "k7Vq2mZp8wLs"),
        pw(
            "yaml",
            "spring:\n  datasource:\n    username: app\n    password: Zx8!vB3qLm2n\n",
            "Zx8!vB3qLm2n"),
        pw("yaml quoted", "redis:\n  auth_token: \"q9Wv4Ks2Lp7Rt3\"\n", "q9Wv4Ks2Lp7Rt3"),
        pw("json", "{\"db\": {\"user\": \"app\", \"password\": \"Hq7vN2xP9kLw\"}}", "Hq7vN2xP9kLw"),
        pw("json api key", "{\"apiKey\":\"tq8Fz3Wm6Yp1Rk\"}", "tq8Fz3Wm6Yp1Rk"),
        pw(".env", "export DB_PASSWORD=mP4zR8tQ2vXn\nexport DB_USER=app\n", "mP4zR8tQ2vXn"),
        pw(
            ".env comment after value",
            "SMTP_PASSWORD=Lw3Nq8Zr5Vt2 # rotated monthly\n",
            "Lw3Nq8Zr5Vt2"),
        pw("ini", "[database]\nuser = app\npassword = Vb6Xc9Nm2Qw4\n", "Vb6Xc9Nm2Qw4"),
        pw("xml element", "<config><password>Rt5Yu8Io1Pa3</password></config>", "Rt5Yu8Io1Pa3"),
        pw("xml attribute", "<datasource user=\"app\" password=\"Gh4Jk7Lz0Xc2\"/>", "Gh4Jk7Lz0Xc2"),
        pw(
            "xml name/value",
            "<property name=\"hibernate.connection.password\" value=\"Sd3Fg6Hj9Kl1\"/>",
            "Sd3Fg6Hj9Kl1"),
        pw(
            "xml name then body",
            "<property name=\"db.password\">Qa2Ws5Ed8Rf1</property>",
            "Qa2Ws5Ed8Rf1"),
        pw("camelCase key", "clientSecret: Yh7Uj4Ik1Ol9\n", "Yh7Uj4Ik1Ol9"),
        pw("args flag", "--db-password=Nb5Mv8Cx2Za6", "Nb5Mv8Cx2Za6"),
        pw("token-ish key, not a setting word", "api_token: Rq7Wd2Lm5Kx8\n", "Rq7Wd2Lm5Kx8"),
        new Case(
            "ConfigMap key named like a password",
            "db-password",
            "Pl0Ok9Ij8Uh7",
            true,
            PasswordAssignmentDetector.ID,
            "Pl0Ok9Ij8Uh7"),
        conn("postgres", "postgres://app:Wq3Er6Ty9Ui2@db.internal:5432/app", "Wq3Er6Ty9Ui2"),
        conn(
            "postgresql in jdbc", "jdbc:postgresql://app:Xz1Cv4Bn7Ma0@db:5432/app", "Xz1Cv4Bn7Ma0"),
        conn("mysql", "DATABASE_URL=mysql://root:Kj8Hg5Fd2Sa9@mysql:3306/shop", "Kj8Hg5Fd2Sa9"),
        conn(
            "mongodb+srv",
            "mongodb+srv://svc:Ty6Re3Wq0Po9@cluster0.abcde.mongodb.net/db",
            "Ty6Re3Wq0Po9"),
        conn("redis empty user", "redis://:Mn4Bv7Cx1Za8@redis:6379/0", "Mn4Bv7Cx1Za8"),
        conn("amqp", "amqp://orders:Lk2Jh5Gf8Ds1@rabbit:5672/vhost", "Lk2Jh5Gf8Ds1"),
        conn(
            "https userinfo",
            "git clone https://deploy:Po9Iu6Yt3Re0@git.internal/repo.git",
            "Po9Iu6Yt3Re0"),
        conn(
            "jdbc password parameter",
            "jdbc:sqlserver://db:1433;databaseName=app;user=app;password=Zq5Xw8Ce1Rv4;",
            "Zq5Xw8Ce1Rv4"),
        conn(
            "jdbc query password",
            "jdbc:mysql://db:3306/app?user=app&password=Vf3Bg6Nh9Mj2&useSSL=true",
            "Vf3Bg6Nh9Mj2"),
        conn(
            "odbc Pwd",
            "Driver={ODBC Driver 18 for SQL Server};Server=db;Uid=app;Pwd=Hy7Uj0Ik3Ol6;",
            "Hy7Uj0Ik3Ol6"));
  }

  static List<Case> lookAlikes() {
    var none = (String) null;
    return List.of(
        pw("property reference", "spring.datasource.password=${DB_PASSWORD}\n", none),
        pw("env reference", "password: $(DB_PASSWORD)\n", none),
        pw("helm template", "password: {{ .Values.db.password }}\n", none),
        pw("empty yaml", "password:\n  secretKeyRef:\n    name: db\n    key: password\n", none),
        pw("empty quoted", "{\"password\": \"\"}", none),
        pw("placeholder", "password=changeme\n", none),
        pw("masked", "password: \"********\"\n", none),
        pw("angle placeholder", "db.password=<your-password>\n", none),
        pw("docs example", "password: password\n", none),
        pw("jasypt", "db.password=ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)\n", none),
        pw("vault reference", "password: vault:secret/data/db#password\n", none),
        pw("secret name, not value", "existingSecret: db-credentials\nsecretName: db-tls\n", none),
        pw("password key of a Secret", "passwordKey: db-password\n", none),
        pw("file path", "password_file=/run/secrets/db\n", none),
        pw("token endpoint url", "token_url: https://auth.internal/oauth/token\n", none),
        pw("max tokens number", "max_tokens: 4096\n", none),
        pw("boolean", "require_password: true\n", none),
        pw("setting word", "HttpTokens=required\n", none),
        pw("setting word in yaml", "token_auth: disabled\n", none),
        pw("bcrypt hash", "admin_password: $2b$12$abcdefghijklmnopqrstuv\n", none),
        pw("prose", "password_help: Enter the password you chose at signup\n", none),
        pw("json schema", "{\"password\": {\"type\": \"string\", \"minLength\": 12}}", none),
        conn("postgres docs example", "postgres://user:password@localhost:5432/db", none),
        conn("amqp default", "amqp://guest:guest@localhost:5672/", none),
        conn("postgres env reference", "postgres://app:${DB_PASSWORD}@db:5432/app", none),
        conn("no password", "postgres://app@db:5432/app", none),
        conn("port, not a password", "http://localhost:8080@proxy/", none),
        conn("ftp scheme", "ftp://anon:Mq3Nw6Eb9Rv2@files.internal/", none),
        conn("password parameter outside a connection string", "reset?password=Zq5Xw8Ce1Rv4", none),
        conn("jdbc placeholder", "jdbc:mysql://db/app?user=app&password=xxx", none));
  }

  static List<SecretDetectors.Hit> scan(Case c) {
    return SecretDetectors.scanUnit(
        List.of(new SecretDetectors.Text(c.name(), c.text())),
        ALL,
        dev.parapet.webhook.budget.Deadline.NONE,
        c.configKey());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trueCases")
  void findsTheSecretAndNeverShowsIt(Case c) {
    var hits = scan(c).stream().filter(h -> h.match().detectorId().equals(c.detector())).toList();
    assertThat(hits).as(c.text()).hasSize(1);
    var m = hits.get(0).match();
    assertThat(c.text().substring(m.start(), m.end())).isEqualTo(c.secret());
    assertThat(m.redacted()).doesNotContain(c.secret()).contains("chars redacted");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lookAlikes")
  void ignoresTheLookAlike(Case c) {
    assertThat(scan(c)).as(c.text()).isEmpty();
  }

  @Test
  void precisionOnTheCorpusIsOne() {
    assertThat(trueCases()).hasSizeGreaterThanOrEqualTo(20);
    assertThat(lookAlikes()).hasSizeGreaterThanOrEqualTo(20);
    int truePositives = 0;
    int falsePositives = 0;
    var newDetectors = Set.of(PasswordAssignmentDetector.ID, ConnectionStringDetector.ID);
    var corpus = new ArrayList<Case>(trueCases());
    corpus.addAll(lookAlikes());
    for (var c : corpus) {
      for (var h : scan(c)) {
        if (!newDetectors.contains(h.match().detectorId())) {
          continue;
        }
        var found = c.text().substring(h.match().start(), h.match().end());
        if (c.secret() != null && found.equals(c.secret())) {
          truePositives++;
        } else {
          falsePositives++;
        }
      }
    }
    double precision = (double) truePositives / (truePositives + falsePositives);
    System.out.printf(
        "config/connection detectors: %d true positives, %d false positives, precision %.2f,"
            + " recall %d/%d%n",
        truePositives, falsePositives, precision, truePositives, trueCases().size());
    assertThat(precision).isEqualTo(1.0);
    assertThat(truePositives).isEqualTo(trueCases().size());
  }
}
