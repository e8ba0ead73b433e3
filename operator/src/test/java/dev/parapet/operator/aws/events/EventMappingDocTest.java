package dev.parapet.operator.aws.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.operator.aws.collect.CollectorRegistry;
import dev.parapet.operator.aws.inventory.ec2.Instances;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.inventory.iam.CredentialReport;
import dev.parapet.operator.aws.inventory.s3.BucketPolicies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The event mapping table in docs/events.md and deploy/aws/events-queue-policy.json are generated
 * from the code and must match it. Regenerate with {@value #COMMAND}.
 */
class EventMappingDocTest {
  static final String COMMAND =
      "./mvnw -B -o -pl core,crds,webhook,operator test -Dtest=EventMappingDocTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dparapet.update=true";
  static final String BEGIN = "<!-- BEGIN generated: EventMapping -->\n";
  static final String END = "<!-- END generated -->";

  @Test
  void mappingTableInDocsMatchesTheCode() throws IOException {
    var file = repoRoot().resolve("docs/events.md");
    var text = Files.readString(file, StandardCharsets.UTF_8);
    var begin = text.indexOf(BEGIN);
    var end = text.indexOf(END, Math.max(0, begin));
    assertThat(begin).as("markers in docs/events.md").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    var expected =
        text.substring(0, begin + BEGIN.length()) + EventMapping.markdown() + text.substring(end);
    if (Boolean.getBoolean("parapet.update")) {
      Files.writeString(file, expected, StandardCharsets.UTF_8);
      text = expected;
    }
    assertThat(text)
        .as("docs/events.md is out of date with EventMapping; regenerate it with: %s", COMMAND)
        .isEqualTo(expected);
  }

  @Test
  void queuePolicyMatchesTheQueueActions() throws IOException {
    var json = EventMapping.queuePolicyJson();
    var node = new ObjectMapper().readTree(json);
    assertThat(node.at("/Statement/0/Action"))
        .extracting(n -> n.asText())
        .containsExactly(
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage");
    assertThat(node.at("/Statement/0/Resource/Fn::GetAtt/0").asText())
        .isEqualTo("EventQueueResource");
    var file = repoRoot().resolve("deploy/aws/events-queue-policy.json");
    if (Boolean.getBoolean("parapet.update")) {
      Files.writeString(file, json, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as("deploy/aws/events-queue-policy.json is out of date; regenerate it with: %s", COMMAND)
        .isEqualTo(json);
  }

  /** Every mapped dataset has a collector (else the re-evaluation could not re-collect it). */
  @Test
  void everyMappedDatasetHasACollector() {
    var collectors = CollectorRegistry.defaults();
    for (var e : EventMapping.entries()) {
      for (var d : e.datasets()) {
        assertThat(collectors.forType(d))
            .as(e.eventName() + " -> " + d.getSimpleName())
            .isNotNull();
      }
    }
  }

  @Test
  void commonEventsMapToTheirDatasetAndResource() throws IOException {
    var m = new ObjectMapper();
    var sg =
        m.readTree(
            "{\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"AuthorizeSecurityGroupIngress\","
                + "\"requestParameters\":{\"groupId\":\"sg-0123456789abcdef0\"}}");
    var e = EventMapping.find("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress").orElseThrow();
    assertThat(e.datasets()).containsExactly(SecurityGroups.class);
    assertThat(EventMapping.resourceIds(e, sg)).containsExactly("sg-0123456789abcdef0");

    var run =
        m.readTree(
            "{\"responseElements\":{\"instancesSet\":{\"items\":[{\"instanceId\":\"i-1\"},"
                + "{\"instanceId\":\"i-2\"}]}}}");
    var r = EventMapping.find("ec2.amazonaws.com", "RunInstances").orElseThrow();
    assertThat(r.datasets()).containsExactly(Instances.class);
    assertThat(EventMapping.resourceIds(r, run)).containsExactly("i-1", "i-2");

    var p = EventMapping.find("s3.amazonaws.com", "PutBucketPolicy").orElseThrow();
    assertThat(p.datasets()).containsExactly(BucketPolicies.class);
    assertThat(
            EventMapping.resourceIds(
                p, m.readTree("{\"requestParameters\":{\"bucketName\":\"logs\"}}")))
        .isEqualTo(Set.of("logs"));
    assertThat(
            EventMapping.find("iam.amazonaws.com", "DeactivateMFADevice").orElseThrow().datasets())
        .containsExactly(CredentialReport.class);
    assertThat(EventMapping.find("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2"))
        .isPresent();
    assertThat(EventMapping.find("ec2.amazonaws.com", "DescribeInstances")).isEmpty();
    assertThat(EventMapping.find("signin.amazonaws.com", "ConsoleLogin")).isEmpty();
  }

  static Path repoRoot() {
    var root = System.getProperty("parapet.repo.root");
    if (root != null && !root.isBlank() && !root.contains("${")) {
      return Path.of(root);
    }
    return Path.of("").toAbsolutePath().getParent();
  }
}
