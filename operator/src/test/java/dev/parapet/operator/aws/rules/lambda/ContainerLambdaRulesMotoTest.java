package dev.parapet.operator.aws.rules.lambda;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.LogType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.TracingMode;

/** Lambda, ECR and EKS rules against moto: violators and hardened twins in one region. */
class ContainerLambdaRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();
  static final String REGION = "us-east-2";
  static ScanReport report;

  static SdkBytes zip() {
    var out = new ByteArrayOutputStream();
    try (var zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("index.py"));
      zip.write("def handler(event, context):\n    return None\n".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return SdkBytes.fromByteArray(out.toByteArray());
  }

  @BeforeAll
  static void seedAndScan() {
    var seed = new AwsSeed(MOTO.server());
    try (var iam = seed.iam();
        var lambda = seed.client(LambdaClient.builder(), REGION);
        var ecr = seed.client(EcrClient.builder(), REGION);
        var eks = seed.client(EksClient.builder(), REGION)) {
      var role =
          iam.createRole(b -> b.roleName("fn-role").assumeRolePolicyDocument("{}")).role().arn();
      lambda.createFunction(
          b ->
              b.functionName("open-old")
                  .runtime(Runtime.PYTHON3_8)
                  .role(role)
                  .handler("index.handler")
                  .code(c -> c.zipFile(zip())));
      lambda.addPermission(
          b ->
              b.functionName("open-old")
                  .statementId("anyone")
                  .action("lambda:InvokeFunction")
                  .principal("*"));
      lambda.createFunctionUrlConfig(
          b -> b.functionName("open-old").authType(FunctionUrlAuthType.NONE));
      lambda.createFunction(
          b ->
              b.functionName("private-new")
                  .runtime(Runtime.PYTHON3_12)
                  .role(role)
                  .handler("index.handler")
                  .tracingConfig(t -> t.mode(TracingMode.ACTIVE))
                  .code(c -> c.zipFile(zip())));
      lambda.addPermission(
          b ->
              b.functionName("private-new")
                  .statementId("bucket")
                  .action("lambda:InvokeFunction")
                  .principal("s3.amazonaws.com")
                  .sourceAccount("123456789012"));
      lambda.createFunctionUrlConfig(
          b -> b.functionName("private-new").authType(FunctionUrlAuthType.AWS_IAM));
      lambda.createFunction(
          b ->
              b.functionName("star-with-account")
                  .runtime(Runtime.PYTHON3_12)
                  .role(role)
                  .handler("index.handler")
                  .code(c -> c.zipFile(zip())));
      // Principal "*" pinned to one source account: not public.
      lambda.addPermission(
          b ->
              b.functionName("star-with-account")
                  .statementId("pinned")
                  .action("lambda:InvokeFunction")
                  .principal("*")
                  .sourceAccount("123456789012"));

      ecr.createRepository(b -> b.repositoryName("mutable-open"));
      ecr.setRepositoryPolicy(
          b ->
              b.repositoryName("mutable-open")
                  .policyText(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"pull\","
                          + "\"Effect\":\"Allow\",\"Principal\":\"*\","
                          + "\"Action\":[\"ecr:BatchGetImage\"]}]}"));
      ecr.createRepository(
          b ->
              b.repositoryName("hardened")
                  .imageTagMutability(ImageTagMutability.IMMUTABLE)
                  .imageScanningConfiguration(s -> s.scanOnPush(true)));
      ecr.setRepositoryPolicy(
          b ->
              b.repositoryName("hardened")
                  .policyText(
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"partner\","
                          + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                          + "\"arn:aws:iam::111122223333:root\"},"
                          + "\"Action\":[\"ecr:BatchGetImage\"]}]}"));
      ecr.putLifecyclePolicy(
          b ->
              b.repositoryName("hardened")
                  .lifecyclePolicyText(
                      "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\","
                          + "\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\","
                          + "\"countNumber\":14},\"action\":{\"type\":\"expire\"}}]}"));

      // moto's defaults: version 1.19, endpoint flags absent (AWS: public), no encryption, no logs.
      eks.createCluster(
          b ->
              b.name("old-open")
                  .roleArn(role)
                  .resourcesVpcConfig(v -> v.subnetIds("subnet-0example1")));
      eks.createCluster(
          b ->
              b.name("hardened")
                  .version("1.34")
                  .roleArn(role)
                  .resourcesVpcConfig(
                      v ->
                          v.subnetIds("subnet-0example1")
                              .endpointPublicAccess(false)
                              .endpointPrivateAccess(true))
                  .encryptionConfig(
                      e ->
                          e.resources("secrets")
                              .provider(
                                  p ->
                                      p.keyArn(
                                          "arn:aws:kms:us-east-2:123456789012:key/"
                                              + "1234abcd-12ab-34cd-56ef-1234567890ab")))
                  .logging(
                      l ->
                          l.clusterLogging(
                              s -> s.types(LogType.AUDIT, LogType.API).enabled(true))));
    }
    var ids =
        RuleRegistry.defaults().rules().stream()
            .map(r -> r.id())
            .filter(
                id ->
                    id.startsWith("aws-lambda-")
                        || id.startsWith("aws-ecr-")
                        || id.startsWith("aws-eks-"))
            .toArray(String[]::new);
    // moto has no EKS Pod Identity API (404): each cluster's association list is a canned
    // empty answer, so the scan reads it as AWS would for a cluster without associations.
    try (var proxy = new dev.parapet.testing.MotoProxy(MOTO.server())) {
      for (var cluster : List.of("old-open", "hardened")) {
        proxy.answer(
            "eks",
            "GET /clusters/" + cluster + "/pod-identity-associations",
            200,
            "application/json",
            "{\"associations\":[]}");
      }
      report =
          MotoScans.scan(
              proxy.endpoint(), List.of(REGION), CloudPolicy.only(ids), MotoScans.testSettings());
    }
  }

  @Test
  void nothingIsUnknown() {
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void lambdaRules() {
    assertThat(failedIds(report, "aws-lambda-function-public")).containsExactly("open-old");
    assertThat(passedIds(report, "aws-lambda-function-public"))
        .containsExactlyInAnyOrder("private-new", "star-with-account");
    assertThat(failedIds(report, "aws-lambda-function-url-auth-none")).containsExactly("open-old");
    // A function without a URL gets no verdict.
    assertThat(passedIds(report, "aws-lambda-function-url-auth-none"))
        .containsExactly("private-new");
    assertThat(failedIds(report, "aws-lambda-runtime-deprecated")).containsExactly("open-old");
    assertThat(passedIds(report, "aws-lambda-runtime-deprecated"))
        .containsExactlyInAnyOrder("private-new", "star-with-account");
    assertThat(failedIds(report, "aws-lambda-tracing-off"))
        .containsExactlyInAnyOrder("open-old", "star-with-account");
    assertThat(passedIds(report, "aws-lambda-tracing-off")).containsExactly("private-new");
  }

  @Test
  void ecrRules() {
    for (var rule :
        List.of(
            "aws-ecr-scan-on-push-off",
            "aws-ecr-tags-mutable",
            "aws-ecr-no-lifecycle-policy",
            "aws-ecr-repository-public")) {
      assertThat(failedIds(report, rule)).as(rule).containsExactly("mutable-open");
      assertThat(passedIds(report, rule)).as(rule).containsExactly("hardened");
    }
  }

  @Test
  void eksRules() {
    for (var rule :
        List.of(
            "aws-eks-endpoint-public",
            "aws-eks-version-unsupported",
            "aws-eks-secrets-unencrypted",
            "aws-eks-audit-logging-off")) {
      assertThat(failedIds(report, rule)).as(rule).containsExactly("old-open");
      assertThat(passedIds(report, rule)).as(rule).containsExactly("hardened");
    }
  }

  @Test
  void perResourceCallsOnlyWhereAwsHasNoBatchForm() {
    assertThat(report.apiCalls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("sts:GetCallerIdentity", 1L),
                Map.entry("lambda:ListFunctions", 1L),
                Map.entry("lambda:GetPolicy", 3L),
                Map.entry("lambda:GetFunctionUrlConfig", 3L),
                Map.entry("eks:ListPodIdentityAssociations", 2L),
                Map.entry("ecr:DescribeRepositories", 1L),
                Map.entry("ecr:GetRepositoryPolicy", 2L),
                Map.entry("ecr:GetLifecyclePolicy", 2L),
                Map.entry("ecr:GetRegistryScanningConfiguration", 1L),
                Map.entry("eks:ListClusters", 1L),
                Map.entry("eks:DescribeCluster", 2L)));
  }
}
