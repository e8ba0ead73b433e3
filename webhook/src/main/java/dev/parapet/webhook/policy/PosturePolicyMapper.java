package dev.parapet.webhook.policy;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.Selector;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.secrets.CustomDetector;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a {@link PosturePolicy} to an {@link AdmissionPolicy}, validating what the CRD schema cannot
 * (known rule and detector ids, times). A policy without {@code spec.admission} is cloud-only and
 * maps to empty. Absent fields take the CRD's documented defaults (enforcement Deny, ports
 * 22/23/2375/2376/3389/10250 TCP, forbidHostNetwork and forbidNodePort true, hostPID/hostIPC false,
 * every detector everywhere, existing violations Allow). {@code rules.exclude} turns rules off;
 * {@code rules.include} turns on the opt-in rules host-pid and host-ipc (and host-network /
 * service-nodeport if their flag was set false).
 */
public final class PosturePolicyMapper {
  private PosturePolicyMapper() {}

  public static Optional<AdmissionPolicy> map(PosturePolicy policy) {
    if (policy == null || policy.getMetadata() == null || policy.getMetadata().getName() == null) {
      throw new InvalidPolicyException("metadata.name", "required");
    }
    var spec = policy.getSpec();
    if (spec == null || spec.admission() == null) {
      return Optional.empty();
    }
    return Optional.of(map(policy.getMetadata().getName(), spec.admission(), spec.exceptions()));
  }

  static AdmissionPolicy map(
      String name,
      PosturePolicySpec.Admission adm,
      List<PosturePolicySpec.PolicyException> exceptions) {
    var d = AdmissionPolicy.fieldDefaults(name, Enforcement.DENY);
    var known = WorkloadEvaluator.RULES.stream().map(r -> r.metadata().id()).toList();
    var ruleEnforcement = new HashMap<String, Enforcement>();
    if (adm.ruleEnforcement() != null) {
      for (var e : adm.ruleEnforcement().entrySet()) {
        var f = "spec.admission.ruleEnforcement." + e.getKey();
        if (!known.contains(e.getKey())) {
          throw new InvalidPolicyException(f, "unknown workload rule id (known: " + known + ")");
        }
        if (e.getValue() == null) {
          throw new InvalidPolicyException(f, "must be Deny, Warn or Audit");
        }
        ruleEnforcement.put(e.getKey(), e.getValue());
      }
    }
    boolean hostNetwork = or(adm.forbidHostNetwork(), d.forbidHostNetwork());
    boolean hostPid = or(adm.forbidHostPID(), d.forbidHostPID());
    boolean hostIpc = or(adm.forbidHostIPC(), d.forbidHostIPC());
    boolean nodePort = or(adm.forbidNodePort(), d.forbidNodePort());
    var disabled = new HashSet<String>();
    if (adm.rules() != null) {
      var include = adm.rules().include() == null ? List.<String>of() : adm.rules().include();
      var exclude = adm.rules().exclude() == null ? List.<String>of() : adm.rules().exclude();
      checkIds(include, known, "spec.admission.rules.include");
      checkIds(exclude, known, "spec.admission.rules.exclude");
      for (var id : known) {
        if (matchesAny(include, id)) {
          hostNetwork |= id.equals("host-network");
          hostPid |= id.equals("host-pid");
          hostIpc |= id.equals("host-ipc");
          nodePort |= id.equals("service-nodeport");
        }
        if (matchesAny(exclude, id)) {
          disabled.add(id);
        }
      }
    }
    var ports = d.forbiddenPorts();
    if (adm.forbiddenPorts() != null) {
      var list = new ArrayList<PortRule>();
      for (int i = 0; i < adm.forbiddenPorts().size(); i++) {
        list.add(port(adm.forbiddenPorts().get(i), "spec.admission.forbiddenPorts[" + i + "]"));
      }
      ports = list;
    }
    Set<String> detectors = d.detectors();
    Set<ScanLocation> scan = d.scan();
    var creds = adm.credentials();
    if (creds != null) {
      if (creds.detectors() != null && !creds.detectors().isEmpty()) {
        var all = AdmissionPolicy.allDetectorIds();
        var chosen = new LinkedHashSet<String>();
        for (int i = 0; i < creds.detectors().size(); i++) {
          var id = creds.detectors().get(i);
          if (!all.contains(id)) {
            throw new InvalidPolicyException(
                "spec.admission.credentials.detectors[" + i + "]",
                "unknown detector \"" + id + "\" (known: " + all + ")");
          }
          chosen.add(id);
        }
        detectors = chosen;
      }
      if (creds.scan() != null && !creds.scan().isEmpty()) {
        var chosen = EnumSet.noneOf(ScanLocation.class);
        for (var s : creds.scan()) {
          if (s == null) {
            throw new InvalidPolicyException(
                "spec.admission.credentials.scan", "must be env, args, configMaps or annotations");
          }
          chosen.add(
              switch (s) {
                case ENV -> ScanLocation.env;
                case ARGS -> ScanLocation.args;
                case CONFIG_MAPS -> ScanLocation.configMaps;
                case ANNOTATIONS -> ScanLocation.annotations;
              });
        }
        scan = chosen;
      }
    }
    var update = d.existingViolationsOnUpdate();
    if (adm.existingViolationsOnUpdate() != null) {
      update =
          adm.existingViolationsOnUpdate() == PosturePolicySpec.UpdatePolicy.BLOCK
              ? UpdateMode.Block
              : UpdateMode.Allow;
    }
    return new AdmissionPolicy(
        name,
        adm.enforcement() == null ? d.enforcement() : adm.enforcement(),
        ruleEnforcement,
        disabled,
        selector(adm.namespaceSelector()),
        adm.excludedNamespaces() == null ? Set.of() : Set.copyOf(adm.excludedNamespaces()),
        ports,
        hostNetwork,
        hostPid,
        hostIpc,
        nodePort,
        or(adm.allowInternalLoadBalancers(), d.allowInternalLoadBalancers()),
        detectors,
        scan,
        update,
        exceptions(name, exceptions),
        customDetectors(creds == null ? null : creds.customDetectors()));
  }

