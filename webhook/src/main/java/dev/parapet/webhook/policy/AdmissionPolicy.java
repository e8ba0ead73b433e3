package dev.parapet.webhook.policy;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.api.v1alpha1.PodSecurityLevel;
import dev.parapet.webhook.secrets.CustomDetector;
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
    Set<String> disabledRules,
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
    List<PolicyException> exceptions,
    List<CustomDetector> customDetectors,
    PodSecurityLevel podSecurityLevel) {

  /** A policy without Pod Security Standards controls. */
  public AdmissionPolicy(
      String name,
      Enforcement enforcement,
      Map<String, Enforcement> ruleEnforcement,
      Set<String> disabledRules,
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
      List<PolicyException> exceptions,
      List<CustomDetector> customDetectors) {
    this(
        name,
        enforcement,
        ruleEnforcement,
        disabledRules,
        namespaceSelector,
        excludedNamespaces,
        forbiddenPorts,
        forbidHostNetwork,
        forbidHostPID,
        forbidHostIPC,
        forbidNodePort,
        allowInternalLoadBalancers,
        detectors,
        scan,
        existingViolationsOnUpdate,
        exceptions,
        customDetectors,
        PodSecurityLevel.PRIVILEGED);
  }

  /** A policy without custom detectors. */
  public AdmissionPolicy(
      String name,
      Enforcement enforcement,
      Map<String, Enforcement> ruleEnforcement,
      Set<String> disabledRules,
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
    this(
        name,
        enforcement,
        ruleEnforcement,
        disabledRules,
        namespaceSelector,
        excludedNamespaces,
        forbiddenPorts,
        forbidHostNetwork,
        forbidHostPID,
        forbidHostIPC,
        forbidNodePort,
        allowInternalLoadBalancers,
        detectors,
        scan,
        existingViolationsOnUpdate,
        exceptions,
        List.of());
  }

  /** Name of the built-in policy used when no PosturePolicy has an admission section. */
  public static final String DEFAULT_NAME = "parapet-default";

  /**
   * The conservative default port list (the CRD's documented default): SSH, telnet, the Docker API,
   * RDP and the kubelet API, TCP.
   */
  public static final List<PortRule> DEFAULT_FORBIDDEN_PORTS =
      List.of(
          new PortRule(22, 22, "TCP"),
          new PortRule(23, 23, "TCP"),
          new PortRule(2375, 2375, "TCP"),
          new PortRule(2376, 2376, "TCP"),
          new PortRule(3389, 3389, "TCP"),
          new PortRule(10250, 10250, "TCP"));

  /** Pseudo-detector id of the "secret-ish env name with a literal value" check. */
  public static final String SECRET_ENV_NAME = "secret-env-name";

  public AdmissionPolicy {
    ruleEnforcement = Map.copyOf(ruleEnforcement);
    disabledRules = Set.copyOf(disabledRules);
    excludedNamespaces = Set.copyOf(excludedNamespaces);
    forbiddenPorts = List.copyOf(forbiddenPorts);
    detectors = Set.copyOf(detectors);
    scan = scan.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scan));
    exceptions = List.copyOf(exceptions);
    customDetectors = List.copyOf(customDetectors);
    podSecurityLevel = podSecurityLevel == null ? PodSecurityLevel.PRIVILEGED : podSecurityLevel;
  }

  /** The same policy checking the Pod Security Standards controls up to {@code level}. */
  public AdmissionPolicy withPodSecurityLevel(PodSecurityLevel level) {
    return new AdmissionPolicy(
        name,
        enforcement,
        ruleEnforcement,
        disabledRules,
        namespaceSelector,
        excludedNamespaces,
        forbiddenPorts,
        forbidHostNetwork,
        forbidHostPID,
        forbidHostIPC,
        forbidNodePort,
        allowInternalLoadBalancers,
        detectors,
        scan,
        existingViolationsOnUpdate,
        exceptions,
        customDetectors,
        level);
  }

  /** Every detector id a policy may name, including {@link #SECRET_ENV_NAME}. */
  public static Set<String> allDetectorIds() {
    var ids = new LinkedHashSet<>(SecretDetectors.all().keySet());
    ids.add(SECRET_ENV_NAME);
    return ids;
  }

  /**
   * The documented safe default with no PosturePolicy: the CRD's field defaults (default port list,
   * hostNetwork and NodePort forbidden, hostPID/hostIPC allowed, every credential detector in every
   * location, pre-existing violations do not block updates) with enforcement Warn instead of Deny,
   * so installing Parapet never breaks a deployment.
   */
  public static AdmissionPolicy defaults() {
    return fieldDefaults(DEFAULT_NAME, Enforcement.WARN);
  }

  /** The CRD's documented defaults for every admission field, under {@code name}. */
  public static AdmissionPolicy fieldDefaults(String name, Enforcement enforcement) {
    return new AdmissionPolicy(
        name,
        enforcement,
        Map.of(),
        Set.of(),
        NamespaceSelector.ALL,
        Set.of(),
        DEFAULT_FORBIDDEN_PORTS,
        true,
        false,
        false,
        true,
        false,
        allDetectorIds(),
        EnumSet.allOf(ScanLocation.class),
        UpdateMode.Allow,
        List.of());
  }

  public boolean ruleEnabled(String ruleId) {
    return !disabledRules.contains(ruleId);
  }

  public Enforcement enforcementFor(String ruleId) {
    return ruleEnforcement.getOrDefault(ruleId, enforcement);
  }

  /** Whether this policy can block anything: its enforcement, or a per-rule override, is Deny. */
  public boolean canDeny() {
    return enforcement == Enforcement.DENY || ruleEnforcement.containsValue(Enforcement.DENY);
  }

  public boolean appliesTo(String namespace, Map<String, String> namespaceLabels) {
    return !excludedNamespaces.contains(namespace) && namespaceSelector.matches(namespaceLabels);
  }
}
