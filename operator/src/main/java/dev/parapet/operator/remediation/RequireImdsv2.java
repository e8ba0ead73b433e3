package dev.parapet.operator.remediation;

import dev.parapet.operator.aws.collect.AwsSession;
import java.util.LinkedHashMap;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ModifyInstanceMetadataOptionsRequest;

/**
 * Sets {@code HttpTokens=required} on one instance and nothing else: the endpoint, hop limit and
 * tags-in-metadata settings are not sent, so AWS keeps them.
 */
public final class RequireImdsv2 implements RemediationAction {

  @Override
  public String id() {
    return "ec2-require-imdsv2";
  }

  @Override
  public String ruleId() {
    return "aws-ec2-imdsv2-not-required";
  }

  @Override
  public List<String> iamActions() {
    return List.of("ec2:DescribeInstances", "ec2:ModifyInstanceMetadataOptions");
  }

  @Override
  public String summary() {
    return "Sets HttpTokens=required on the instance (IMDSv2 only); the endpoint, hop limit and"
        + " instance-tags settings are not sent and stay as they are.";
  }

  @Override
  public String undo() {
    return "ModifyInstanceMetadataOptions HttpTokens=optional. Software on the instance that still"
        + " uses IMDSv1 (old SDKs, scripts calling curl without a token) fails at once.";
  }

  @Override
  public Plan plan(AwsSession session, Target target) {
    var instance = read(session, target);
    var tags = new LinkedHashMap<String, String>();
    instance.tags().forEach(t -> tags.put(t.key(), t.value()));
    var before = describe(instance);
    var options = instance.metadataOptions();
    if (options != null && options.httpTokens() == HttpTokensState.REQUIRED) {
      return Plan.skip("HttpTokens is already required", before, tags);
    }
    var request =
        ModifyInstanceMetadataOptionsRequest.builder()
            .instanceId(instance.instanceId())
            .httpTokens(HttpTokensState.REQUIRED)
            .build();
    return Plan.call(
        Calls.render(
            "ec2:ModifyInstanceMetadataOptions",
            "ec2 modify-instance-metadata-options",
            target.region(),
            "instance-id",
            instance.instanceId(),
            "http-tokens",
            "required"),
        before,
        tags,
        request);
  }

  @Override
  public String apply(AwsSession session, Target target, Plan plan) {
    session
        .client(Ec2Client.class, target.region())
        .modifyInstanceMetadataOptions((ModifyInstanceMetadataOptionsRequest) plan.request());
    return describe(read(session, target));
  }

  private static Instance read(AwsSession session, Target target) {
    return session
        .client(Ec2Client.class, target.region())
        .describeInstances(r -> r.instanceIds(target.resourceId()))
        .reservations()
        .stream()
        .flatMap(r -> r.instances().stream())
        .filter(i -> target.resourceId().equals(i.instanceId()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException("instance " + target.resourceId() + " was not returned"));
  }

  private static String describe(Instance i) {
    var o = i.metadataOptions();
    if (o == null) {
      return "no metadata options returned";
    }
    // "name value" rather than "name=value": the one Redactor masks any value after a name
    // containing "token" and a separator, and these values are no secrets
    return "HttpTokens "
        + o.httpTokensAsString()
        + ", HttpEndpoint "
        + o.httpEndpointAsString()
        + ", HttpPutResponseHopLimit "
        + o.httpPutResponseHopLimit();
  }
}
