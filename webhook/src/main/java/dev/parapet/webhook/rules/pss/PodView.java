package dev.parapet.webhook.rules.pss;

import dev.parapet.webhook.WorkloadReview;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the Pod Security Standards read of one pod spec: the pod's security context, every container
 * of every kind (init, regular, ephemeral) with its security context, and the pod's annotations
 * (the object's for a Pod, the template's otherwise). Null fields read as absent.
 */
record PodView(
    PodSpec spec,
    String path,
    PodSecurityContext podContext,
    List<ContainerView> containers,
    Map<String, String> annotations,
    String annotationsPath) {

  /** One container, whatever its kind. {@code context} may be null. */
  record ContainerView(
      String name,
      String path,
      SecurityContext context,
      List<ContainerPort> ports,
      Probe liveness,
      Probe readiness,
      Probe startup,
      Lifecycle lifecycle) {}

  static List<PodView> of(WorkloadReview review) {
    var out = new ArrayList<PodView>();
    for (var ps : review.podSpecs()) {
      Map<String, String> annotations;
      String annotationsPath;
      if (ps.templateAnnotationsPath() == null) {
        var meta = review.object().getMetadata();
        annotations = meta == null ? null : meta.getAnnotations();
        annotationsPath = "metadata.annotations";
      } else {
        annotations = ps.templateAnnotations();
        annotationsPath = ps.templateAnnotationsPath();
      }
      out.add(of(ps.spec(), ps.path(), annotations, annotationsPath));
    }
    return out;
  }

  static PodView of(
      PodSpec spec, String path, Map<String, String> annotations, String annotationsPath) {
    var containers = new ArrayList<ContainerView>();
    add(containers, spec.getInitContainers(), path + ".initContainers");
    add(containers, spec.getContainers(), path + ".containers");
    var eph = spec.getEphemeralContainers();
    if (eph != null) {
      for (int i = 0; i < eph.size(); i++) {
        var c = eph.get(i);
        if (c != null) {
          containers.add(
              new ContainerView(
                  c.getName(),
                  path + ".ephemeralContainers[" + i + "]",
                  c.getSecurityContext(),
                  nn(c.getPorts()),
                  c.getLivenessProbe(),
                  c.getReadinessProbe(),
                  c.getStartupProbe(),
                  c.getLifecycle()));
        }
      }
    }
    return new PodView(
        spec,
        path,
        spec.getSecurityContext(),
        containers,
        annotations == null ? Map.of() : annotations,
        annotationsPath);
  }

  private static void add(List<ContainerView> out, List<Container> list, String path) {
    if (list == null) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      var c = list.get(i);
      if (c != null) {
        out.add(
            new ContainerView(
                c.getName(),
                path + "[" + i + "]",
                c.getSecurityContext(),
                nn(c.getPorts()),
                c.getLivenessProbe(),
                c.getReadinessProbe(),
                c.getStartupProbe(),
                c.getLifecycle()));
      }
    }
  }

  private static <T> List<T> nn(List<T> l) {
    return l == null ? List.of() : l;
  }

  /** Windows pods ({@code spec.os.name: windows}) are exempt from some restricted controls. */
  boolean windows() {
    return spec.getOs() != null && "windows".equals(spec.getOs().getName());
  }

  String podContextPath() {
    return path + ".securityContext";
  }
}
