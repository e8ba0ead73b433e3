package dev.parapet.webhook.policy;

import dev.parapet.webhook.secrets.SecretDetectors;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admission part of one PosturePolicy, immutable and validated: what to check, how hard to
 * enforce it, where, and the exceptions.
 */
public record AdmissionPolicy(
    String name,
    Enforcement enforcement,
    Map<String, Enforcement> ruleEnforcement,
    NamespaceSelector namespaceSelector,
    Set<String> excludedNamespaces,
    List<PortRule> forbiddenPorts,
    boolean forbidHostNetwork,
    boolean forbidHostPID,
    boolean forbidHostIPC,
    boolean forbidNodePort,
    boolean allowInternalLoadBalancers,
    Set<String> detectors,
    Set<ScanLocation> scan,
    UpdateMode existingViolationsOnUpdate,
    List<PolicyException> exceptions) {

  /** Name of the built-in policy used when no PosturePolicy has an admission section. */
  public static final String DEFAULT_NAME = "parapet-default";

  /**
   * The conservative default port list: SSH, telnet, the Docker API, etcd, RDP, VNC and the
   * kubelet API.
   */
  public static final List<PortRule> DEFAULT_FORBIDDEN_PORTS =
      List.of(
          PortRule.of(22),
          PortRule.of(23),
          PortRule.of(2375),
          PortRule.of(2376),
          new PortRule(2379, 2380, null),
          PortRule.of(3389),
          PortRule.of(5900),
          PortRule.of(10250));

  /** Pseudo-detector id of the "secret-ish env name with a literal value" check. */
  public static final String SECRET_ENV_NAME = "secret-env-name";

  public AdmissionPolicy {
    ruleEnforcement = Map.copyOf(ruleEnforcement);
    excludedNamespaces = Set.copyOf(excludedNamespaces);
    forbiddenPorts = List.copyOf(forbiddenPorts);
    detectors = Set.copyOf(detectors);
    scan = scan.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scan));
    exceptions = List.copyOf(exceptions);
  }

  /** Every detector id a policy may name, including {@link #SECRET_ENV_NAME}. */
  public static Set<String> allDetectorIds() {
    var ids = new LinkedHashSet<>(SecretDetectors.all().keySet());
    ids.add(SECRET_ENV_NAME);
    return ids;
  }

  /**
   * The documented safe default with no PosturePolicy: Warn (never blocks) on the default port
   * list, hostNetwork/hostPID/hostIPC and every credential detector in every location; NodePort is
   * allowed; pre-existing violations do not block updates.
   */
  public static AdmissionPolicy defaults() {
    return new AdmissionPolicy(
        DEFAULT_NAME,
        Enforcement.Warn,
        Map.of(),
        NamespaceSelector.ALL,
        Set.of(),
        DEFAULT_FORBIDDEN_PORTS,
        true,
        true,
        true,
        false,
        false,
        allDetectorIds(),
        EnumSet.allOf(ScanLocation.class),
        UpdateMode.Allow,
        List.of());
  }

  public Enforcement enforcementFor(String ruleId) {
    return ruleEnforcement.getOrDefault(ruleId, enforcement);
  }

  public boolean appliesTo(String namespace, Map<String, String> namespaceLabels) {
    return !excludedNamespaces.contains(namespace) && namespaceSelector.matches(namespaceLabels);
  }
}
