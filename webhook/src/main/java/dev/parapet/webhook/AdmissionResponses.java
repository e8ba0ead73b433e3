package dev.parapet.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.webhook.AdmissionHandler.Result;
import dev.parapet.webhook.secrets.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the answers: AdmissionReview responses echoing the uid (allowed, denied with {@code
 * status}, warnings capped to what the API server keeps) and the {@code {code, message}} body of a
 * request that is not a usable AdmissionReview. Every message and warning passes through {@link
 * Redactor} on its way out.
 */
final class AdmissionResponses {
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

  private static final String UNCHECKED = "Parapet could not check this object: ";

  private AdmissionResponses() {}

  static Result allowed(String uid, String kind, String decision) {
    var response = responseNode(uid).put("allowed", true);
    return new Result(200, bytes(response), kind, decision);
  }

  /** The response of an evaluated request: denied when {@code deny} holds anything. */
  static Result decided(String uid, String kind, AdmissionDecision.Outcome outcome) {
    var response = responseNode(uid);
    if (!outcome.deny().isEmpty()) {
      response.put("allowed", false);
      var status = response.putObject("status");
      status.put("code", 403);
      // Without a reason kubectl prints "Error from server:" instead of "(Forbidden)".
      status.put("reason", "Forbidden");
      status.put("message", Redactor.redact(joinDeny(outcome.deny())));
    } else {
      response.put("allowed", true);
    }
    if (!outcome.warn().isEmpty()) {
      var arr = response.putArray("warnings");
      // Redacted before capping (the budget counts what is sent); read lazily, as few as shown.
      var warn = outcome.warn();
      var redacted =
          new AbstractList<String>() {
            @Override
            public String get(int i) {
              return Redactor.redact(warn.get(i));
            }

            @Override
            public int size() {
              return warn.size();
            }
          };
      capWarnings(redacted).forEach(arr::add);
    }
    return new Result(200, bytes(response), kind, outcome.decision());
  }

  /**
   * The answer for a request whose uid is known but which could not be evaluated (an object that
   * does not map to its kind, a missing object, a rule that threw): an AdmissionReview response
   * echoing the uid, never an HTTP error. Where no policy selects the namespace, nothing would have
   * been checked: allowed ("exempt"). Where a selected policy can deny (its enforcement, or a
   * per-rule override, is Deny): {@code allowed: false} with {@code status.code} and the reason.
   * Otherwise (Warn/Audit only): allowed with the reason as a warning, as a Warn policy would.
   */
  static Result unevaluated(
      String uid, String kind, AdmissionDecision.Unevaluated what, int code, String reason) {
    if (what == AdmissionDecision.Unevaluated.EXEMPT) {
      return allowed(uid, kind, "exempt");
    }
    var response = responseNode(uid);
    var message = Redactor.redact(UNCHECKED + reason);
    if (what == AdmissionDecision.Unevaluated.DENY) {
      response.put("allowed", false);
      var status = response.putObject("status");
      status.put("code", code);
      status.put("message", message);
    } else {
      response.put("allowed", true);
      response.putArray("warnings").add(message);
    }
    return new Result(200, bytes(response), kind, "rejected");
  }

  /** The {@code {code, message}} answer to a body that is not a usable AdmissionReview. */
  static Result error(int status, String reason) {
    var node = JsonNodeFactory.instance.objectNode();
    node.put("code", status);
    node.put("message", Redactor.redact(reason));
    try {
      return new Result(
          status, RequestParser.MAPPER.writeValueAsBytes(node), "invalid", "rejected");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
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

  private static byte[] bytes(ObjectNode response) {
    var root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", RequestParser.API_VERSION);
    root.put("kind", "AdmissionReview");
    root.set("response", response);
    try {
      return RequestParser.MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
