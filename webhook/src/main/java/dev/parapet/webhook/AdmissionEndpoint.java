package dev.parapet.webhook;

import dev.parapet.webhook.policy.PolicyStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.time.Clock;

/**
 * {@code POST /validate} (AdmissionReview v1) and the benchmark baseline {@code /validate-noop}.
 */
@Path("/")
public class AdmissionEndpoint {
  static final java.nio.file.Path SA_NAMESPACE =
      java.nio.file.Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private final AdmissionHandler handler;

  public AdmissionEndpoint(WebhookConfig config, PolicyStore store, AdmissionMetrics metrics) {
    this.handler =
        new AdmissionHandler(
            store::current,
            store::namespaceLabels,
            ownNamespace(config),
            config.maxRequestBytes(),
            metrics,
            Clock.systemUTC(),
            config.reviewBudgetMillis(),
            System::nanoTime);
  }

  static String ownNamespace(WebhookConfig config) {
    if (config.ownNamespace().isPresent()) {
      return config.ownNamespace().get();
    }
    try {
      if (Files.isReadable(SA_NAMESPACE)) {
        return Files.readString(SA_NAMESPACE).strip();
      }
    } catch (java.io.IOException e) {
      // fall through to the chart's namespace
    }
    return "parapet-system";
  }

  @POST
  @Path("validate")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response validate(byte[] body) {
    return respond(handler.validate(body));
  }

  /**
   * Benchmark baseline only: parses the AdmissionReview exactly like {@code /validate} and answers
   * allowed without checking anything. Never register it in a webhook configuration.
   */
  @POST
  @Path("validate-noop")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response noop(byte[] body) {
    return respond(handler.noop(body));
  }

  private static Response respond(AdmissionHandler.Result r) {
    return Response.status(r.status()).entity(r.body()).type(MediaType.APPLICATION_JSON).build();
  }
}
