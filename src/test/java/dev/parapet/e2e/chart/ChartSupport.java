package dev.parapet.e2e.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Renders and lints helm/parapet with helm-java and parses the result with Fabric8. */
public final class ChartSupport {

  public static final Path REPO_ROOT = findRepoRoot();
  public static final Path CHART = REPO_ROOT.resolve("helm/parapet");
  public static final String RELEASE = "parapet";
  public static final String NAMESPACE = "parapet-system";

  private static FakeApiServer api;

  private ChartSupport() {}

  /** The fake API server Helm's lookup talks to (started on first use). */
  static synchronized FakeApiServer api() {
    if (api == null) {
      var kubeconfig = System.getenv("KUBECONFIG");
      if (kubeconfig == null || kubeconfig.isBlank()) {
        throw new IllegalStateException(
            "KUBECONFIG is not set: run the chart tests through Maven (src/test/pom.xml sets it),"
                + " because helm-java's template() performs Helm lookups against an API server");
      }
      api = FakeApiServer.start(Path.of(kubeconfig));
    }
    return api;
  }

  /** Nested values from dotted keys ("webhook.tls.mode", "Fail", ...); "\\." keeps a dot. */
  public static Map<String, Object> values(Object... keysAndValues) {
    var root = new LinkedHashMap<String, Object>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      var path = ((String) keysAndValues[i]).split("(?<!\\\\)\\.");
      Map<String, Object> node = root;
      for (int p = 0; p < path.length - 1; p++) {
        @SuppressWarnings("unchecked")
        var next =
            (Map<String, Object>)
                node.computeIfAbsent(unescape(path[p]), k -> new LinkedHashMap<String, Object>());
        node = next;
      }
      node.put(unescape(path[path.length - 1]), keysAndValues[i + 1]);
    }
    return root;
  }

  private static String unescape(String segment) {
    return segment.replace("\\.", ".");
  }

  public static Rendered render(Map<String, Object> overrides) {
    return render(NAMESPACE, overrides);
  }

  public static Rendered render(String namespace, Map<String, Object> overrides) {
    return Rendered.parse(template(namespace, overrides));
  }

  /** The raw manifest text; throws IllegalStateException with Helm's message on bad values. */
  public static String template(String namespace, Map<String, Object> overrides) {
    api();
    var valuesFile = writeTemp("values", Serialization.asYaml(overrides));
    try {
      return new Helm(CHART)
          .template()
          .withName(RELEASE)
          .withNamespace(namespace)
          .withValuesFile(valuesFile)
          .call();
    } finally {
      deleteQuietly(valuesFile);
    }
  }

  /**
   * `helm lint --strict` of the chart with {@code overrides} merged into its values.yaml
   * (helm-java's lint takes no values, so it lints a copy).
   */
  static LintResult lintStrict(Map<String, Object> overrides) {
    var copy = copyChart();
    try {
      var valuesYaml = copy.resolve("values.yaml");
      @SuppressWarnings("unchecked")
      Map<String, Object> values = Serialization.unmarshal(Files.readString(valuesYaml), Map.class);
      Files.writeString(valuesYaml, Serialization.asYaml(merge(values, overrides)));
      return new Helm(copy).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(copy);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
    var out = new LinkedHashMap<>(base);
    overrides.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> vm && out.get(k) instanceof Map<?, ?> bm) {
            out.put(k, merge((Map<String, Object>) bm, (Map<String, Object>) vm));
          } else {
            out.put(k, v);
          }
        });
    return out;
  }

  private static Path copyChart() {
    try {
      var target = Files.createTempDirectory("parapet-chart-").resolve("parapet");
      try (var paths = Files.walk(CHART)) {
        for (var source : (Iterable<Path>) paths::iterator) {
          var dest = target.resolve(CHART.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(dest);
          } else {
            Files.copy(source, dest);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path writeTemp(String prefix, String content) {
    try {
      var file = Files.createTempFile("parapet-" + prefix + "-", ".yaml");
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temp file left behind is harmless
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir.getParent())) {
      paths.sorted(Comparator.reverseOrder()).forEach(ChartSupport::deleteQuietly);
    } catch (IOException ignored) {
      // temp directory left behind is harmless
    }
  }

  private static Path findRepoRoot() {
    var fromMaven = System.getProperty("parapet.repo.root");
    if (fromMaven != null && Files.isDirectory(Path.of(fromMaven, "helm/parapet"))) {
      return Path.of(fromMaven).toAbsolutePath().normalize();
    }
    for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("helm/parapet"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the repository root (helm/parapet)");
  }

  /** The parsed manifests of one render. */
  public record Rendered(String text, List<HasMetadata> items) {

    static Rendered parse(String text) {
      var items = new ArrayList<HasMetadata>();
      for (var doc : text.split("(?m)^---\\s*$")) {
        var meaningful = doc.lines().anyMatch(l -> !l.isBlank() && !l.trim().startsWith("#"));
        if (meaningful) {
          items.add(Objects.requireNonNull(Serialization.unmarshal(doc, HasMetadata.class), doc));
        }
      }
      return new Rendered(text, List.copyOf(items));
    }

    public <T extends HasMetadata> List<T> all(Class<T> type) {
      return items.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public List<HasMetadata> ofKind(String kind) {
      return items.stream().filter(i -> kind.equals(i.getKind())).toList();
    }

    public <T extends HasMetadata> T one(Class<T> type, String name) {
      var found = all(type).stream().filter(i -> name.equals(i.getMetadata().getName())).toList();
      if (found.size() != 1) {
        throw new AssertionError(
            "expected one " + type.getSimpleName() + " named " + name + ", found " + found.size());
      }
      return found.get(0);
    }
  }

  /** The CRDs the chart ships (helm/parapet/crds), as helm install applies them first. */
  public static List<CustomResourceDefinition> crds() throws IOException {
    var out = new ArrayList<CustomResourceDefinition>();
    try (var files = Files.list(CHART.resolve("crds"))) {
      for (var f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        out.add(Serialization.unmarshal(Files.readString(f), CustomResourceDefinition.class));
      }
    }
    return out;
  }

  /**
   * The env of a Deployment's first container, as the kubelet would set it: literal values, and the
   * downward API's namespace (the release namespace) and pod name ({@code podName}).
   */
  public static Map<String, String> chartEnv(Deployment deployment, String podName) {
    return chartEnv(deployment, NAMESPACE, podName);
  }

  /** As {@link #chartEnv(Deployment, String)} for a release installed into {@code namespace}. */
  public static Map<String, String> chartEnv(
      Deployment deployment, String namespace, String podName) {
    var env = new HashMap<String, String>();
    for (EnvVar e : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
        var path = e.getValueFrom().getFieldRef().getFieldPath();
        env.put(e.getName(), path.equals("metadata.namespace") ? namespace : podName);
      } else {
        throw new AssertionError("unsupported env source in the chart: " + e);
      }
    }
    return env;
  }

  public static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
