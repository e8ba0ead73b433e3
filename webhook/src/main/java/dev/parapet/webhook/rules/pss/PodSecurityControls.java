package dev.parapet.webhook.rules.pss;

import static dev.parapet.api.v1alpha1.PodSecurityLevel.BASELINE;
import static dev.parapet.api.v1alpha1.PodSecurityLevel.RESTRICTED;

import dev.parapet.webhook.secrets.Shown;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every control of the Pod Security Standards (Kubernetes v1.34), written from the published
 * control list (https://kubernetes.io/docs/concepts/security/pod-security-standards/): the
 * restricted fields and the values each control allows. Baseline: 12 controls; restricted: 6 more
 * (a restricted policy checks all 18). Where a restricted control lists a Windows exemption ({@code
 * spec.os.name: windows}), the check honours it.
 */
public final class PodSecurityControls {
  private PodSecurityControls() {}

  /** Capabilities baseline allows a container to add (the container runtime's default set). */
  static final Set<String> BASELINE_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  /** Sysctls baseline allows (the "safe" set, as of v1.34). */
  static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");

  /** SELinux types baseline allows (besides unset or empty). */
  static final Set<String> SELINUX_TYPES =
      Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  /** Volume sources restricted allows. */
  static final Set<String> RESTRICTED_VOLUMES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");

  /** Every volume source of the core API, by its field name (to name what a volume uses). */
  private static final Map<String, Function<Volume, Object>> VOLUME_SOURCES = volumeSources();

  private static final String APPARMOR_ANNOTATION =
      "container.apparmor.security.beta.kubernetes.io/";

  /** The 18 controls, baseline first, in the standard's order. */
  public static final List<PodSecurityRule> RULES =
      List.of(
          new PodSecurityRule(
              BASELINE,
              "host-process",
              "HostProcess",
              "Pod runs Windows HostProcess containers",
              "Pod が Windows HostProcess コンテナを実行します",
              "remove securityContext.windowsOptions.hostProcess or add an exception",
              "securityContext.windowsOptions.hostProcess を削除するか、例外を追加してください",
              PodSecurityControls::hostProcess),
          new PodSecurityRule(
              BASELINE,
              "host-namespaces",
              "Host Namespaces",
              "Pod shares a host namespace",
              "Pod がホストの名前空間を共有しています",
              "remove hostNetwork, hostPID and hostIPC or add an exception",
              "hostNetwork・hostPID・hostIPC を削除するか、例外を追加してください",
              PodSecurityControls::hostNamespaces),
          new PodSecurityRule(
              BASELINE,
              "privileged",
              "Privileged Containers",
              "Container runs privileged",
              "コンテナが特権モードで実行されます",
              "remove securityContext.privileged or set it to false",
              "securityContext.privileged を削除するか false にしてください",
              PodSecurityControls::privileged),
          new PodSecurityRule(
              BASELINE,
              "capabilities",
              "Capabilities",
              "Container adds capabilities beyond the default set",
              "コンテナが既定以外のケーパビリティを追加しています",
              "add only capabilities of the default set (or none)",
              "既定のセットにあるケーパビリティのみを追加してください（または追加しない）",
              PodSecurityControls::baselineCapabilities,
              "pss-restricted-capabilities"),
          new PodSecurityRule(
              BASELINE,
              "host-path",
              "HostPath Volumes",
              "Pod mounts a hostPath volume",
              "Pod が hostPath ボリュームを使用しています",
              "replace the hostPath volume (emptyDir, a PersistentVolumeClaim, ...)",
              "hostPath ボリュームを置き換えてください（emptyDir、PersistentVolumeClaim など）",
              PodSecurityControls::hostPath,
              "pss-restricted-volume-types"),
          new PodSecurityRule(
              BASELINE,
              "host-ports",
              "Host Ports",
              "Container uses a host port",
              "コンテナがホストポートを使用しています",
              "remove hostPort (expose the pod through a Service)",
              "hostPort を削除してください（Service で公開してください）",
              PodSecurityControls::hostPorts),
          new PodSecurityRule(
              BASELINE,
              "host-probes",
              "Host Probes / Lifecycle Hooks",
              "Probe or lifecycle hook targets a host",
              "プローブまたはライフサイクルフックがホストを指定しています",
              "remove the host field of the probe or hook (it defaults to the pod's IP)",
              "プローブ・フックの host を削除してください（既定は Pod の IP）",
              PodSecurityControls::hostProbes),
          new PodSecurityRule(
              BASELINE,
              "apparmor",
              "AppArmor",
              "Pod or container overrides the AppArmor profile",
              "Pod またはコンテナが AppArmor プロファイルを無効化しています",
              "use the RuntimeDefault or a Localhost AppArmor profile",
              "RuntimeDefault または Localhost の AppArmor プロファイルを使用してください",
              PodSecurityControls::appArmor),
          new PodSecurityRule(
              BASELINE,
              "selinux",
              "SELinux",
              "Pod or container sets custom SELinux options",
              "Pod またはコンテナが独自の SELinux オプションを設定しています",
              "remove seLinuxOptions user and role, use an allowed type",
              "seLinuxOptions の user と role を削除し、許可された type を使用してください",
              PodSecurityControls::seLinux),
          new PodSecurityRule(
              BASELINE,
              "proc-mount",
              "/proc Mount Type",
              "Container unmasks /proc",
              "コンテナが /proc のマスクを解除しています",
              "remove securityContext.procMount or set it to Default",
              "securityContext.procMount を削除するか Default にしてください",
              PodSecurityControls::procMount),
          new PodSecurityRule(
              BASELINE,
              "seccomp",
              "Seccomp",
              "Pod or container runs without seccomp",
              "Pod またはコンテナが seccomp なしで実行されます",
              "use the RuntimeDefault or a Localhost seccomp profile, not Unconfined",
              "Unconfined ではなく RuntimeDefault または Localhost の seccomp プロファイルを使用してください",
              PodSecurityControls::baselineSeccomp,
              "pss-restricted-seccomp"),
          new PodSecurityRule(
              BASELINE,
              "sysctls",
              "Sysctls",
              "Pod sets an unsafe sysctl",
              "Pod が安全でない sysctl を設定しています",
              "set only the safe sysctls",
              "安全な sysctl のみを設定してください",
              PodSecurityControls::sysctls),
          new PodSecurityRule(
              RESTRICTED,
              "volume-types",
              "Volume Types",
              "Pod uses a volume type restricted does not allow",
              "Pod が restricted で許可されないボリューム種別を使用しています",
              "use only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim,"
                  + " projected or secret volumes",
              "configMap・csi・downwardAPI・emptyDir・ephemeral・persistentVolumeClaim・projected・secret"
                  + " のボリュームのみを使用してください",
              PodSecurityControls::volumeTypes),
          new PodSecurityRule(
              RESTRICTED,
              "privilege-escalation",
              "Privilege Escalation",
              "Container may escalate privileges",
              "コンテナが権限昇格できます",
              "set securityContext.allowPrivilegeEscalation: false",
              "securityContext.allowPrivilegeEscalation: false を設定してください",
              PodSecurityControls::privilegeEscalation),
          new PodSecurityRule(
              RESTRICTED,
              "run-as-non-root",
              "Running as Non-root",
              "Container may run as root",
              "コンテナが root で実行される可能性があります",
              "set securityContext.runAsNonRoot: true on the pod or every container",
              "Pod またはすべてのコンテナに securityContext.runAsNonRoot: true を設定してください",
              PodSecurityControls::runAsNonRoot),
          new PodSecurityRule(
              RESTRICTED,
              "run-as-user",
              "Running as Non-root user",
              "Pod or container runs as UID 0",
              "Pod またはコンテナが UID 0 で実行されます",
              "remove runAsUser: 0 (use a non-zero UID)",
              "runAsUser: 0 を削除してください（0 以外の UID を使用）",
              PodSecurityControls::runAsUser),
          new PodSecurityRule(
              RESTRICTED,
              "seccomp",
              "Seccomp",
              "Pod or container does not set a seccomp profile",
              "Pod またはコンテナが seccomp プロファイルを設定していません",
              "set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the pod",
              "Pod に securityContext.seccompProfile.type: RuntimeDefault（または Localhost）を設定してください",
              PodSecurityControls::restrictedSeccomp),
          new PodSecurityRule(
              RESTRICTED,
              "capabilities",
              "Capabilities",
              "Container does not drop ALL capabilities",
              "コンテナがすべてのケーパビリティを削除していません",
              "set capabilities.drop: [ALL] and add at most NET_BIND_SERVICE",
              "capabilities.drop: [ALL] を設定し、追加は NET_BIND_SERVICE のみにしてください",
              PodSecurityControls::restrictedCapabilities));

  // ---- baseline ----

  static void hostProcess(PodView pod, PodSecurityRule.Out out) {
    var pc = pod.podContext();
    if (pc != null
        && pc.getWindowsOptions() != null
        && Boolean.TRUE.equals(pc.getWindowsOptions().getHostProcess())) {
      out.add(
          null,
          pod.podContextPath() + ".windowsOptions.hostProcess",
          "hostProcess",
          "sets hostProcess: true");
    }
    for (var c : pod.containers()) {
      var sc = c.context();
      if (sc != null
          && sc.getWindowsOptions() != null
          && Boolean.TRUE.equals(sc.getWindowsOptions().getHostProcess())) {
        out.add(
            c.name(),
            c.path() + ".securityContext.windowsOptions.hostProcess",
            "hostProcess",
            "sets hostProcess: true");
      }
    }
  }

  static void hostNamespaces(PodView pod, PodSecurityRule.Out out) {
    var s = pod.spec();
    flag(out, pod, "hostNetwork", s.getHostNetwork());
    flag(out, pod, "hostPID", s.getHostPID());
    flag(out, pod, "hostIPC", s.getHostIPC());
  }

  private static void flag(PodSecurityRule.Out out, PodView pod, String field, Boolean value) {
    if (Boolean.TRUE.equals(value)) {
      out.add(null, pod.path() + "." + field, field, "sets " + field + ": true");
    }
  }

  static void privileged(PodView pod, PodSecurityRule.Out out) {
    for (var c : pod.containers()) {
      if (c.context() != null && Boolean.TRUE.equals(c.context().getPrivileged())) {
        out.add(
            c.name(),
            c.path() + ".securityContext.privileged",
            "privileged",
            "sets privileged: true");
      }
    }
  }

  static void baselineCapabilities(PodView pod, PodSecurityRule.Out out) {
    for (var c : pod.containers()) {
      var caps = c.context() == null ? null : c.context().getCapabilities();
      if (caps == null || caps.getAdd() == null) {
        continue;
      }
      for (int i = 0; i < caps.getAdd().size(); i++) {
        var cap = caps.getAdd().get(i);
        if (!BASELINE_CAPABILITIES.contains(cap)) {
          out.add(
              c.name(),
              c.path() + ".securityContext.capabilities.add[" + i + "]",
              "add/" + cap,
              "adds capability " + Shown.name(cap));
        }
      }
    }
  }

  static void hostPath(PodView pod, PodSecurityRule.Out out) {
    var volumes = pod.spec().getVolumes();
    if (volumes == null) {
      return;
    }
    for (int i = 0; i < volumes.size(); i++) {
      var v = volumes.get(i);
      if (v != null && v.getHostPath() != null) {
        out.add(
            null,
            pod.path() + ".volumes[" + i + "].hostPath",
            "volume/" + v.getName(),
            "mounts volume \"" + Shown.name(v.getName()) + "\" from the host");
      }
    }
  }

  static void hostPorts(PodView pod, PodSecurityRule.Out out) {
    for (var c : pod.containers()) {
      for (int i = 0; i < c.ports().size(); i++) {
        var p = c.ports().get(i);
        if (p != null && p.getHostPort() != null && p.getHostPort() != 0) {
          out.add(
              c.name(),
              c.path() + ".ports[" + i + "].hostPort",
              "hostPort/" + p.getHostPort(),
              "uses host port " + p.getHostPort());
        }
      }
    }
  }

  static void hostProbes(PodView pod, PodSecurityRule.Out out) {
    for (var c : pod.containers()) {
      probe(out, c, "livenessProbe", c.liveness());
      probe(out, c, "readinessProbe", c.readiness());
      probe(out, c, "startupProbe", c.startup());
      if (c.lifecycle() != null) {
        hook(out, c, "lifecycle.postStart", c.lifecycle().getPostStart());
        hook(out, c, "lifecycle.preStop", c.lifecycle().getPreStop());
      }
    }
  }

  private static void probe(
      PodSecurityRule.Out out, PodView.ContainerView c, String field, Probe p) {
    if (p != null) {
      host(out, c, field, p.getHttpGet(), p.getTcpSocket());
    }
  }

  private static void hook(
      PodSecurityRule.Out out, PodView.ContainerView c, String field, LifecycleHandler h) {
    if (h != null) {
      host(out, c, field, h.getHttpGet(), h.getTcpSocket());
    }
  }

  private static void host(
      PodSecurityRule.Out out,
      PodView.ContainerView c,
      String field,
      HTTPGetAction http,
      TCPSocketAction tcp) {
    if (http != null && http.getHost() != null && !http.getHost().isEmpty()) {
      out.add(
          c.name(),
          c.path() + "." + field + ".httpGet.host",
          field + "/httpGet",
          field + " targets host " + Shown.name(http.getHost()));
    }
    if (tcp != null && tcp.getHost() != null && !tcp.getHost().isEmpty()) {
      out.add(
          c.name(),
          c.path() + "." + field + ".tcpSocket.host",
          field + "/tcpSocket",
          field + " targets host " + Shown.name(tcp.getHost()));
    }
  }

  static void appArmor(PodView pod, PodSecurityRule.Out out) {
    var pc = pod.podContext();
    if (pc != null && pc.getAppArmorProfile() != null) {
      var type = pc.getAppArmorProfile().getType();
      if (type != null && !type.equals("RuntimeDefault") && !type.equals("Localhost")) {
        out.add(
            null,
            pod.podContextPath() + ".appArmorProfile.type",
            "appArmorProfile",
            "sets AppArmor profile " + Shown.name(type));
      }
    }
    for (var c : pod.containers()) {
      var sc = c.context();
      if (sc != null && sc.getAppArmorProfile() != null) {
        var type = sc.getAppArmorProfile().getType();
        if (type != null && !type.equals("RuntimeDefault") && !type.equals("Localhost")) {
          out.add(
              c.name(),
              c.path() + ".securityContext.appArmorProfile.type",
              "appArmorProfile",
              "sets AppArmor profile " + Shown.name(type));
        }
      }
    }
    for (var e : pod.annotations().entrySet()) {
      var key = e.getKey();
      var value = e.getValue();
      if (key != null
          && key.startsWith(APPARMOR_ANNOTATION)
          && value != null
          && !value.equals("runtime/default")
          && !value.startsWith("localhost/")) {
        out.add(
            null,
            pod.annotationsPath() + "['" + key + "']",
            "annotation/" + key,
            "sets AppArmor profile " + Shown.name(value) + " by annotation " + Shown.name(key));
      }
    }
  }

  static void seLinux(PodView pod, PodSecurityRule.Out out) {
    var pc = pod.podContext();
    if (pc != null) {
      seLinux(out, null, pod.podContextPath(), pc.getSeLinuxOptions());
    }
    for (var c : pod.containers()) {
      if (c.context() != null) {
        seLinux(out, c.name(), c.path() + ".securityContext", c.context().getSeLinuxOptions());
      }
    }
  }

  private static void seLinux(
      PodSecurityRule.Out out, String container, String path, SELinuxOptions o) {
    if (o == null) {
      return;
    }
    var type = o.getType();
    if (type != null && !type.isEmpty() && !SELINUX_TYPES.contains(type)) {
      out.add(
          container,
          path + ".seLinuxOptions.type",
          "seLinux/type",
          "sets SELinux type " + Shown.name(type));
    }
    if (o.getUser() != null && !o.getUser().isEmpty()) {
      out.add(container, path + ".seLinuxOptions.user", "seLinux/user", "sets an SELinux user");
    }
    if (o.getRole() != null && !o.getRole().isEmpty()) {
      out.add(container, path + ".seLinuxOptions.role", "seLinux/role", "sets an SELinux role");
    }
  }

  static void procMount(PodView pod, PodSecurityRule.Out out) {
    for (var c : pod.containers()) {
      var sc = c.context();
      if (sc != null && sc.getProcMount() != null && !sc.getProcMount().equals("Default")) {
        out.add(
            c.name(),
            c.path() + ".securityContext.procMount",
            "procMount",
            "sets procMount " + Shown.name(sc.getProcMount()));
      }
    }
  }

  static void baselineSeccomp(PodView pod, PodSecurityRule.Out out) {
    var pc = pod.podContext();
    if (pc != null && unconfined(pc.getSeccompProfile())) {
      out.add(
          null,
          pod.podContextPath() + ".seccompProfile.type",
          "seccompProfile",
          "sets seccomp profile Unconfined");
    }
    for (var c : pod.containers()) {
      if (c.context() != null && unconfined(c.context().getSeccompProfile())) {
        out.add(
            c.name(),
            c.path() + ".securityContext.seccompProfile.type",
            "seccompProfile",
            "sets seccomp profile Unconfined");
      }
    }
  }

  private static boolean unconfined(SeccompProfile p) {
    return p != null && "Unconfined".equals(p.getType());
  }

  static void sysctls(PodView pod, PodSecurityRule.Out out) {
    var pc = pod.podContext();
    if (pc == null || pc.getSysctls() == null) {
      return;
    }
    for (int i = 0; i < pc.getSysctls().size(); i++) {
      var s = pc.getSysctls().get(i);
      if (s != null && !SAFE_SYSCTLS.contains(s.getName())) {
        out.add(
            null,
            pod.podContextPath() + ".sysctls[" + i + "].name",
            "sysctl/" + s.getName(),
            "sets sysctl " + Shown.name(s.getName()));
      }
    }
  }

  // ---- restricted ----

  static void volumeTypes(PodView pod, PodSecurityRule.Out out) {
    var volumes = pod.spec().getVolumes();
    if (volumes == null) {
      return;
    }
    for (int i = 0; i < volumes.size(); i++) {
      var v = volumes.get(i);
      if (v == null) {
        continue;
      }
      String type = null;
      boolean allowed = false;
      for (var e : VOLUME_SOURCES.entrySet()) {
        if (e.getValue().apply(v) != null) {
          if (RESTRICTED_VOLUMES.contains(e.getKey())) {
            allowed = true;
          } else if (type == null) {
            type = e.getKey();
          }
        }
      }
      if (type == null && !allowed) {
        // A source this model does not know (a newer API field, kept as an additional
        // property) is not on the allowed list. No source at all is what the API server
        // defaults to emptyDir, so it is allowed.
        type = v.getAdditionalProperties().keySet().stream().sorted().findFirst().orElse(null);
      }
      if (type != null) {
        out.add(
            null,
            pod.path() + ".volumes[" + i + "]",
            "volume/" + v.getName(),
            "uses volume \"" + Shown.name(v.getName()) + "\" of type " + Shown.name(type));
      }
    }
  }

  static void privilegeEscalation(PodView pod, PodSecurityRule.Out out) {
    if (pod.windows()) {
      return;
    }
    for (var c : pod.containers()) {
      var sc = c.context();
      if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        out.add(
            c.name(),
            c.path() + ".securityContext.allowPrivilegeEscalation",
            "allowPrivilegeEscalation",
            "does not set allowPrivilegeEscalation: false");
      }
    }
  }

  static void runAsNonRoot(PodView pod, PodSecurityRule.Out out) {
    var pc = pod.podContext();
    var podValue = pc == null ? null : pc.getRunAsNonRoot();
    if (Boolean.FALSE.equals(podValue)) {
      out.add(
          null, pod.podContextPath() + ".runAsNonRoot", "runAsNonRoot", "sets runAsNonRoot: false");
    }
    for (var c : pod.containers()) {
      var value = c.context() == null ? null : c.context().getRunAsNonRoot();
      if (Boolean.FALSE.equals(value)) {
        out.add(
            c.name(),
            c.path() + ".securityContext.runAsNonRoot",
            "runAsNonRoot",
            "sets runAsNonRoot: false");
      } else if (value == null && !Boolean.TRUE.equals(podValue)) {
        out.add(
            c.name(),
            c.path() + ".securityContext.runAsNonRoot",
            "runAsNonRoot",
            "does not set runAsNonRoot: true (nor does the pod)");
      }
    }
  }

  static void runAsUser(PodView pod, PodSecurityRule.Out out) {
    var pc = pod.podContext();
    if (pc != null && pc.getRunAsUser() != null && pc.getRunAsUser() == 0) {
      out.add(null, pod.podContextPath() + ".runAsUser", "runAsUser", "sets runAsUser: 0");
    }
    for (var c : pod.containers()) {
      var sc = c.context();
      if (sc != null && sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
        out.add(
            c.name(), c.path() + ".securityContext.runAsUser", "runAsUser", "sets runAsUser: 0");
      }
    }
  }

  static void restrictedSeccomp(PodView pod, PodSecurityRule.Out out) {
    if (pod.windows()) {
      return;
    }
    var pc = pod.podContext();
    var podType =
        pc == null || pc.getSeccompProfile() == null ? null : pc.getSeccompProfile().getType();
    if (podType != null && !confined(podType)) {
      out.add(
          null,
          pod.podContextPath() + ".seccompProfile.type",
          "seccompProfile",
          "sets seccomp profile " + Shown.name(podType));
    }
    for (var c : pod.containers()) {
      var sc = c.context();
      var type =
          sc == null || sc.getSeccompProfile() == null ? null : sc.getSeccompProfile().getType();
      if (type != null && !confined(type)) {
        out.add(
            c.name(),
            c.path() + ".securityContext.seccompProfile.type",
            "seccompProfile",
            "sets seccomp profile " + Shown.name(type));
      } else if (type == null && podType == null) {
        out.add(
            c.name(),
            c.path() + ".securityContext.seccompProfile.type",
            "seccompProfile",
            "sets no seccomp profile (nor does the pod)");
      }
    }
  }

  private static boolean confined(String type) {
    return type.equals("RuntimeDefault") || type.equals("Localhost");
  }

  static void restrictedCapabilities(PodView pod, PodSecurityRule.Out out) {
    if (pod.windows()) {
      return;
    }
    for (var c : pod.containers()) {
      var caps = c.context() == null ? null : c.context().getCapabilities();
      var drop = caps == null || caps.getDrop() == null ? List.<String>of() : caps.getDrop();
      if (!drop.contains("ALL")) {
        out.add(
            c.name(),
            c.path() + ".securityContext.capabilities.drop",
            "drop",
            "does not drop ALL capabilities");
      }
      if (caps != null && caps.getAdd() != null) {
        for (int i = 0; i < caps.getAdd().size(); i++) {
          var cap = caps.getAdd().get(i);
          if (!"NET_BIND_SERVICE".equals(cap)) {
            out.add(
                c.name(),
                c.path() + ".securityContext.capabilities.add[" + i + "]",
                "add/" + cap,
                "adds capability " + Shown.name(cap) + " (only NET_BIND_SERVICE may be added)");
          }
        }
      }
    }
  }

  private static Map<String, Function<Volume, Object>> volumeSources() {
    var m = new java.util.LinkedHashMap<String, Function<Volume, Object>>();
    m.put("configMap", Volume::getConfigMap);
    m.put("csi", Volume::getCsi);
    m.put("downwardAPI", Volume::getDownwardAPI);
    m.put("emptyDir", Volume::getEmptyDir);
    m.put("ephemeral", Volume::getEphemeral);
    m.put("persistentVolumeClaim", Volume::getPersistentVolumeClaim);
    m.put("projected", Volume::getProjected);
    m.put("secret", Volume::getSecret);
    m.put("hostPath", Volume::getHostPath);
    m.put("image", Volume::getImage);
    m.put("awsElasticBlockStore", Volume::getAwsElasticBlockStore);
    m.put("azureDisk", Volume::getAzureDisk);
    m.put("azureFile", Volume::getAzureFile);
    m.put("cephfs", Volume::getCephfs);
    m.put("cinder", Volume::getCinder);
    m.put("fc", Volume::getFc);
    m.put("flexVolume", Volume::getFlexVolume);
    m.put("flocker", Volume::getFlocker);
    m.put("gcePersistentDisk", Volume::getGcePersistentDisk);
    m.put("gitRepo", Volume::getGitRepo);
    m.put("glusterfs", Volume::getGlusterfs);
    m.put("iscsi", Volume::getIscsi);
    m.put("nfs", Volume::getNfs);
    m.put("photonPersistentDisk", Volume::getPhotonPersistentDisk);
    m.put("portworxVolume", Volume::getPortworxVolume);
    m.put("quobyte", Volume::getQuobyte);
    m.put("rbd", Volume::getRbd);
    m.put("scaleIO", Volume::getScaleIO);
    m.put("storageos", Volume::getStorageos);
    m.put("vsphereVolume", Volume::getVsphereVolume);
    return java.util.Collections.unmodifiableMap(m);
  }
}
