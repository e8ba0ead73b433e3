package dev.parapet.e2e.kube;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test certificates made with the openssl command line: a cluster CA, the API server's serving
 * certificate (127.0.0.1, localhost), the ServiceAccount signing key pair, and serving certificates
 * for webhooks the API server calls by URL.
 */
public final class Pki {

  private Pki() {}

  static Path create(Path dir) throws IOException {
    Files.createDirectories(dir);
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=parapet-test-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt");
    serving(dir, "apiserver", "kube-apiserver", List.of("IP:127.0.0.1", "DNS:localhost"));
    openssl(dir, "genrsa", "-out", "sa.key", "2048");
    openssl(dir, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub");
    return dir;
  }

  /**
   * A key and certificate {@code <name>.key|crt} in {@code dir}, signed by the CA in the same
   * directory, for {@code subjectAltNames} (e.g. {@code IP:127.0.0.1}).
   */
  public static void serving(Path dir, String name, String commonName, List<String> subjectAltNames)
      throws IOException {
    Files.writeString(
        dir.resolve(name + ".ext"),
        "subjectAltName="
            + String.join(",", subjectAltNames)
            + "\n"
            + "extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n");
    openssl(
        dir,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + commonName,
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".crt");
  }

  private static void openssl(Path dir, String... args) throws IOException {
    var command = new ArrayList<String>();
    command.add("openssl");
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    try {
      var p = process.start();
      var out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
