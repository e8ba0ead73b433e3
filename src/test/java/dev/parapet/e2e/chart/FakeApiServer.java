package dev.parapet.e2e.chart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The smallest API server Helm's {@code lookup} needs: core/v1 and apiextensions.k8s.io/v1
 * discovery and GET of Secrets and CRDs held in memory (404 otherwise). It records the paths it
 * served, so a test can prove a lookup ran.
 */
final class FakeApiServer {

  private static final String DISCOVERY =
      """
      {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
       {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret",
        "verbs":["get","list"]}]}""";
  private static final String CRD_DISCOVERY =
      """
      {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apiextensions.k8s.io/v1",
       "resources":[{"name":"customresourcedefinitions","singularName":"customresourcedefinition",
        "namespaced":false,"kind":"CustomResourceDefinition","verbs":["get","list"]}]}""";
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/";
  private static final String NOT_FOUND =
      """
      {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""";

  private final HttpServer server;
  private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
  private final Map<String, String> crds = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private FakeApiServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a loopback port and writes a kubeconfig pointing at it to {@code kubeconfig}. */
  static FakeApiServer start(Path kubeconfig) {
    try {
      var http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      var fake = new FakeApiServer(http);
      http.createContext("/", fake::handle);
      http.start();
      Files.createDirectories(kubeconfig.getParent());
      Files.writeString(
          kubeconfig,
          """
          apiVersion: v1
          kind: Config
          clusters: [{name: fake, cluster: {server: "http://127.0.0.1:%d"}}]
          users: [{name: fake, user: {token: not-a-real-token}}]
          contexts: [{name: fake, context: {cluster: fake, user: fake}}]
          current-context: fake
          """
              .formatted(http.getAddress().getPort()));
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void putSecret(Secret secret) {
    secrets.put(key(secret.getMetadata().getNamespace(), secret.getMetadata().getName()), secret);
  }

  /** A CRD the cluster has, for the chart's report-CRD lookup (JSON of the object). */
  void putCrd(String name, String json) {
    crds.put(CRDS + name, json);
  }

  void clear() {
    secrets.clear();
    crds.clear();
    requests.clear();
  }

  List<String> requests() {
    return List.copyOf(requests);
  }

  private static String key(String namespace, String name) {
    return "/api/v1/namespaces/" + namespace + "/secrets/" + name;
  }

  private void handle(HttpExchange exchange) throws IOException {
    var path = exchange.getRequestURI().getPath();
    requests.add(exchange.getRequestMethod() + " " + path);
    String body;
    int code;
    if (!"GET".equals(exchange.getRequestMethod())) {
      code = 405;
      body = NOT_FOUND.replace("NotFound", "MethodNotAllowed").replace("404", "405");
    } else if ("/api/v1".equals(path)) {
      code = 200;
      body = DISCOVERY;
    } else if ("/apis/apiextensions.k8s.io/v1".equals(path)) {
      code = 200;
      body = CRD_DISCOVERY;
    } else if (crds.containsKey(path)) {
      code = 200;
      body = crds.get(path);
    } else if (secrets.containsKey(path)) {
      code = 200;
      body = Serialization.asJson(secrets.get(path));
    } else {
      code = 404;
      body = NOT_FOUND;
    }
    var bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
