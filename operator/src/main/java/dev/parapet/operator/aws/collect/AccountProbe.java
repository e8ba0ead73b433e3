package dev.parapet.operator.aws.collect;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsRequest;
import software.amazon.awssdk.services.sts.StsClient;

/** The calls every scan makes before collecting: who am I (STS) and which regions are enabled. */
public final class AccountProbe {
  private AccountProbe() {}

  /** The caller identity: account id and ARN. */
  public record Identity(String accountId, String arn) {}

  public static Identity identity(AwsSession session) {
    try (var bound = session.bind()) {
      var response = session.client(StsClient.class).getCallerIdentity(b -> {});
      return new Identity(response.account(), response.arn());
    } catch (RuntimeException e) {
      throw new ProbeException(
          Failures.classify(e, "sts", session.homeRegion(), "GetCallerIdentity"), e);
    }
  }

  /**
   * The account's regions as DescribeRegions with {@code AllRegions=true} lists them: {@code
   * enabled} (opted in or not requiring opt-in) and {@code disabled} (not opted in), each sorted. A
   * region in neither is unknown to the account's partition.
   */
  public record Regions(List<String> enabled, List<String> disabled) {
    public Regions {
      enabled = List.copyOf(enabled);
      disabled = List.copyOf(disabled);
    }
  }

  /** The account's enabled and disabled regions (one DescribeRegions call). */
  public static Regions regions(AwsSession session) {
    try (var bound = session.bind()) {
      var response =
          session
              .client(Ec2Client.class, session.homeRegion())
              .describeRegions(DescribeRegionsRequest.builder().allRegions(true).build());
      var enabled = new ArrayList<String>();
      var disabled = new ArrayList<String>();
      for (var r : response.regions()) {
        (notOptedIn(r.optInStatus()) ? disabled : enabled).add(r.regionName());
      }
      enabled.sort(null);
      disabled.sort(null);
      return new Regions(enabled, disabled);
    } catch (RuntimeException e) {
      throw new ProbeException(
          Failures.classify(e, "ec2", session.homeRegion(), "DescribeRegions"), e);
    }
  }

  /**
   * Whether the SDK's own partition metadata names this region (no call): a region it does not know
   * has no endpoint to send the first call to, so another home region must be used.
   */
  public static boolean knownToSdk(String region) {
    return Region.regions().stream().anyMatch(r -> r.id().equals(region));
  }

  private static boolean notOptedIn(String status) {
    return "not-opted-in".equals(status);
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
            .client(Ec2Client.class, session.homeRegion())
            .describeRegions(DescribeRegionsRequest.builder().allRegions(false).build());
    return response.regions().stream()
        .filter(r -> !notOptedIn(r.optInStatus()))
        .map(r -> r.regionName())
        .sorted()
        .toList();
  }
}
