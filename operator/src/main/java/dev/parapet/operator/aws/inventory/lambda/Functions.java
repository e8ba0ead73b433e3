package dev.parapet.operator.aws.inventory.lambda;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.PartialErrors;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Lambda functions of one region (ListFunctions), each with its resource policy (GetPolicy) and
 * function URL auth type (GetFunctionUrlConfig): one call each per function, as AWS has no batch
 * form (ListFunctionUrlConfigs is per function too). Only functions whose ARN names the scanned
 * account are kept.
 */
@DatasetSpec(
    service = "lambda",
    actions = {"lambda:ListFunctions", "lambda:GetPolicy", "lambda:GetFunctionUrlConfig"})
public record Functions(List<Function> functions) implements Dataset {

  public Functions {
    functions = List.copyOf(functions);
  }

  @Override
  public int resourceCount() {
    return functions.size();
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PartialErrors.of(
        functions.stream().flatMap(f -> Stream.of(f.policy(), f.urlAuthType())));
  }

  /**
   * One function. {@code runtime} is null for container images; {@code tracingMode} is Active or
   * PassThrough; {@code urlAuthType} is empty without a function URL.
   */
  public record Function(
      String name,
      String arn,
      String runtime,
      String packageType,
      String tracingMode,
      Fact<Optional<PolicyDocument>> policy,
      Fact<Optional<String>> urlAuthType) {}
}
