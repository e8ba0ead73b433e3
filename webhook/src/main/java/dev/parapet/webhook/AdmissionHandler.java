package dev.parapet.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.api.v1alpha1.Enforcement;
import dev.parapet.webhook.policy.AdmissionPolicy;
import dev.parapet.webhook.policy.PolicySet;
import dev.parapet.webhook.policy.UpdateMode;
import dev.parapet.webhook.secrets.SecretDetectors;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Turns AdmissionReview bytes into a response: parse, select policies, evaluate, decide. No I/O
 * beyond the in-memory policy and namespace caches it is given; never throws for bad input. A body
 * that is not an AdmissionReview with a usable uid gets a 4xx that says why; a request whose uid is
 * known always gets an AdmissionReview response echoing it (see {@link #unevaluated}). Reasons
 * never quote request content except short tokens that no credential detector matches.
 */
public final class AdmissionHandler {
  private static final Logger LOG = Logger.getLogger(AdmissionHandler.class);
  static final String API_VERSION = "admission.k8s.io/v1";
  static final int MAX_DENY_MESSAGES = 5;

  /** At most this many warnings are returned, then one "and N more warning(s)". */
  static final int MAX_WARNINGS = 5;

  /**
   * Budget of the warnings, in UTF-8 bytes, summary included: the apiserver truncates the warnings
   * of one response beyond 4 KiB in total (and then each beyond 256 characters), so they are kept
   * whole under that.
   */
  static final int WARNINGS_BUDGET_BYTES = 4096;

  /** Room kept in the budget for the summary entry. */
  private static final int SUMMARY_RESERVE_BYTES = 64;

  private static final Set<String> ALL_DETECTORS = SecretDetectors.all().keySet();
  private static final Pattern SAFE_TOKEN = Pattern.compile("[A-Za-z0-9._/-]{1,63}");

  /** Kinds the webhook understands: "group/version/kind" → model class. */
  static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "/v1/Pod", Pod.class,
          "/v1/Service", Service.class,
          "/v1/ConfigMap", ConfigMap.class,
          "/v1/ReplicationController", ReplicationController.class,
          "apps/v1/Deployment", Deployment.class,
          "apps/v1/StatefulSet", StatefulSet.class,
          "apps/v1/DaemonSet", DaemonSet.class,
          "apps/v1/ReplicaSet", ReplicaSet.class,
          "batch/v1/Job", Job.class,
          "batch/v1/CronJob", CronJob.class);

  /** An HTTP status and JSON body, plus the labels the metrics need. */
  public record Result(int status, byte[] body, String kind, String decision) {}

  /** Receives every decision: metrics and audit logging hang here, off the decision logic. */
  public interface Listener {
    void decided(String kind, String decision, List<Violation> counted, long nanos);
  }

  /** A parsed request: everything the decision needs. */
  record Parsed(
      String uid,
      String operation,
      String kind,
      Class<? extends HasMetadata> type,
      String namespace,
      HasMetadata object,
      HasMetadata oldObject) {}

  /**
   * A bad request: HTTP status and a reason that never quotes request content. When the request's
   * uid (and so its kind and namespace) was read before the problem was found, they ride along so
   * the answer can be an AdmissionReview response.
   */
  static final class Rejected extends Exception {
    final int status;
    final String uid;
    final String kind;
    final String namespace;

    Rejected(int status, String reason) {
      this(status, reason, null, null, null);
    }

    private Rejected(int status, String reason, String uid, String kind, String namespace) {
      super(reason, null, false, false);
      this.status = status;
      this.uid = uid;
      this.kind = kind;
      this.namespace = namespace;
    }

    Rejected about(String uid, String kind, String namespace) {
      return new Rejected(status, getMessage(), uid, kind, namespace);
    }
  }

  static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(200).maxNumberLength(64).build());
  }

  private final Supplier<PolicySet> policies;
  private final Function<String, Map<String, String>> namespaceLabels;
  private final String ownNamespace;
  private final int maxRequestBytes;
  private final Listener listener;
  private final Clock clock;

  public AdmissionHandler(
      Supplier<PolicySet> policies,
      Function<String, Map<String, String>> namespaceLabels,
      String ownNamespace,
      int maxRequestBytes,
      Listener listener,
      Clock clock) {
    this.policies = policies;
    this.namespaceLabels = namespaceLabels;
    this.ownNamespace = ownNamespace;
    this.maxRequestBytes = maxRequestBytes;
    this.listener = listener;
    this.clock = clock;
  }

  /** {@code POST /validate}. */
  public Result validate(byte[] body) {
    long t0 = System.nanoTime();
    Result r;
    List<Violation> counted = List.of();
    Parsed p = null;
    try {
      p = parse(body);
      if (p.object() == null) {
        r = allowed(p.uid(), p.kind(), "skipped");
      } else {
        var decided = decide(p);
        r = decided.result();
        counted = decided.violations();
      }
    } catch (Rejected e) {
      LOG.infof(
          "admission request rejected (%d)%s: %s",
          e.status, e.uid == null ? "" : " uid=" + safe(e.uid), e.getMessage());
      r =
          e.uid == null
              ? error(e.status, e.getMessage())
              : unevaluated(e.uid, e.kind, e.namespace, e.status, e.getMessage());
    } catch (RuntimeException e) {
      // A rule bug must not turn into an HTTP 500 the apiserver retries: log the type and answer
      // for the request (its uid is known once it parsed), else 400.
      LOG.errorf("admission request could not be evaluated: %s", e.getClass().getName());
      var reason = "request could not be evaluated (" + e.getClass().getSimpleName() + ")";
      r =
          p == null
              ? error(400, reason)
              : unevaluated(p.uid(), p.kind(), p.namespace(), 500, reason);
    }
    listener.decided(r.kind(), r.decision(), counted, System.nanoTime() - t0);
    return r;
  }

  /**
   * {@code POST /validate-noop}: the benchmark baseline. Parses exactly like {@link #validate}
   * (including the typed object) and answers allowed; checks nothing.
   */
  public Result noop(byte[] body) {
    try {
      var p = parse(body);
      return allowed(p.uid(), p.kind(), "noop");
    } catch (Rejected e) {
      return error(e.status, e.getMessage());
    } catch (RuntimeException e) {
      return error(400, "request could not be parsed (" + e.getClass().getSimpleName() + ")");
    }
  }

  Parsed parse(byte[] body) throws Rejected {
    if (body == null || body.length == 0) {
      throw new Rejected(400, "empty body: expected an AdmissionReview");
    }
    if (body.length > maxRequestBytes) {
      throw new Rejected(
          413, "request of " + body.length + " bytes exceeds the limit of " + maxRequestBytes);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new Rejected(
          400,
          "malformed JSON"
              + (loc == null
                  ? ""
                  : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()));
    } catch (IOException e) {
      throw new Rejected(400, "unreadable body");
    }
    if (root == null || !root.isObject()) {
      throw new Rejected(400, "body is not a JSON object: expected an AdmissionReview");
    }
    var apiVersion = root.path("apiVersion").asText("");
    if (!API_VERSION.equals(apiVersion)) {
      throw new Rejected(
          400, "unsupported apiVersion " + safe(apiVersion) + " (expected " + API_VERSION + ")");
    }
    if (!"AdmissionReview".equals(root.path("kind").asText(""))) {
      throw new Rejected(
          400, "kind " + safe(root.path("kind").asText("")) + " is not AdmissionReview");
    }
    var req = root.get("request");
    if (req == null || !req.isObject()) {
      throw new Rejected(400, "missing request");
    }
    var uidNode = req.get("uid");
    if (uidNode == null || !uidNode.isTextual() || uidNode.textValue().isEmpty()) {
      throw new Rejected(400, "missing request.uid");
    }
    var uid = uidNode.textValue();
    if (uid.length() > 128) {
      throw new Rejected(400, "request.uid longer than 128 characters");
    }
    try {
      return parseRequest(req, uid);
    } catch (Rejected e) {
      var k = req.path("kind");
      var type =
          KINDS.get(
              k.path("group").asText("")
                  + "/"
                  + k.path("version").asText("")
                  + "/"
                  + k.path("kind").asText(""));
      var ns = req.path("namespace");
      throw e.about(
          uid,
          type == null ? "other" : type.getSimpleName(),
          ns.isTextual() ? ns.textValue() : null);
    }
  }

  private Parsed parseRequest(JsonNode req, String uid) throws Rejected {
    var k = req.path("kind");
    var gvk =
        k.path("group").asText("")
            + "/"
            + k.path("version").asText("")
            + "/"
            + k.path("kind").asText("");
    var type = KINDS.get(gvk);
    var kindLabel = type == null ? "other" : type.getSimpleName();
    var operation = req.path("operation").asText("");
    var sub = req.path("subResource").asText("");
    var namespace = req.path("namespace").asText(null);
    boolean checks =
        type != null
            && (operation.equals("CREATE") || operation.equals("UPDATE"))
            && (sub.isEmpty() || (sub.equals("ephemeralcontainers") && type == Pod.class));
    if (!checks) {
      return new Parsed(uid, operation, kindLabel, type, namespace, null, null);
    }
    var object = typed(req.get("object"), type, "request.object");
    if (object == null) {
      throw new Rejected(400, "missing request.object for " + operation);
    }
    var old =
        operation.equals("UPDATE") ? typed(req.get("oldObject"), type, "request.oldObject") : null;
    if (object.getMetadata() == null) {
      object.setMetadata(new ObjectMeta());
    }
    if (object.getMetadata().getNamespace() == null && namespace != null) {
      object.getMetadata().setNamespace(namespace);
    }
    if (object.getMetadata().getName() == null && req.hasNonNull("name")) {
      object.getMetadata().setName(req.get("name").asText());
    }
    if (namespace == null) {
      namespace = object.getMetadata().getNamespace();
    }
    return new Parsed(uid, operation, kindLabel, type, namespace, object, old);
  }

  private static HasMetadata typed(JsonNode node, Class<? extends HasMetadata> type, String field)
      throws Rejected {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (!node.isObject()) {
      throw new Rejected(400, field + " is not an object");
    }
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonMappingException e) {
      throw new Rejected(400, field + " is not a valid " + type.getSimpleName() + " at " + path(e));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new Rejected(400, field + " is not a valid " + type.getSimpleName());
    }
  }

  /** The JSON path of a mapping error, made of field names that are safe to show. */
  private static String path(JsonMappingException e) {
    var sb = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append('.').append(segment(ref.getFieldName()));
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(root)" : sb.substring(sb.charAt(0) == '.' ? 1 : 0);
  }

  /** A field name of a mapping-error path as shown: itself, "?" or "(redacted)". */
  private static String segment(String name) {
    if (!SAFE_TOKEN.matcher(name).matches()) {
      return "?";
    }
    return holdsCredential(name) ? "(redacted)" : name;
  }

  /** A request value as quoted in a reason: quoted, "(none)", "(invalid)" or "(redacted)". */
  static String safe(String s) {
    if (s.isEmpty()) {
      return "(none)";
    }
    if (!SAFE_TOKEN.matcher(s).matches()) {
      return "(invalid)";
    }
    return holdsCredential(s) ? "(redacted)" : "\"" + s + "\"";
  }

  /**
   * True when any credential detector matches {@code s}, scanned as the value of a secret-ish name
   * (so that a lone 40-character AWS secret key counts too).
   */
  static boolean holdsCredential(String s) {
    return !SecretDetectors.scanUnit(List.of(new SecretDetectors.Text("SECRET", s)), ALL_DETECTORS)
        .isEmpty();
  }

  private record Decided(Result result, List<Violation> violations) {}

  private Decided decide(Parsed p) {
    var set = policies.get();
    var labels = namespaceLabels.apply(p.namespace() == null ? "" : p.namespace());
    var selected = set.select(p.namespace(), labels, ownNamespace);
    if (selected.isEmpty()) {
      return new Decided(allowed(p.uid(), p.kind(), "exempt"), List.of());
    }
    var now = clock.instant();
    var violations = PolicySet.evaluate(WorkloadReview.of(p.object()), selected, now);
    var active = new ArrayList<Violation>(violations.size());
    for (var v : violations) {
      if (v.exceptedBy() == null) {
        active.add(v);
      }
    }
    if (active.isEmpty()) {
      return new Decided(allowed(p.uid(), p.kind(), "allowed"), violations);
    }
    var preExisting = new HashSet<String>();
    if (p.oldObject() != null) {
      for (var v : PolicySet.evaluate(WorkloadReview.of(p.oldObject()), selected, now)) {
        preExisting.add(v.key());
      }
    }
    var deny = new ArrayList<String>();
    var warn = new ArrayList<String>();
    boolean audit = false;
    // What the metrics count: each violation with the enforcement it really had here.
    var counted = new ArrayList<Violation>(violations.size());
    for (var v : violations) {
      if (v.exceptedBy() != null) {
        counted.add(v);
        continue;
      }
      var e = v.enforcement();
      var msg = v.message();
      if (preExisting.contains(v.key()) && allowsExisting(selected, v.policy())) {
        msg += " (present before this update; not blocking it)";
        if (e == Enforcement.DENY) {
          e = Enforcement.WARN;
        }
      }
      counted.add(e == v.enforcement() ? v : v.withEnforcement(e, v.policy()));
      switch (e) {
        case DENY -> deny.add(msg);
        case WARN -> warn.add(msg);
        case AUDIT -> audit = true;
      }
    }
    var response = responseNode(p.uid());
    String decision;
    if (!deny.isEmpty()) {
      decision = "denied";
      response.put("allowed", false);
      var status = response.putObject("status");
      status.put("code", 403);
      // Without a reason kubectl prints "Error from server:" instead of "(Forbidden)".
      status.put("reason", "Forbidden");
      status.put("message", joinDeny(deny));
    } else {
      decision = warn.isEmpty() ? (audit ? "audited" : "allowed") : "warned";
      response.put("allowed", true);
    }
    if (!warn.isEmpty()) {
      var arr = response.putArray("warnings");
      capWarnings(warn).forEach(arr::add);
    }
    if (!decision.equals("allowed") && LOG.isInfoEnabled()) {
      // Built only when the line is logged (the category may be at WARN).
      LOG.infof(
          "admission %s %s uid=%s: %s",
          decision,
          WorkloadReview.of(p.object()).describe(),
          safe(p.uid()),
          String.join(" | ", active.stream().map(Violation::message).toList()));
    }
    return new Decided(new Result(200, bytes(response), p.kind(), decision), counted);
  }

  /**
   * The answer for a request whose uid is known but which could not be evaluated (an object that
   * does not map to its kind, a missing object, a rule that threw): an AdmissionReview response
   * echoing the uid, never an HTTP error. Where no policy selects the namespace, nothing would have
   * been checked: allowed ("exempt"). Where a selected policy can deny (its enforcement, or a
   * per-rule override, is Deny): {@code allowed: false} with {@code status.code} and the reason.
   * Otherwise (Warn/Audit only): allowed with the reason as a warning, as a Warn policy would.
   */
  private Result unevaluated(String uid, String kind, String namespace, int code, String reason) {
    List<AdmissionPolicy> selected;
    try {
      var labels = namespaceLabels.apply(namespace == null ? "" : namespace);
      selected = policies.get().select(namespace, labels, ownNamespace);
    } catch (RuntimeException e) {
      LOG.errorf("admission policies could not be selected: %s", e.getClass().getName());
      return error(400, reason);
    }
    if (selected.isEmpty()) {
      return allowed(uid, kind, "exempt");
    }
    boolean mayDeny = false;
    for (var pol : selected) {
      mayDeny |=
          pol.enforcement() == Enforcement.DENY
              || pol.ruleEnforcement().containsValue(Enforcement.DENY);
    }
    var response = responseNode(uid);
    if (mayDeny) {
      response.put("allowed", false);
      var status = response.putObject("status");
      status.put("code", code);
      status.put("message", "Parapet could not check this object: " + reason);
    } else {
      response.put("allowed", true);
      response.putArray("warnings").add("Parapet could not check this object: " + reason);
    }
    return new Result(200, bytes(response), kind, "rejected");
  }

  private static boolean allowsExisting(List<AdmissionPolicy> selected, String policyNames) {
    for (var name : policyNames.split(",")) {
      for (var p : selected) {
        if (p.name().equals(name) && p.existingViolationsOnUpdate() == UpdateMode.Block) {
          return false;
        }
      }
    }
    return true;
  }

  static String joinDeny(List<String> deny) {
    if (deny.size() <= MAX_DENY_MESSAGES) {
      return String.join("; ", deny);
    }
    return String.join("; ", deny.subList(0, MAX_DENY_MESSAGES))
        + "; and "
        + (deny.size() - MAX_DENY_MESSAGES)
        + " more violation(s)";
  }

  /**
   * The warnings returned: the first {@link #MAX_WARNINGS} that fit {@link #WARNINGS_BUDGET_BYTES},
   * then "and N more warning(s)" for the rest.
   */
  static List<String> capWarnings(List<String> warn) {
    var out = new ArrayList<String>(Math.min(warn.size(), MAX_WARNINGS + 1));
    int budget = WARNINGS_BUDGET_BYTES - SUMMARY_RESERVE_BYTES;
    int used = 0;
    for (var w : warn) {
      int n = w.getBytes(StandardCharsets.UTF_8).length;
      if (out.size() == MAX_WARNINGS || used + n > budget) {
        break;
      }
      out.add(w);
      used += n;
    }
    int more = warn.size() - out.size();
    if (more > 0) {
      out.add("and " + more + " more warning(s)");
    }
    return out;
  }

  private static ObjectNode responseNode(String uid) {
    return JsonNodeFactory.instance.objectNode().put("uid", uid);
  }

  private static Result allowed(String uid, String kind, String decision) {
    var response = responseNode(uid).put("allowed", true);
    return new Result(200, bytes(response), kind, decision);
  }

  private static byte[] bytes(ObjectNode response) {
    var root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", API_VERSION);
    root.put("kind", "AdmissionReview");
    root.set("response", response);
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Result error(int status, String reason) {
    var node = JsonNodeFactory.instance.objectNode();
    node.put("code", status);
    node.put("message", reason);
    try {
      return new Result(status, MAPPER.writeValueAsBytes(node), "invalid", "rejected");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
