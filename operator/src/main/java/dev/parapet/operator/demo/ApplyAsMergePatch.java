package dev.parapet.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;

/**
 * The Fabric8 mock server for {@code ./parapet demo}'s fallback (no Kubernetes binaries): it
 * answers server-side apply patches with 415, while the packaged operator writes status and
 * finalizers with server-side apply. This dispatcher merges an apply document into the stored
 * object as a JSON merge patch (RFC 7386) and hands the result to the mock as an update (PUT) of
 * the same path, so the mock's own status-subresource, resourceVersion and watch-event handling
 * apply.
 *
 * <p>Partial by design, and only for the demo: no field ownership, no conflicts, a field the
 * applier stops sending is kept rather than removed, and an apply of an object that does not exist
 * gets 404 (the operator never creates objects with apply). The real API server tier (src/test
 * e2e/kube) is where apply is proven.
 */
final class ApplyAsMergePatch extends KubernetesCrudDispatcher {

  private static final ObjectMapper JSON = new ObjectMapper();

  ApplyAsMergePatch() {
    super(List.of());
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    var contentType = request.getHeader("Content-Type");
    if (contentType == null
        || !contentType.startsWith(PatchType.SERVER_SIDE_APPLY.getContentType())) {
      return super.handlePatch(request);
    }
    var path = withoutQuery(request.getPath());
    var stored = findResource(getKey(objectPath(path)));
    if (stored == null) {
      return new MockResponse().setResponseCode(404);
    }
    try {
      var current = JSON.readTree(stored.getValue());
      var merged = asUpdate(current, request.getUtf8Body());
      var body = JSON.writeValueAsBytes(merged);
      var headers =
          request
              .getHeaders()
              .newBuilder()
              .set("Content-Type", "application/json")
              .set("Content-Length", String.valueOf(body.length))
              .build();
      return handleUpdate(
          new RecordedRequest(
              request.getHttpVersion(), HttpMethod.PUT, path, headers, new Buffer(body)));
    } catch (java.io.IOException | RuntimeException e) {
      return new MockResponse().setResponseCode(400).setBody(String.valueOf(e.getMessage()));
    }
  }

  /**
   * The stored object with the apply document merged in (JSON merge patch), and the stored
   * resourceVersion unless the document names one (then the mock checks it, as the API server
   * does).
   */
  static JsonNode asUpdate(JsonNode current, String applyDocument) throws java.io.IOException {
    var document = JSON.valueToTree(Serialization.unmarshal(applyDocument, Map.class));
    var merged = merge(current.deepCopy(), document);
    if (!document.path("metadata").has("resourceVersion")
        && current.path("metadata").has("resourceVersion")) {
      ((ObjectNode) merged.get("metadata"))
          .set("resourceVersion", current.path("metadata").get("resourceVersion"));
    }
    return merged;
  }

  /** RFC 7386: objects merge key by key, null removes, anything else replaces. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    var out = target != null && target.isObject() ? (ObjectNode) target : JSON.createObjectNode();
    patch
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isNull()) {
                out.remove(e.getKey());
              } else {
                out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
              }
            });
    return out;
  }

  private static String withoutQuery(String path) {
    var query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private static String objectPath(String path) {
    return path.endsWith("/status") ? path.substring(0, path.length() - "/status".length()) : path;
  }
}
