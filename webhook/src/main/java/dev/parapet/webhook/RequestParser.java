package dev.parapet.webhook;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * AdmissionReview bytes → {@link Parsed}, within the request limits (body size, JSON nesting and
 * number length): the typed object of a kind the webhook understands, or a {@link Rejected} whose
 * reason never quotes request content except short tokens that no credential detector matches.
 * Where the uid was read before the problem was found, the rejection carries it (and the kind and
 * namespace) so the answer can still be an AdmissionReview response; a body too large or broken to
 * parse whole is read for them by {@link RequestPrefix}.
 */
final class RequestParser {
  static final String API_VERSION = "admission.k8s.io/v1";
  static final int MAX_NESTING_DEPTH = 200;
  static final int MAX_NUMBER_LENGTH = 64;

  static final ObjectMapper MAPPER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build());
  }

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

  private static final Set<String> ALL_DETECTORS = SecretDetectors.all().keySet();
  private static final Pattern SAFE_TOKEN = Pattern.compile("[A-Za-z0-9._/-]{1,63}");

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

  private final int maxRequestBytes;

  RequestParser(int maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
  }

  Parsed parse(byte[] body) throws Rejected {
    if (body == null || body.length == 0) {
      throw new Rejected(400, "empty body: expected an AdmissionReview");
    }
    if (body.length > maxRequestBytes) {
      throw RequestPrefix.read(body)
          .about(
              new Rejected(
                  413,
                  "request of "
                      + body.length
                      + " bytes exceeds the limit of "
                      + maxRequestBytes
                      + " bytes (parapet.webhook.max-request-bytes)"));
    }
    JsonNode root;
    try (var parser = MAPPER.createParser(body)) {
      try {
        root = MAPPER.readTree(parser);
      } catch (StreamConstraintsException e) {
        var loc = parser.currentLocation();
        throw RequestPrefix.read(body)
            .about(new Rejected(400, limitReason(e.getMessage()) + at(loc)));
      } catch (JsonProcessingException e) {
        var loc = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        throw RequestPrefix.read(body).about(new Rejected(400, "malformed JSON" + at(loc)));
      }
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
      var type = KINDS.get(gvk(req.path("kind")));
      var ns = req.path("namespace");
      throw e.about(
          uid,
          type == null ? "other" : type.getSimpleName(),
          ns.isTextual() ? ns.textValue() : null);
    }
  }

  /** "group/version/kind" of a request's {@code kind}, the key of {@link #KINDS}. */
  private static String gvk(JsonNode k) {
    return k.path("group").asText("")
        + "/"
        + k.path("version").asText("")
        + "/"
        + k.path("kind").asText("");
  }

  /** " at line L, column C", or nothing without a location. */
  private static String at(JsonLocation loc) {
    return loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  /** The JSON limit a {@link StreamConstraintsException} names, said in our words. */
  static String limitReason(String jacksonMessage) {
    var m = jacksonMessage == null ? "" : jacksonMessage;
    if (m.contains("nesting depth")) {
      return "JSON nested deeper than " + MAX_NESTING_DEPTH + " levels";
    }
    if (m.startsWith("Number value length") || m.contains("Number value length")) {
      return "JSON number longer than " + MAX_NUMBER_LENGTH + " characters";
    }
    if (m.contains("Name length") || m.contains("name length")) {
      return "JSON field name longer than "
          + StreamReadConstraints.DEFAULT_MAX_NAME_LEN
          + " characters";
    }
    if (m.contains("String value length") || m.contains("String length")) {
      return "JSON string longer than "
          + StreamReadConstraints.DEFAULT_MAX_STRING_LEN
          + " characters";
    }
    return "JSON exceeds a parser limit";
  }

  private Parsed parseRequest(JsonNode req, String uid) throws Rejected {
    var type = KINDS.get(gvk(req.path("kind")));
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
}
