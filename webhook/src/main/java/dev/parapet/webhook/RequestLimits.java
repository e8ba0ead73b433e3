package dev.parapet.webhook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;

/**
 * Checks on {@code /validate} and {@code /validate-noop} made from the headers, before the body is
 * read: a declared {@code Content-Length} over {@code parapet.webhook.max-request-bytes} gets 413
 * and a {@code Content-Type} that is not JSON gets 415, each with the documented {@code {code,
 * message}} body (without this, a body over the HTTP layer's own limit got a 413 with an empty
 * body). A request without {@code Content-Type} is read as JSON. Bodies sent without a length
 * (chunked) are bounded by the handler's own size check, and beyond {@code
 * quarkus.http.limits.max-body-size} by the HTTP layer (413, empty body); the API server always
 * sends a length.
 */
@ApplicationScoped
public class RequestLimits {
  private final long maxRequestBytes;
  private final AdmissionMetrics metrics;

  public RequestLimits(WebhookConfig config, AdmissionMetrics metrics) {
    this.maxRequestBytes = config.maxRequestBytes();
    this.metrics = metrics;
  }

  void install(@Observes Router router) {
    router.routeWithRegex("/validate(-noop)?").order(-100).handler(this::check);
  }

  void check(RoutingContext ctx) {
    var reason = reject(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE), length(ctx));
    if (reason == null) {
      ctx.next();
      return;
    }
    metrics.decided("invalid", "rejected", List.of(), 0);
    var body = JsonNodeFactory.instance.objectNode();
    body.put("code", reason.status());
    body.put("message", reason.message());
    ctx.response()
        .setStatusCode(reason.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(body.toString());
  }

  private static long length(RoutingContext ctx) {
    var h = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (h == null) {
      return -1;
    }
    try {
      return Long.parseLong(h.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  record Reason(int status, String message) {}

  /** The 413/415 for these headers, or null to go on. */
  Reason reject(String contentType, long contentLength) {
    if (contentType != null && !isJson(contentType)) {
      return new Reason(
          415,
          "Content-Type "
              + RequestParser.safe(mediaType(contentType))
              + " is not supported: send application/json");
    }
    if (contentLength > maxRequestBytes) {
      return new Reason(
          413,
          "request of "
              + contentLength
              + " bytes exceeds the limit of "
              + maxRequestBytes
              + " bytes (parapet.webhook.max-request-bytes)");
    }
    return null;
  }

  private static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  static boolean isJson(String contentType) {
    var m = mediaType(contentType);
    return m.equals("application/json") || (m.startsWith("application/") && m.endsWith("+json"));
  }
}
