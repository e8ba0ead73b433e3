package dev.parapet.webhook;

import dev.parapet.webhook.budget.Deadline;
import dev.parapet.webhook.policy.ScanLocation;
import dev.parapet.webhook.secrets.CredentialScan;
import dev.parapet.webhook.secrets.CustomDetector;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an object means to the workload rules: its pod spec(s) with their field paths, or its
 * Service, or its ConfigMap, plus the annotations. Null lists are read as empty.
 */
public final class WorkloadReview {
  /** One container of any kind (container, initContainer, ephemeralContainer). */
  public record ContainerView(
      String name,
      String path,
      List<ContainerPort> ports,
      List<EnvVar> env,
      List<String> args,
      List<String> command) {}

  /** A pod spec inside the object, with the path of the spec and its template annotations. */
  public record PodSpecView(
      PodSpec spec,
      String path,
      List<ContainerView> containers,
      Map<String, String> templateAnnotations,
      String templateAnnotationsPath) {}

  /**
   * A credential found in the object; {@code redacted} and {@code pairedKeyId} are already
   * redacted. {@code subject} is the env var / ConfigMap key / annotation key, never the value.
   */
  public record CredentialHit(
      String detectorId,
      ScanLocation location,
      String container,
      String fieldPath,
      String subject,
      String redacted,
      String pairedKeyId) {}

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final HasMetadata object;
  private final String kind;
  private final List<PodSpecView> podSpecs;
  private final Map<List<Object>, List<CredentialHit>> credentialCache = new HashMap<>();
  private final Deadline deadline;

  private WorkloadReview(
      HasMetadata object, String kind, List<PodSpecView> podSpecs, Deadline deadline) {
    this.object = object;
    this.kind = kind;
    this.podSpecs = podSpecs;
    this.deadline = deadline;
  }

  /** Reads any object; kinds without a pod spec, Service or ConfigMap are read for annotations. */
  public static WorkloadReview of(HasMetadata o) {
    return of(o, Deadline.NONE);
  }

  /**
   * Like {@link #of(HasMetadata)}, with the time its evaluation may take: rules and the credential
   * scan check {@code deadline} and throw {@link dev.parapet.webhook.budget.NotFullyChecked} once
   * it has passed.
   */
  public static WorkloadReview of(HasMetadata o, Deadline deadline) {
    var specs = new ArrayList<PodSpecView>();
    if (o instanceof Pod p) {
      addSpec(specs, p.getSpec(), "spec", null, null);
    } else if (o instanceof Deployment d && d.getSpec() != null) {
      addTemplate(specs, d.getSpec().getTemplate(), "spec.template");
    } else if (o instanceof StatefulSet s && s.getSpec() != null) {
      addTemplate(specs, s.getSpec().getTemplate(), "spec.template");
    } else if (o instanceof DaemonSet s && s.getSpec() != null) {
      addTemplate(specs, s.getSpec().getTemplate(), "spec.template");
    } else if (o instanceof ReplicaSet s && s.getSpec() != null) {
      addTemplate(specs, s.getSpec().getTemplate(), "spec.template");
    } else if (o instanceof ReplicationController s && s.getSpec() != null) {
      addTemplate(specs, s.getSpec().getTemplate(), "spec.template");
    } else if (o instanceof Job j && j.getSpec() != null) {
      addTemplate(specs, j.getSpec().getTemplate(), "spec.template");
    } else if (o instanceof CronJob c
        && c.getSpec() != null
        && c.getSpec().getJobTemplate() != null
        && c.getSpec().getJobTemplate().getSpec() != null) {
      addTemplate(
          specs,
          c.getSpec().getJobTemplate().getSpec().getTemplate(),
          "spec.jobTemplate.spec.template");
    }
    return new WorkloadReview(
        o, o.getKind() == null ? o.getClass().getSimpleName() : o.getKind(), specs, deadline);
  }

  private static void addTemplate(List<PodSpecView> out, PodTemplateSpec t, String path) {
    if (t != null) {
      var meta = t.getMetadata();
      addSpec(
          out,
          t.getSpec(),
          path + ".spec",
          meta == null ? null : meta.getAnnotations(),
          path + ".metadata.annotations");
    }
  }

  private static void addSpec(
      List<PodSpecView> out,
      PodSpec spec,
      String path,
      Map<String, String> annotations,
      String annotationsPath) {
    if (spec == null) {
      return;
    }
    var containers = new ArrayList<ContainerView>();
    addContainers(containers, spec.getInitContainers(), path + ".initContainers");
    addContainers(containers, spec.getContainers(), path + ".containers");
    var eph = spec.getEphemeralContainers();
    if (eph != null) {
      for (int i = 0; i < eph.size(); i++) {
        EphemeralContainer c = eph.get(i);
        if (c != null) {
          containers.add(
              new ContainerView(
                  c.getName(),
                  path + ".ephemeralContainers[" + i + "]",
                  nn(c.getPorts()),
                  nn(c.getEnv()),
                  nn(c.getArgs()),
                  nn(c.getCommand())));
        }
      }
    }
    out.add(
        new PodSpecView(
            spec, path, containers, annotations == null ? Map.of() : annotations, annotationsPath));
  }

