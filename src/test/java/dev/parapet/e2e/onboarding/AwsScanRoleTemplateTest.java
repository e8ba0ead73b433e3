package dev.parapet.e2e.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/aws/parapet-scan-role.yaml: trusts one principal only with an ExternalId, grants only
 * read-only actions, and grants exactly deploy/aws/iam-policy.json (the generated minimal policy);
 * only when asked (SecurityHubExport=true), it adds exactly
 * deploy/aws/securityhub-export-policy.json as a separate policy. Both policy blocks are generated,
 * and rewritten by the same mechanism.
 */
class AwsScanRoleTemplateTest {

  private static final Path AWS_DIR = repoRoot().resolve("deploy/aws");
  private static final Path TEMPLATE = AWS_DIR.resolve("parapet-scan-role.yaml");
  private static final Path POLICY = AWS_DIR.resolve("iam-policy.json");
  private static final Path EXPORT_POLICY = AWS_DIR.resolve("securityhub-export-policy.json");
  private static final String BEGIN = "# BEGIN generated from deploy/aws/iam-policy.json";
  private static final String EXPORT_BEGIN =
      "# BEGIN generated from deploy/aws/securityhub-export-policy.json";
  private static final Path WRITE_POLICY = AWS_DIR.resolve("remediation-policy.json");
  private static final String WRITE_BEGIN =
      "# BEGIN generated from deploy/aws/remediation-policy.json";
  private static final String END = "# END generated";
  private static final Path EVENTS_POLICY = AWS_DIR.resolve("events-queue-policy.json");
  private static final String EVENTS_BEGIN =
      "# BEGIN generated from deploy/aws/events-queue-policy.json";
  private static final Pattern READ_ONLY_ACTION =
      Pattern.compile("^[a-z0-9-]+:(Describe|Get|List)[A-Za-z0-9]+$");

  @Test
  void roleTrustsOnlyTheGivenPrincipalAndRequiresTheExternalId() throws IOException {
    var template = template();
    Map<String, Object> parameters = map(template.get("Parameters"));
    Map<String, Object> externalId = map(parameters.get("ExternalId"));
    assertThat(externalId).doesNotContainKey("Default").containsEntry("NoEcho", true);
    assertThat(((Number) externalId.get("MinLength")).intValue()).isGreaterThanOrEqualTo(2);
    assertThat(map(parameters.get("TrustedPrincipalArn"))).doesNotContainKey("Default");

    var trust = map(role(template).get("AssumeRolePolicyDocument"));
    List<Object> statements = list(trust.get("Statement"));
    assertThat(statements).hasSize(1);
    Map<String, Object> statement = map(statements.get(0));
    assertThat(statement)
        .containsEntry("Effect", "Allow")
        .containsEntry("Action", "sts:AssumeRole")
        .doesNotContainKeys("NotPrincipal", "NotAction");
    assertThat(map(statement.get("Principal")))
        .containsExactly(Map.entry("AWS", Map.of("Ref", "TrustedPrincipalArn")));
    assertThat(map(statement.get("Condition")))
        .containsExactly(
            Map.entry("StringEquals", Map.of("sts:ExternalId", Map.of("Ref", "ExternalId"))));
  }

  @Test
  void permissionsAreReadOnlyAndNamedOneByOne() throws IOException {
    var policies = list(role(template()).get("Policies"));
    assertThat(policies).hasSize(1);
    var document = map(map(policies.get(0)).get("PolicyDocument"));
    var actions = new ArrayList<String>();
    for (var s : list(document.get("Statement"))) {
      Map<String, Object> statement = map(s);
      assertThat(statement)
          .containsEntry("Effect", "Allow")
          .doesNotContainKeys("NotAction", "NotResource");
      actions.addAll(strings(statement.get("Action")));
    }
    assertThat(actions).isNotEmpty();
    assertThat(actions)
        .allSatisfy(
            a ->
                assertThat(
                        READ_ONLY_ACTION.matcher(a).matches()
                            || a.equals("iam:GenerateCredentialReport"))
                    .as("read-only action without wildcard: " + a)
                    .isTrue());
    assertThat(role(template())).doesNotContainKeys("ManagedPolicyArns", "PermissionsBoundary");
  }

  @Test
  void permissionsEqualTheGeneratedPolicy() throws IOException {
    checkGenerated(
        POLICY,
        BEGIN,
        () -> map(map(list(role(template()).get("Policies")).get(0)).get("PolicyDocument")));
  }

  @Test
  void exportPermissionsEqualTheGeneratedExportPolicy() throws IOException {
    checkGenerated(
        EXPORT_POLICY, EXPORT_BEGIN, () -> map(exportPolicy(template()).get("PolicyDocument")));
  }

