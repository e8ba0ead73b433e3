package dev.parapet.operator.aws.collect;

import java.util.List;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsRequest;

/** The calls every scan makes before collecting: who am I (STS) and which regions are enabled. */
public final class AccountProbe {
  private AccountProbe() {}

  /** The caller identity: account id and ARN. */
  public record Identity(String accountId, String arn) {}

  public static Identity identity(AwsSession session) {
    try (var bound = session.bind()) {
      var response = session.sts().getCallerIdentity(b -> {});
      return new Identity(response.account(), response.arn());
    } catch (RuntimeException e) {
      throw new ProbeException(
          Failures.classify(e, "sts", session.homeRegion(), "GetCallerIdentity"), e);
    }
  }

  /** Regions enabled for the account (opted in or not requiring opt-in), sorted by name. */
  public static List<String> enabledRegions(AwsSession session) {
    try (var bound = session.bind()) {
      return describeRegions(session);
    } catch (RuntimeException e) {
      throw new ProbeException(
          Failures.classify(e, "ec2", session.homeRegion(), "DescribeRegions"), e);
    }
  }

  private static List<String> describeRegions(AwsSession session) {
    var response =
        session
            .ec2(session.homeRegion())
            .describeRegions(DescribeRegionsRequest.builder().allRegions(false).build());
    return response.regions().stream()
        .filter(r -> r.optInStatus() == null || !"not-opted-in".equals(r.optInStatus()))
        .map(r -> r.regionName())
        .sorted()
        .toList();
  }
}
