package dev.parapet.e2e.kube;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.parapet.e2e.chart.ChartSupport;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** The chart on the real API server: its CRDs, and `helm install|upgrade|uninstall` (helm-java). */
public final class RealChart {

  public static final String RELEASE = ChartSupport.RELEASE;

  private RealChart() {}

  /** `kubectl apply` of helm/parapet/crds, then waits until every CRD is Established. */
  public static synchronized void applyCrds(KubeCluster cluster) {
    var dir = ChartSupport.CHART.resolve("crds").toString();
    var apply = cluster.kubectl("apply", "--server-side", "--force-conflicts", "-f", dir);
    if (apply.exit() != 0) {
      throw new IllegalStateException("kubectl apply of the chart CRDs failed: " + apply.all());
    }
    var wait = cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s", "-f", dir);
    if (wait.exit() != 0) {
      throw new IllegalStateException("CRDs not Established: " + wait.all());
    }
  }

  /** `helm install parapet ./helm/parapet -n namespace` with {@code values}, as the admin. */
  public static Release install(KubeCluster cluster, String namespace, Map<String, Object> values) {
    var file = valuesFile(cluster, values);
    return new Helm(ChartSupport.CHART)
        .install()
        .withName(RELEASE)
        .withNamespace(namespace)
        .withKubeConfig(cluster.adminKubeconfig())
        .withValuesFile(file)
        .call();
  }

  /** `helm upgrade parapet ./helm/parapet -n namespace` with {@code values}. */
  public static Release upgrade(KubeCluster cluster, String namespace, Map<String, Object> values) {
    var file = valuesFile(cluster, values);
    return new Helm(ChartSupport.CHART)
        .upgrade()
        .withName(RELEASE)
        .withNamespace(namespace)
        .withKubeConfig(cluster.adminKubeconfig())
        .withValuesFile(file)
        .call();
  }

  /** `helm uninstall parapet -n namespace`; a release that is not there is not an error. */
  public static void uninstall(KubeCluster cluster, String namespace) {
    Helm.uninstall(RELEASE)
        .withNamespace(namespace)
        .withKubeConfig(cluster.adminKubeconfig())
        .ignoreNotFound()
        .call();
  }

  private static java.nio.file.Path valuesFile(KubeCluster cluster, Map<String, Object> values) {
    try {
      var file = Files.createTempFile(cluster.dir(), "values-", ".yaml");
      Files.writeString(file, Serialization.asYaml(values));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