  private static void addContainers(List<ContainerView> out, List<Container> list, String path) {
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
                nn(c.getPorts()),
                nn(c.getEnv()),
                nn(c.getArgs()),
                nn(c.getCommand())));
      }
    }
  }

  private static <T> List<T> nn(List<T> l) {
    return l == null ? List.of() : l;
  }

  public HasMetadata object() {
    return object;
  }

  /** The time this review's evaluation may take. */
  public Deadline deadline() {
    return deadline;
  }

  public String kind() {
    return kind;
  }

  public String namespace() {
    return object.getMetadata() == null ? null : object.getMetadata().getNamespace();
  }

  public String name() {
    var m = object.getMetadata();
    if (m == null) {
      return null;
    }
    return m.getName() != null ? m.getName() : m.getGenerateName();
  }

  public Map<String, String> labels() {
    var m = object.getMetadata();
    return m == null || m.getLabels() == null ? Map.of() : m.getLabels();
  }

  public List<PodSpecView> podSpecs() {
    return podSpecs;
  }

  public Service service() {
    return object instanceof Service s ? s : null;
  }

  public ConfigMap configMap() {
    return object instanceof ConfigMap c ? c : null;
  }

  /** "Deployment prod/web" */
  public String describe() {
    var ns = namespace();
    return kind + " " + (ns == null || ns.isEmpty() ? "" : ns + "/") + name();
  }

  /** Every credential in the enabled locations, by the enabled detectors; memoized per pair. */
  public List<CredentialHit> credentials(Set<String> detectors, Set<ScanLocation> scan) {
    return credentials(detectors, List.of(), scan);
  }

  /** Also with a policy's own detectors ({@link CustomDetector}); memoized per triple. */
  public synchronized List<CredentialHit> credentials(
      Set<String> detectors, List<CustomDetector> custom, Set<ScanLocation> scan) {
    List<Object> key = List.of(detectors, custom, scan);
    var cached = credentialCache.get(key);
    if (cached == null) {
      cached = scanCredentials(detectors, custom, scan);
      credentialCache.put(key, cached);
    }
    return cached;
  }

  /**
   * Gathers the values of the enabled locations, unit by unit (a container's env, args and command;
   * the object's and each pod template's annotations; a ConfigMap's data), and has {@link
   * CredentialScan} scan them.
   */
  private List<CredentialHit> scanCredentials(
      Set<String> detectors, List<CustomDetector> custom, Set<ScanLocation> scan) {
    var out = new ArrayList<CredentialHit>();
    if (detectors.isEmpty() && custom.isEmpty()) {
      return out;
    }
    boolean env = scan.contains(ScanLocation.env);
    boolean args = scan.contains(ScanLocation.args);
    if (env || args) {
      for (var ps : podSpecs) {
        for (var c : ps.containers()) {
          var unit = new CredentialScan.Unit<ScanLocation>(false);
          if (env) {
            for (int i = 0; i < c.env().size(); i++) {
              var e = c.env().get(i);
              if (e != null && e.getValue() != null && !e.getValue().isEmpty()) {
                unit.add(
                    e.getName(),
                    e.getValue(),
                    new CredentialScan.FieldRef(c.path(), ".env[", i, "].value"),
                    ScanLocation.env);
              }
            }
          }
          if (args) {
            unit.addList(c.args(), c.path(), ".args[", ScanLocation.args);
            unit.addList(c.command(), c.path(), ".command[", ScanLocation.args);
          }
          collect(out, unit, c.name(), detectors, custom);
        }
      }
    }
    if (scan.contains(ScanLocation.annotations)) {
      var meta = object.getMetadata();
      if (meta != null) {
        scanAnnotations(out, meta.getAnnotations(), "metadata.annotations", detectors, custom);
      }
      for (var ps : podSpecs) {
        scanAnnotations(
            out, ps.templateAnnotations(), ps.templateAnnotationsPath(), detectors, custom);
      }
    }
    var cm = configMap();
    if (cm != null && scan.contains(ScanLocation.configMaps)) {
      var unit = new CredentialScan.Unit<ScanLocation>(true);
      if (cm.getData() != null) {
        for (var e : cm.getData().entrySet()) {
          if (e.getValue() != null) {
            unit.add(
                e.getKey(),
                e.getValue(),
                new CredentialScan.FieldRef("data", "['", e.getKey(), "']"),
                ScanLocation.configMaps);
          }
        }
      }
      if (cm.getBinaryData() != null) {
        for (var e : cm.getBinaryData().entrySet()) {
          if (e.getValue() != null) {
            unit.addBase64(
                e.getKey(),
                e.getValue(),
                new CredentialScan.FieldRef("binaryData", "['", e.getKey(), "']"),
                ScanLocation.configMaps);
          }
        }
      }
      collect(out, unit, null, detectors, custom);
    }
    return out;
  }

  private void scanAnnotations(
      List<CredentialHit> out,
      Map<String, String> map,
      String path,
      Set<String> detectors,
      List<CustomDetector> custom) {
    if (map == null || map.isEmpty()) {
      return;
    }
    var unit = new CredentialScan.Unit<ScanLocation>(false);
    for (var e : map.entrySet()) {
      if (e.getValue() != null && !LAST_APPLIED.equals(e.getKey())) {
        unit.add(
            e.getKey(),
            e.getValue(),
            new CredentialScan.FieldRef(path, "['", e.getKey(), "']"),
            ScanLocation.annotations);
      }
    }
    collect(out, unit, null, detectors, custom);
  }

  private void collect(
      List<CredentialHit> out,
      CredentialScan.Unit<ScanLocation> unit,
      String container,
      Set<String> detectors,
      List<CustomDetector> custom) {
    for (var f : CredentialScan.scan(unit, detectors, custom, deadline)) {
      var v = f.value();
      out.add(
          new CredentialHit(
              f.detectorId(),
              v.tag(),
              container,
              v.ref().path(),
              v.name(),
              f.redacted(),
              f.pairedKeyId()));
    }
  }

  /** Null-safe metadata for rules. */
  static ObjectMeta meta(HasMetadata o) {
    return o.getMetadata() == null ? new ObjectMeta() : o.getMetadata();
  }
}