  /**
   * The export policy is opt-in (a parameter that defaults to false), attached to the scan role as
   * a policy of its own, and grants only the import into a default product, never on "*".
   */
  @Test
  void theExportPolicyIsSeparateAndOffByDefault() throws IOException {
    var template = template();
    Map<String, Object> parameter = map(map(template.get("Parameters")).get("SecurityHubExport"));
    assertThat(parameter).containsEntry("Default", "false");
    assertThat(strings(parameter.get("AllowedValues"))).containsExactlyInAnyOrder("false", "true");
    assertThat(map(template.get("Conditions")).get("ExportToSecurityHub"))
        .isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "SecurityHubExport"), "true")));
    var resource = map(map(template.get("Resources")).get("SecurityHubExportPolicy"));
    assertThat(resource)
        .containsEntry("Type", "AWS::IAM::RolePolicy")
        .containsEntry("Condition", "ExportToSecurityHub");
    var policy = exportPolicy(template);
    assertThat(policy.get("RoleName")).isEqualTo(Map.of("Ref", "ScanRole"));
    for (var s : list(map(policy.get("PolicyDocument")).get("Statement"))) {
      Map<String, Object> statement = map(s);
      assertThat(statement).containsEntry("Effect", "Allow");
      assertThat(strings(statement.get("Action")))
          .allSatisfy(a -> assertThat(a).startsWith("securityhub:BatchImportFindings"));
      assertThat(strings(statement.get("Resource")))
          .allSatisfy(r -> assertThat(r).startsWith("arn:aws:securityhub:").endsWith("/default"));
    }
  }

  /**
   * The scan role's policy on the event queue equals deploy/aws/events-queue-policy.json
   * (EventMappingDocTest generates it). Its Resource is a CloudFormation reference, which the
   * string-only normalisation of the other blocks does not take, so the documents are compared
   * whole; copy the file's document into the block when it changes.
   */
  @Test
  void eventQueuePermissionsEqualTheGeneratedPolicy() throws IOException {
    Map<String, Object> generated =
        map(Serialization.unmarshal(Files.readString(EVENTS_POLICY), Map.class));
    var inTemplate =
        map(
            map(map(map(template().get("Resources")).get("EventQueueReadPolicy")).get("Properties"))
                .get("PolicyDocument"));
    assertThat(inTemplate)
        .as("the EventQueueReadPolicy block (%s) equals %s", EVENTS_BEGIN, EVENTS_POLICY)
        .isEqualTo(generated);
  }

  /**
   * The event queue is opt-in; the scan role may only read it (four SQS actions on that queue),
   * only the rule may send to it, it has a dead-letter queue, and the rule covers the event sources
   * of every mapped event (plus sign-in) with scalar-only pattern fields.
   */
  @Test
  void theEventQueueIsOptInReadOnlyAndCoversTheMappedServices() throws IOException {
    var template = template();
    Map<String, Object> parameter = map(map(template.get("Parameters")).get("EventQueue"));
    assertThat(parameter).containsEntry("Default", "false");
    Map<String, Object> resources = map(template.get("Resources"));
    for (var name :
        List.of(
            "EventDeadLetterQueue",
            "EventQueueResource",
            "EventRule",
            "EventQueuePolicy",
            "EventQueueReadPolicy")) {
      assertThat(map(resources.get(name))).as(name).containsEntry("Condition", "CreateEventQueue");
    }
    var read =
        map(
            map(map(resources.get("EventQueueReadPolicy")).get("Properties"))
                .get("PolicyDocument"));
    for (var s : list(read.get("Statement"))) {
      Map<String, Object> statement = map(s);
      assertThat(strings(statement.get("Action")))
          .containsExactlyInAnyOrder(
              "sqs:ReceiveMessage",
              "sqs:DeleteMessage",
              "sqs:ChangeMessageVisibility",
              "sqs:GetQueueAttributes");
      assertThat(statement.get("Resource"))
          .isEqualTo(Map.of("Fn::GetAtt", List.of("EventQueueResource", "Arn")));
    }
    var queue = map(map(resources.get("EventQueueResource")).get("Properties"));
    assertThat(map(queue.get("RedrivePolicy")).get("deadLetterTargetArn"))
        .isEqualTo(Map.of("Fn::GetAtt", List.of("EventDeadLetterQueue", "Arn")));
    var send =
        map(
            list(map(map(map(resources.get("EventQueuePolicy")).get("Properties"))
                        .get("PolicyDocument"))
                    .get("Statement"))
                .get(0));
    assertThat(send).containsEntry("Action", "sqs:SendMessage");
    assertThat(map(send.get("Principal"))).containsEntry("Service", "events.amazonaws.com");
    assertThat(map(map(send.get("Condition")).get("ArnEquals")))
        .containsEntry("aws:SourceArn", Map.of("Fn::GetAtt", List.of("EventRule", "Arn")));
    var pattern = map(map(map(resources.get("EventRule")).get("Properties")).get("EventPattern"));
    var expected = new java.util.TreeSet<String>();
    dev.parapet.operator.aws.events.EventMapping.eventSources()
        .forEach(s -> expected.add("aws." + s.replace(".amazonaws.com", "")));
    expected.add("aws.signin");
    assertThat(new java.util.TreeSet<>(strings(pattern.get("source")))).isEqualTo(expected);
  }

  /**
   * A policy document in the template equals the generated JSON file it is made from; with {@code
   * -Dparapet.aws.regenerate=true} the block after {@code begin} is rewritten from the file.
   */
  private static void checkGenerated(Path file, String begin, DocumentReader inTemplate)
      throws IOException {
    var name = file.getFileName().toString();
    assertThat(file)
        .as("the IAM policy generated by the build (CatalogueDriftTest writes %s)", name)
        .exists();
    Map<String, Object> generated = map(Serialization.unmarshal(Files.readString(file), Map.class));
    var current = inTemplate.read();
    if (normalize(generated).equals(normalize(current))) {
      return;
    }
    if (Boolean.getBoolean("parapet.aws.regenerate")) {
      regenerate(begin, generated);
      assertThat(normalize(inTemplate.read())).isEqualTo(normalize(generated));
      return;
    }
    fail(
        "a policy in deploy/aws/parapet-scan-role.yaml differs from deploy/aws/"
            + name
            + ".\nonly in "
            + name
            + ": "
            + difference(generated, current)
            + "\nonly in the template:    "
            + difference(current, generated)
            + "\nFix: ./mvnw -B -pl src/test -am verify -Dtest=AwsScanRoleTemplateTest"
            + " -Dparapet.aws.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false");
  }

  private interface DocumentReader {
    Map<String, Object> read() throws IOException;
  }

  /** Statements with Action/Resource as sorted sets, so order and string-vs-list do not matter. */
  private static List<Map<String, Object>> normalize(Map<String, Object> document) {
    var out = new ArrayList<Map<String, Object>>();
    for (var s : list(document.get("Statement"))) {
      var statement = new LinkedHashMap<>(map(s));
      for (var key : List.of("Action", "NotAction", "Resource", "NotResource")) {
        if (statement.containsKey(key)) {
          statement.put(key, new TreeSet<>(strings(statement.get(key))));
        }
      }
      out.add(statement);
    }
    out.sort((a, b) -> String.valueOf(a.get("Sid")).compareTo(String.valueOf(b.get("Sid"))));
    return out;
  }

  private static TreeSet<String> allActions(Map<String, Object> document) {
    var actions = new TreeSet<String>();
    for (var s : list(document.get("Statement"))) {
      actions.addAll(strings(map(s).get("Action")));
    }
    return actions;
  }

  private static String difference(Map<String, Object> a, Map<String, Object> b) {
    var only = allActions(a);
    only.removeAll(allActions(b));
    return only.isEmpty() ? "(no actions; Sid/Effect/Resource/Condition differ)" : only.toString();
  }

  /**
   * The optional remediation write role: created only when EnableRemediationRole is "true", trusts
   * exactly what the scan role trusts (one principal, with the ExternalId), and grants exactly
   * deploy/aws/remediation-policy.json, generated from the remediation actions
   * (RemediationDriftTest writes it).
   */
  @Test
  void theWriteRoleIsOptionalTrustsTheSamePrincipalAndGrantsTheGeneratedPolicy()
      throws IOException {
    var template = template();
    Map<String, Object> parameters = map(template.get("Parameters"));
    assertThat(map(parameters.get("EnableRemediationRole"))).containsEntry("Default", "false");
    var resource = map(map(template.get("Resources")).get("RemediationRole"));
    assertThat(resource)
        .containsEntry("Type", "AWS::IAM::Role")
        .containsEntry("Condition", "CreateRemediationRole");
    assertThat(map(map(template.get("Conditions")).get("CreateRemediationRole")))
        .containsExactly(
            Map.entry("Fn::Equals", List.of(Map.of("Ref", "EnableRemediationRole"), "true")));
    var write = map(resource.get("Properties"));
    assertThat(write.get("AssumeRolePolicyDocument"))
        .isEqualTo(role(template).get("AssumeRolePolicyDocument"));
    assertThat(write).doesNotContainKeys("ManagedPolicyArns", "PermissionsBoundary");
    assertThat(WRITE_POLICY).as("RemediationDriftTest writes it").exists();
    checkGenerated(WRITE_POLICY, WRITE_BEGIN, () -> writePolicy(template()));
    var inTemplate = writePolicy(template());
    // no wildcard actions: each action is named
    assertThat(allActions(inTemplate))
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a).doesNotContain("*"));
  }

  /**
   * deploy/aws/parapet-organization.yaml: its StackSet deploys the member role template itself (no
   * copy to drift), passes only parameters that template declares and every one it requires, and
   * its organization read role grants exactly deploy/aws/organization-policy.json (generated from
   * OrganizationLister.IAM_ACTIONS by CatalogueDriftTest), trusting the same principal with the
   * ExternalId.
   */
  @Test
  void theOrganizationTemplateDeploysTheMemberRoleTemplateAndTheGeneratedReadPolicy()
      throws IOException {
    Map<String, Object> org =
        map(
            Serialization.unmarshal(
                Files.readString(AWS_DIR.resolve("parapet-organization.yaml")), Map.class));
    Map<String, Object> resources = map(org.get("Resources"));
    var stackSet = map(map(resources.get("MemberRoleStackSet")).get("Properties"));
    assertThat(stackSet)
        .containsEntry("PermissionModel", "SERVICE_MANAGED")
        .containsEntry("TemplateURL", Map.of("Ref", "MemberRoleTemplateUrl"))
        .doesNotContainKey("TemplateBody");
    assertThat(map(stackSet.get("AutoDeployment"))).containsEntry("Enabled", true);
    Map<String, Object> memberParameters = map(template().get("Parameters"));
    var passed = new TreeSet<String>();
    for (var p : list(stackSet.get("Parameters"))) {
      passed.add((String) map(p).get("ParameterKey"));
    }
    assertThat(memberParameters.keySet()).containsAll(passed);
    var required = new TreeSet<String>();
    memberParameters.forEach(
        (name, spec) -> {
          if (!map(spec).containsKey("Default")) {
            required.add(name);
          }
        });
    assertThat(passed).containsAll(required);

    var role = map(map(resources.get("OrganizationReadRole")).get("Properties"));
    assertThat(role.get("AssumeRolePolicyDocument"))
        .isEqualTo(role(template()).get("AssumeRolePolicyDocument"));
    Map<String, Object> generated =
        map(
            Serialization.unmarshal(
                Files.readString(AWS_DIR.resolve("organization-policy.json")), Map.class));
    var inTemplate = map(map(list(role.get("Policies")).get(0)).get("PolicyDocument"));
    assertThat(normalize(inTemplate))
        .as("deploy/aws/parapet-organization.yaml grants deploy/aws/organization-policy.json")
        .isEqualTo(normalize(generated));
    assertThat(allActions(inTemplate))
        .allSatisfy(a -> assertThat(READ_ONLY_ACTION.matcher(a).matches()).as(a).isTrue());
  }

  private static Map<String, Object> writePolicy(Map<String, Object> template) {
    var write = map(map(map(template.get("Resources")).get("RemediationRole")).get("Properties"));
    return map(map(list(write.get("Policies")).get(0)).get("PolicyDocument"));
  }

  private static void regenerate(String marker, Map<String, Object> generated) throws IOException {
    var text = Files.readString(TEMPLATE);
    var begin = text.indexOf(marker);
    var end = text.indexOf(END, Math.max(0, begin));
    if (begin < 0 || end < begin) {
      throw new IllegalStateException("generated-block markers missing in " + TEMPLATE);
    }
    var blockStart = text.indexOf("PolicyDocument:", begin);
    var indent = " ".repeat(blockStart - text.lastIndexOf('\n', blockStart) - 1);
    var yaml = Serialization.asYaml(generated).replaceFirst("^---\\n", "");
    var body = new StringBuilder(indent).append("PolicyDocument:\n");
    yaml.lines().forEach(l -> body.append(indent).append("  ").append(l).append('\n'));
    var endLineStart = text.lastIndexOf('\n', end) + 1;
    Files.writeString(
        TEMPLATE,
        text.substring(0, text.lastIndexOf('\n', blockStart) + 1)
            + body
            + text.substring(endLineStart));
  }

  private static Map<String, Object> template() throws IOException {
    return map(Serialization.unmarshal(Files.readString(TEMPLATE), Map.class));
  }

  private static Map<String, Object> exportPolicy(Map<String, Object> template) {
    var policy = map(map(template.get("Resources")).get("SecurityHubExportPolicy"));
    return map(policy.get("Properties"));
  }

  private static Map<String, Object> role(Map<String, Object> template) {
    var role = map(map(template.get("Resources")).get("ScanRole"));
    assertThat(role).containsEntry("Type", "AWS::IAM::Role");
    return map(role.get("Properties"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return (List<Object>) o;
  }

  private static List<String> strings(Object o) {
    if (o instanceof String s) {
      return List.of(s);
    }
    return list(o).stream().map(String::valueOf).toList();
  }

  private static Path repoRoot() {
    var fromMaven = System.getProperty("parapet.repo.root");
    if (fromMaven != null) {
      return Path.of(fromMaven);
    }
    for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("deploy/aws"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the repository root (deploy/aws)");
  }
}
