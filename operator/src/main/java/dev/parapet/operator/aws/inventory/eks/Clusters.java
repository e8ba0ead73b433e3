package dev.parapet.operator.aws.inventory.eks;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.PartialErrors;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The EKS clusters of one region (ListClusters, then DescribeCluster per cluster: AWS has no call
 * that describes several).
 */
@DatasetSpec(
    service = "eks",
    actions = {"eks:ListClusters", "eks:DescribeCluster"})
public record Clusters(List<Cluster> clusters) implements Dataset {

  public Clusters {
    clusters = List.copyOf(clusters);
  }

  @Override
  public int resourceCount() {
    return clusters.size();
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PartialErrors.of(clusters.stream().map(Cluster::details));
  }

  /** One cluster by name, with what DescribeCluster returned. */
  public record Cluster(String name, Fact<Details> details) {}

  /**
   * {@code endpointPublicAccess} and {@code publicAccessCidrs} are null when not returned (AWS's
   * defaults are true and 0.0.0.0/0); {@code enabledLogTypes} the control-plane log types turned
   * on.
   */
  public record Details(
      String arn,
      String version,
      Boolean endpointPublicAccess,
      List<String> publicAccessCidrs,
      boolean secretsEncrypted,
      Set<String> enabledLogTypes,
      Map<String, String> tags) {
    public Details {
      publicAccessCidrs = publicAccessCidrs == null ? null : List.copyOf(publicAccessCidrs);
      enabledLogTypes = Set.copyOf(enabledLogTypes);
      tags = Tags.copy(tags);
    }
  }
}
