package dev.parapet.e2e.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.e2e.chart.ChartSupport;
import dev.parapet.operator.cloudaccount.StatusAggregator;
import dev.parapet.operator.policy.PosturePolicyReconciler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health checks in deploy/argocd, run as Argo CD runs them (the object as the global
 * {@code obj}, the script returns {@code {status, message}}) on objects shaped as the operator
 * writes them: the condition types and reasons come from the operator's own constants where it has
 * them. Argo CD runs Lua 5.1 (gopher-lua); this runs LuaJ (5.2), and the scripts use only what both
 * have.
 */
class ArgoCdHealthTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path DIR = ChartSupport.REPO_ROOT.resolve("deploy/argocd");

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          no status yet                 | 1 | -  | -       | -                  | Progressing | Waiting
          generation not yet observed   | 2 | 1  | True    | Scanned            | Progressing | Waiting
          first scan running            | 1 | 1  | Unknown | Scanning           | Progressing | Scanning
          scanned                       | 1 | 1  | True    | Scanned            | Healthy     | Scanned
          scanned with errors           | 1 | 1  | True    | ScannedWithErrors  | Healthy     | ScannedWithErrors
          suspended                     | 1 | 1  | False   | Suspended          | Suspended   | Suspended
          credentials refused           | 1 | 1  | False   | CredentialsInvalid | Degraded    | CredentialsInvalid
          a duplicate account           | 1 | 1  | False   | DuplicateAccount   | Degraded    | DuplicateAccount
          a spec the operator refuses   | 1 | 1  | False   | InvalidSpec        | Degraded    | InvalidSpec
          """)
  void cloudAccount(
      String caseName,
      long generation,
      String observed,
      String ready,
      String reason,
      String health,
      String messageStart)
      throws IOException {
    var yaml =
        """
        apiVersion: parapet.dev/v1alpha1
        kind: CloudAccount
        metadata: {name: prod, namespace: team-a, generation: %d}
        spec: {accountId: "123456789012", regions: [us-east-1]}
        """
            .formatted(generation);
    if (!"-".equals(observed)) {
      yaml +=
          """
          status:
            observedGeneration: %s
            conditions:
              - {type: %s, status: "True", reason: Verified, message: "credentials resolved"}
              - {type: %s, status: "%s", reason: %s, message: "what the operator said"}
          """
              .formatted(
                  observed,
                  StatusAggregator.CREDENTIALS_VALID,
                  StatusAggregator.READY,
                  ready,
                  reason);
    }
    var result = run("cloudaccount-health.lua", yaml);
    assertThat(result.get("status")).as(caseName).isEqualTo(health);
    assertThat(result.get("message")).as(caseName).startsWith(messageStart);
    if (!"-".equals(observed) && !"Progressing".equals(health) || "Unknown".equals(ready)) {
      assertThat(result.get("message")).contains("what the operator said");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          no status yet               | 1 | -  | -     | Progressing
          generation not yet observed | 3 | 2  | True  | Progressing
          accepted                    | 2 | 2  | True  | Healthy
          rejected                    | 2 | 2  | False | Degraded
          """)
  void posturePolicy(
      String caseName, long generation, String observed, String accepted, String health)
      throws IOException {
    var yaml =
        """
        apiVersion: parapet.dev/v1alpha1
        kind: PosturePolicy
        metadata: {name: baseline, generation: %d}
        spec: {}
        """
            .formatted(generation);
    if (!"-".equals(observed)) {
      yaml +=
          """
          status:
            observedGeneration: %s
            conditions:
              - {type: %s, status: "%s", reason: %s, message: "%s"}
          """
              .formatted(
                  observed,
                  PosturePolicyReconciler.ACCEPTED,
                  accepted,
                  Condition.TRUE.equals(accepted) ? "Valid" : "InvalidSpec",
                  Condition.TRUE.equals(accepted)
                      ? "accepted: 12 rules enabled, 1 accounts matched"
                      : "spec.exceptions[0].rules[0]: unknown rule aws-nope");
    }
    var result = run("posturepolicy-health.lua", yaml);
    assertThat(result.get("status")).as(caseName).isEqualTo(health);
    if ("Healthy".equals(health)) {
      assertThat(result.get("message")).startsWith("accepted: 12 rules");
    }
    if ("Degraded".equals(health)) {
      assertThat(result.get("message")).contains("unknown rule aws-nope");
    }
  }

  /** Runs {@code script} with {@code obj} as Argo CD does; returns {status, message}. */
  private static Map<String, String> run(String script, String objectYaml) throws IOException {
    var globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(YAML.readTree(objectYaml)));
    var chunk = globals.load(Files.readString(DIR.resolve(script)), script);
    var hs = chunk.call();
    assertThat(hs.istable()).as(script + " returns a table").isTrue();
    var status = hs.get("status");
    assertThat(status.isstring()).as("status is set").isTrue();
    assertThat(status.tojstring())
        .isIn("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");
    var message = hs.get("message");
    return Map.of(
        "status", status.tojstring(), "message", message.isnil() ? "" : message.tojstring());
  }

  /** A JSON tree as the Lua value Argo CD builds from the object (tables, strings, numbers). */
  private static LuaValue lua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      var table = new LuaTable();
      node.fields().forEachRemaining(e -> table.set(e.getKey(), lua(e.getValue())));
      return table;
    }
    if (node.isArray()) {
      var table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }
}
