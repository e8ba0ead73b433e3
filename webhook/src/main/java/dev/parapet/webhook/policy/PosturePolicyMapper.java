package dev.parapet.webhook.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.webhook.WorkloadEvaluator;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a PosturePolicy (as JSON: from the cluster, a file, or a typed object turned into a tree)
 * to an {@link AdmissionPolicy}, validating every field. A policy without {@code spec.admission}
 * is cloud-only and maps to empty. Absent admission fields take the values of {@link
 * AdmissionPolicy#defaults()} (so an empty {@code admission: {}} is the default policy under
 * another name); an explicit empty list means "none".
 */
public final class PosturePolicyMapper {
  private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private PosturePolicyMapper() {}

  public static Optional<AdmissionPolicy> fromJson(JsonNode policy) {
    if (policy == null || !policy.isObject()) {
      throw new InvalidPolicyException("(root)", "must be an object");
    }
    var name = policy.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      throw new InvalidPolicyException("metadata.name", "required");
    }
    var spec = policy.path("spec");
    var adm = spec.path("admission");
    if (adm.isMissingNode() || adm.isNull()) {
      return Optional.empty();
    }
    if (!adm.isObject()) {
      throw new InvalidPolicyException("spec.admission", "must be an object");
    }
    var d = AdmissionPolicy.defaults();
    var enforcement =
        adm.has("enforcement")
            ? enforcement(adm.get("enforcement"), "spec.admission.enforcement")
            : d.enforcement();
    var ruleEnforcement = new HashMap<String, Enforcement>();
    var re = adm.path("ruleEnforcement");
    if (!re.isMissingNode() && !re.isNull()) {
      requireObject(re, "spec.admission.ruleEnforcement");
      var known = WorkloadEvaluator.RULES.stream().map(r -> r.metadata().id()).toList();
      var fields = re.fields();
      while (fields.hasNext()) {
        var e = fields.next();
        var f = "spec.admission.ruleEnforcement." + e.getKey();
        if (!known.contains(e.getKey())) {
          throw new InvalidPolicyException(f, "unknown rule id (known: " + known + ")");
        }
        ruleEnforcement.put(e.getKey(), enforcement(e.getValue(), f));
      }
    }
    var selector = selector(adm.path("namespaceSelector"), "spec.admission.namespaceSelector");
    var excluded = strings(adm.path("excludedNamespaces"), "spec.admission.excludedNamespaces");
    var ports =
        adm.has("forbiddenPorts")
            ? ports(adm.get("forbiddenPorts"), "spec.admission.forbiddenPorts")
            : d.forbiddenPorts();
    var creds = adm.path("credentials");
    Set<String> detectors = d.detectors();
    Set<ScanLocation> scan = d.scan();
    if (!creds.isMissingNode() && !creds.isNull()) {
      requireObject(creds, "spec.admission.credentials");
      if (creds.has("detectors")) {
        detectors = new LinkedHashSet<>();
        var all = AdmissionPolicy.allDetectorIds();
        var list = strings(creds.get("detectors"), "spec.admission.credentials.detectors");
        for (int i = 0; i < list.size(); i++) {
          if (!all.contains(list.get(i))) {
            throw new InvalidPolicyException(
                "spec.admission.credentials.detectors[" + i + "]",
                "unknown detector \"" + list.get(i) + "\" (known: " + all + ")");
          }
          detectors.add(list.get(i));
        }
      }
      if (creds.has("scan")) {
        scan = EnumSet.noneOf(ScanLocation.class);
        var list = strings(creds.get("scan"), "spec.admission.credentials.scan");
        for (int i = 0; i < list.size(); i++) {
          try {
            scan.add(ScanLocation.valueOf(list.get(i)));
          } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(
                "spec.admission.credentials.scan[" + i + "]",
                "must be one of env, args, configMaps, annotations");
          }
        }
      }
    }
    var update = d.existingViolationsOnUpdate();
    if (adm.has("existingViolationsOnUpdate")) {
      var v = adm.get("existingViolationsOnUpdate").asText("");
      try {
        update = UpdateMode.valueOf(v);
      } catch (IllegalArgumentException e) {
        throw new InvalidPolicyException(
            "spec.admission.existingViolationsOnUpdate", "must be Block or Allow");
      }
    }
    return Optional.of(
        new AdmissionPolicy(
            name,
            enforcement,
            ruleEnforcement,
            selector,
            Set.copyOf(excluded),
            ports,
            bool(adm, "forbidHostNetwork", d.forbidHostNetwork()),
            bool(adm, "forbidHostPID", d.forbidHostPID()),
            bool(adm, "forbidHostIPC", d.forbidHostIPC()),
            bool(adm, "forbidNodePort", d.forbidNodePort()),
            bool(adm, "allowInternalLoadBalancers", d.allowInternalLoadBalancers()),
            detectors,
            scan,
            update,
            exceptions(spec.path("exceptions"))));
  }

  private static Enforcement enforcement(JsonNode n, String field) {
    try {
      return Enforcement.valueOf(n.asText(""));
    } catch (IllegalArgumentException e) {
      throw new InvalidPolicyException(field, "must be Deny, Warn or Audit");
    }
  }

  private static boolean bool(JsonNode adm, String field, boolean dflt) {
    var n = adm.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw new InvalidPolicyException("spec.admission." + field, "must be true or false");
    }
    return n.booleanValue();
  }

  private static void requireObject(JsonNode n, String field) {
    if (!n.isObject()) {
      throw new InvalidPolicyException(field, "must be an object");
    }
  }

  private static List<String> strings(JsonNode n, String field) {
    var out = new ArrayList<String>();
    if (n == null || n.isMissingNode() || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw new InvalidPolicyException(field, "must be a list of strings");
    }
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isTextual()) {
        throw new InvalidPolicyException(field + "[" + i + "]", "must be a string");
      }
      out.add(n.get(i).textValue());
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode n, String field) {
    var out = new HashMap<String, String>();
    if (n == null || n.isMissingNode() || n.isNull()) {
      return out;
    }
    requireObject(n, field);
    var it = n.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!e.getValue().isTextual()) {
        throw new InvalidPolicyException(field + "." + e.getKey(), "must be a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  private static NamespaceSelector selector(JsonNode n, String field) {
    if (n.isMissingNode() || n.isNull()) {
      return NamespaceSelector.ALL;
    }
    requireObject(n, field);
    var labels = stringMap(n.path("matchLabels"), field + ".matchLabels");
    var reqs = new ArrayList<NamespaceSelector.Requirement>();
    var ex = n.path("matchExpressions");
    if (!ex.isMissingNode() && !ex.isNull()) {
      if (!ex.isArray()) {
        throw new InvalidPolicyException(field + ".matchExpressions", "must be a list");
      }
      for (int i = 0; i < ex.size(); i++) {
        var f = field + ".matchExpressions[" + i + "]";
        var e = ex.get(i);
        var key = e.path("key").asText("");
        var op = e.path("operator").asText("");
        if (key.isEmpty()) {
          throw new InvalidPolicyException(f + ".key", "required");
        }
        if (!OPERATORS.contains(op)) {
          throw new InvalidPolicyException(
              f + ".operator", "must be In, NotIn, Exists or DoesNotExist");
        }
        var values = strings(e.path("values"), f + ".values");
        if ((op.equals("In") || op.equals("NotIn")) && values.isEmpty()) {
          throw new InvalidPolicyException(f + ".values", "required for " + op);
        }
        reqs.add(new NamespaceSelector.Requirement(key, op, values));
      }
    }
    return new NamespaceSelector(labels, reqs);
  }

  private static List<PortRule> ports(JsonNode n, String field) {
    var out = new ArrayList<PortRule>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw new InvalidPolicyException(field, "must be a list");
    }
    for (int i = 0; i < n.size(); i++) {
      var f = field + "[" + i + "]";
      var p = n.get(i);
      if (!p.isObject()) {
        throw new InvalidPolicyException(f, "must be an object {port, endPort, protocol}");
      }
      int port = port(p.get("port"), f + ".port");
      int end = p.has("endPort") && !p.get("endPort").isNull() ? port(p.get("endPort"), f + ".endPort") : port;
      if (end < port) {
        throw new InvalidPolicyException(f + ".endPort", "must be ≥ port (" + port + ")");
      }
      String proto = null;
      if (p.has("protocol") && !p.get("protocol").isNull()) {
        proto = p.get("protocol").asText("");
        if (!PROTOCOLS.contains(proto)) {
          throw new InvalidPolicyException(f + ".protocol", "must be TCP, UDP or SCTP");
        }
      }
      out.add(new PortRule(port, end, proto));
    }
    return out;
  }

  private static int port(JsonNode n, String field) {
    if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new InvalidPolicyException(field, "required, an integer 1-65535");
    }
    int v = n.intValue();
    if (v < 1 || v > 65535) {
      throw new InvalidPolicyException(field, "must be 1-65535, got " + v);
    }
    return v;
  }

  private static List<PolicyException> exceptions(JsonNode n) {
    var out = new ArrayList<PolicyException>();
    if (n.isMissingNode() || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw new InvalidPolicyException("spec.exceptions", "must be a list");
    }
    for (int i = 0; i < n.size(); i++) {
      var f = "spec.exceptions[" + i + "]";
      var e = n.get(i);
      requireObject(e, f);
      var reason = e.path("reason").asText("");
      if (reason.isBlank()) {
        throw new InvalidPolicyException(f + ".reason", "required");
      }
      Instant expires = null;
      if (e.hasNonNull("expiresAt")) {
        try {
          expires = Instant.parse(e.get("expiresAt").asText());
        } catch (DateTimeParseException ex) {
          throw new InvalidPolicyException(
              f + ".expiresAt", "must be an RFC 3339 time such as 2026-12-31T00:00:00Z");
        }
      }
      var match = e.path("match");
      if (!match.isMissingNode() && !match.isNull()) {
        requireObject(match, f + ".match");
      }
      out.add(
          new PolicyException(
              Set.copyOf(strings(e.path("rules"), f + ".rules")),
              Set.copyOf(strings(match.path("namespaces"), f + ".match.namespaces")),
              strings(match.path("names"), f + ".match.names"),
              stringMap(match.path("labels"), f + ".match.labels"),
              reason,
              e.path("owner").asText(null),
              expires));
    }
    return out;
  }
}
