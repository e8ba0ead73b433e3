package dev.parapet.operator.aws.inventory.ecr;

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
 * The ECR private repositories of one region (DescribeRepositories), each with its repository
 * policy and whether it has a lifecycle policy (GetRepositoryPolicy and GetLifecyclePolicy per
 * repository: AWS has no batch form), plus the region's registry scanning configuration
 * (GetRegistryScanningConfiguration, once). Only repositories of the scanned account's registry are
 * kept.
 */
@DatasetSpec(
    service = "ecr",
    actions = {
      "ecr:DescribeRepositories",
      "ecr:GetRepositoryPolicy",
      "ecr:GetLifecyclePolicy",
      "ecr:GetRegistryScanningConfiguration"
    })
public record Repositories(List<Repository> repositories, Fact<RegistryScanning> registryScanning)
    implements Dataset {

  public Repositories {
    repositories = List.copyOf(repositories);
  }

  @Override
  public int resourceCount() {
    return repositories.size();
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PartialErrors.of(
        Stream.concat(
            Stream.of(registryScanning),
            repositories.stream().flatMap(r -> Stream.of(r.policy(), r.lifecyclePolicy()))));
  }

  /** One repository; {@code tagMutability} as returned (MUTABLE, IMMUTABLE, ...). */
  public record Repository(
      String name,
      String arn,
      boolean scanOnPush,
      String tagMutability,
      Fact<Optional<PolicyDocument>> policy,
      Fact<Boolean> lifecyclePolicy) {}

  /** The registry's scanning type (BASIC / ENHANCED) and its rules. */
  public record RegistryScanning(String scanType, List<ScanRule> rules) {
    public RegistryScanning {
      rules = List.copyOf(rules);
    }
  }

  /** A registry scanning rule: SCAN_ON_PUSH, CONTINUOUS_SCAN or MANUAL, for wildcard filters. */
  public record ScanRule(String frequency, List<String> wildcardFilters) {
    public ScanRule {
      wildcardFilters = List.copyOf(wildcardFilters);
    }
  }
}
