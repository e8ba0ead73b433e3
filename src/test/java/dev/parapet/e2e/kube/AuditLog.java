package dev.parapet.e2e.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The API server's audit log (JSON lines, writes only: see {@link KubeCluster}). */
public final class AuditLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One write as the API server recorded it. */
  public record Write(
      String user,
      String verb,
      String resource,
      String subresource,
      String namespace,
      String name,
      int code) {
    @Override
    public String toString() {
      return verb
          + " "
          + resource
          + (subresource.isEmpty() ? "" : "/" + subresource)
          + " "
          + namespace
          + "/"
          + name
          + " -> "
          + code;
    }
  }

  private AuditLog() {}

  /** Every write recorded so far (ResponseComplete stage), in order. */
  public static List<Write> writes(KubeCluster cluster) {
    var out = new ArrayList<Write>();
    List<String> lines;
    try {
      lines = Files.exists(cluster.auditLog()) ? Files.readAllLines(cluster.auditLog()) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (var line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode event;
      try {
        event = JSON.readTree(line);
      } catch (IOException e) {
        continue; // a line being written
      }
      if (!"ResponseComplete".equals(event.path("stage").asText())) {
        continue;
      }
      var ref = event.path("objectRef");
      out.add(
          new Write(
              event.path("user").path("username").asText(),
              event.path("verb").asText(),
              ref.path("resource").asText(),
              ref.path("subresource").asText(),
              ref.path("namespace").asText(),
              ref.path("name").asText(),
              event.path("responseStatus").path("code").asInt()));
    }
    return out;
  }

  /** Writes by {@code user} to any of {@code resources} (plural names), from index {@code from}. */
  public static List<Write> writesBy(
      KubeCluster cluster, String user, Set<String> resources, int from) {
    var all = writes(cluster);
    return all.subList(Math.min(from, all.size()), all.size()).stream()
        .filter(w -> w.user().equals(user) && resources.contains(w.resource()))
        .toList();
  }

  /** The number of writes recorded so far: a mark for {@link #writesBy}. */
  public static int mark(KubeCluster cluster) {
    return writes(cluster).size();
  }

  /** Resources a scan or the audit writes. */
  public static final Set<String> POSTURE =
      Set.of("cloudaccounts", "findings", "posturepolicies", "events");
}