  /** Validates and compiles the policy's own detectors; the field path names the bad one. */
  private static List<CustomDetector> customDetectors(List<PosturePolicySpec.CustomDetector> defs) {
    if (defs == null || defs.isEmpty()) {
      return List.of();
    }
    var out = new ArrayList<CustomDetector>();
    var names = new java.util.HashSet<String>();
    for (int i = 0; i < defs.size(); i++) {
      var field = "spec.admission.credentials.customDetectors[" + i + "]";
      var def = defs.get(i);
      if (def == null) {
        throw new InvalidPolicyException(field, "must be an object");
      }
      try {
        var d =
            CustomDetector.of(
                def.name(), def.keywords(), def.regex(), def.minEntropy(), def.severity());
        if (!names.add(d.name())) {
          throw new IllegalArgumentException("name \"" + d.name() + "\" is used twice");
        }
        out.add(d);
      } catch (IllegalArgumentException e) {
        throw new InvalidPolicyException(field, e.getMessage());
      }
    }
    return out;
  }

  private static boolean or(Boolean v, boolean dflt) {
    return v == null ? dflt : v;
  }

  private static boolean matchesAny(List<String> patterns, String id) {
    return patterns.stream().anyMatch(p -> RulePatterns.matchesRule(p, id));
  }

  private static void checkIds(List<String> ids, List<String> known, String field) {
    for (int i = 0; i < ids.size(); i++) {
      var id = ids.get(i);
      if (id == null || (!id.endsWith("*") && !known.contains(id))) {
        throw new InvalidPolicyException(
            field + "[" + i + "]", "unknown workload rule id (known: " + known + ")");
      }
    }
  }

  private static NamespaceSelector selector(Selector s) {
    if (s == null) {
      return NamespaceSelector.ALL;
    }
    var reqs = new ArrayList<NamespaceSelector.Requirement>();
    if (s.matchExpressions() != null) {
      for (int i = 0; i < s.matchExpressions().size(); i++) {
        var r = s.matchExpressions().get(i);
        var f = "spec.admission.namespaceSelector.matchExpressions[" + i + "]";
        if (r.key() == null || r.key().isEmpty()) {
          throw new InvalidPolicyException(f + ".key", "required");
        }
        var op = r.operator() == null ? "" : r.operator();
        var values = r.values() == null ? List.<String>of() : r.values();
        switch (op) {
          case "In", "NotIn" -> {
            if (values.isEmpty()) {
              throw new InvalidPolicyException(f + ".values", "required for " + op);
            }
          }
          case "Exists", "DoesNotExist" -> {}
          default ->
              throw new InvalidPolicyException(
                  f + ".operator", "must be In, NotIn, Exists or DoesNotExist");
        }
        reqs.add(new NamespaceSelector.Requirement(r.key(), op, values));
      }
    }
    return new NamespaceSelector(s.matchLabels() == null ? Map.of() : s.matchLabels(), reqs);
  }

  private static PortRule port(PosturePolicySpec.PortRule p, String f) {
    if (p == null || p.port() == null) {
      throw new InvalidPolicyException(f + ".port", "required, an integer 1-65535");
    }
    int port = p.port();
    if (port < 1 || port > 65535) {
      throw new InvalidPolicyException(f + ".port", "must be 1-65535, got " + port);
    }
    int end = p.endPort() == null ? port : p.endPort();
    if (end < port || end > 65535) {
      throw new InvalidPolicyException(
          f + ".endPort", "must be between port (" + port + ") and 65535");
    }
    var proto = p.protocol();
    if (proto != null && !Set.of("TCP", "UDP", "SCTP").contains(proto)) {
      throw new InvalidPolicyException(f + ".protocol", "must be TCP, UDP or SCTP");
    }
    return new PortRule(port, end, proto);
  }

  /** Checks what the exceptions need to be usable, then reads them as the one shared model. */
  private static List<PolicyException> exceptions(
      String policy, List<PosturePolicySpec.PolicyException> list) {
    if (list == null) {
      return List.of();
    }
    for (int i = 0; i < list.size(); i++) {
      var f = "spec.exceptions[" + i + "]";
      var e = list.get(i);
      if (e == null) {
        throw new InvalidPolicyException(f, "must be an object");
      }
      if (e.reason() == null || e.reason().isBlank()) {
        throw new InvalidPolicyException(f + ".reason", "required");
      }
      if (e.expiresAt() != null && PolicyException.parseTime(e.expiresAt()).isEmpty()) {
        throw new InvalidPolicyException(
            f + ".expiresAt", "must be an RFC 3339 time such as 2026-12-31T00:00:00Z");
      }
    }
    return PolicyException.of(policy, list);
  }
}
