package dev.parapet.webhook.policy;

import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.Selector;
import dev.parapet.webhook.WorkloadEvaluator;
import dev.parapet.webhook.secrets.CustomDetector;
import java.time.Instant;
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
 * Maps a {@link PosturePolicy} to an {@link AdmissionPolicy} once the one {@link PolicyValidator}
 * has found no problem in it (an {@link InvalidPolicyException} lists every problem otherwise). A
 * policy without {@code spec.admission} is cloud-only and maps to empty. Absent fields take the
 * CRD's documented defaults (enforcement Deny, ports 22/23/2375/2376/3389/10250 TCP,
 * forbidHostNetwork and forbidNodePort true, hostPID/hostIPC false, every detector everywhere,
 * existing violations Allow). {@code rules.exclude} turns rules off; {@code rules.include} turns on
 * the opt-in rules host-pid and host-ipc (and host-network / service-nodeport if their flag was set
 * false).
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
    var problems = PolicyValidator.withoutCloudRules().validate(spec, Instant.now(), false);
    if (!problems.isEmpty()) {
      throw new InvalidPolicyException(problems);
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
      ruleEnforcement.putAll(adm.ruleEnforcement());
    }
    boolean hostNetwork = or(adm.forbidHostNetwork(), d.forbidHostNetwork());
    boolean hostPid = or(adm.forbidHostPID(), d.forbidHostPID());
    boolean hostIpc = or(adm.forbidHostIPC(), d.forbidHostIPC());
    boolean nodePort = or(adm.forbidNodePort(), d.forbidNodePort());
    var disabled = new HashSet<String>();
    if (adm.rules() != null) {
      var include = adm.rules().include() == null ? List.<String>of() : adm.rules().include();
      var exclude = adm.rules().exclude() == null ? List.<String>of() : adm.rules().exclude();
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
        var p = adm.forbiddenPorts().get(i);
        list.add(
            new PortRule(p.port(), p.endPort() == null ? p.port() : p.endPort(), p.protocol()));
      }
      ports = list;
    }
    Set<String> detectors = d.detectors();
    Set<ScanLocation> scan = d.scan();
    var creds = adm.credentials();
    if (creds != null) {
      if (creds.detectors() != null && !creds.detectors().isEmpty()) {
        detectors = new LinkedHashSet<>(creds.detectors());
      }
      if (creds.scan() != null && !creds.scan().isEmpty()) {
        var chosen = EnumSet.noneOf(ScanLocation.class);
        for (var s : creds.scan()) {
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
        customDetectors(creds == null ? null : creds.customDetectors()),
        adm.podSecurityLevel());
  }

  /** Compiles the policy's own detectors (the validator has checked they compile). */
  private static List<CustomDetector> customDetectors(List<PosturePolicySpec.CustomDetector> defs) {
    if (defs == null || defs.isEmpty()) {
      return List.of();
    }
    return defs.stream()
        .map(
            d -> CustomDetector.of(d.name(), d.keywords(), d.regex(), d.minEntropy(), d.severity()))
        .toList();
  }

  private static boolean or(Boolean v, boolean dflt) {
    return v == null ? dflt : v;
  }

  private static boolean matchesAny(List<String> patterns, String id) {
    return patterns.stream().anyMatch(p -> RulePatterns.matchesRule(p, id));
  }

  private static NamespaceSelector selector(Selector s) {
    if (s == null) {
      return NamespaceSelector.ALL;
    }
    var reqs = new ArrayList<NamespaceSelector.Requirement>();
    if (s.matchExpressions() != null) {
      for (var r : s.matchExpressions()) {
        reqs.add(
            new NamespaceSelector.Requirement(
                r.key(), r.operator(), r.values() == null ? List.<String>of() : r.values()));
      }
    }
    return new NamespaceSelector(s.matchLabels() == null ? Map.of() : s.matchLabels(), reqs);
  }

  private static List<PolicyException> exceptions(
      String policy, List<PosturePolicySpec.PolicyException> list) {
    return PolicyException.of(policy, list);
  }
}
