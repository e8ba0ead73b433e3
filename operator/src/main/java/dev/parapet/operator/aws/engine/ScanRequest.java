package dev.parapet.operator.aws.engine;

import dev.parapet.operator.aws.collect.CredentialSource;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One scan of one AWS account. {@code regions} empty means every enabled region
 * (ec2:DescribeRegions); {@code endpointOverride} (nullable) is used for every service; {@code
 * homeRegion} is where STS and global services are called.
 */
public record ScanRequest(
    String accountId,
    List<String> regions,
    CredentialSource credentials,
    URI endpointOverride,
    String homeRegion,
    CloudPolicy policy) {

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

  public ScanRequest {
    if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
      throw new IllegalArgumentException("accountId must be 12 digits, got " + accountId);
    }
    regions = regions == null ? List.of() : List.copyOf(regions);
    for (var r : regions) {
      if (!REGION.matcher(r).matches()) {
        throw new IllegalArgumentException("regions: '" + r + "' is not an AWS region name");
      }
    }
    credentials = credentials == null ? new CredentialSource.DefaultChain() : credentials;
    homeRegion =
        homeRegion == null || homeRegion.isBlank()
            ? (regions.isEmpty() ? "us-east-1" : regions.get(0))
            : homeRegion;
    policy = policy == null ? CloudPolicy.defaults() : policy;
    Objects.requireNonNull(credentials);
  }

  /** A request with the default chain, no override and the default policy. */
  public static ScanRequest of(String accountId, List<String> regions) {
    return new ScanRequest(accountId, regions, null, null, null, null);
  }

  public ScanRequest withCredentials(CredentialSource source) {
    return new ScanRequest(accountId, regions, source, endpointOverride, homeRegion, policy);
  }

  public ScanRequest withEndpoint(URI endpoint) {
    return new ScanRequest(accountId, regions, credentials, endpoint, homeRegion, policy);
  }

  public ScanRequest withPolicy(CloudPolicy newPolicy) {
    return new ScanRequest(
        accountId, regions, credentials, endpointOverride, homeRegion, newPolicy);
  }
}
