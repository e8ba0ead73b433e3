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
 * that describes several), with each cluster's EKS Pod Identity associations
 * (ListPodIdentityAssociations per cluster, then DescribePodIdentityAssociation per association for
 * its role ARN), which the cross-plane attack paths join to ServiceAccounts.
 */
@DatasetSpec(
    service = "eks",
    actions = {
      "eks:ListClusters",
      "eks:DescribeCluster",
      "eks:ListPodIdentityAssociations",
      "eks:DescribePodIdentityAssociation"
    })
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
    return PartialErrors.of(
        clusters.stream()
            .flatMap(
                c ->
                    java.util.stream.Stream.<Fact<?>>concat(
                        java.util.stream.Stream.of(c.details(), c.podIdentity()),
                        c.podIdentity() instanceof dev.parapet.operator.aws.inventory.Known<?>
                            ? c.podIdentityAssociations().stream()
                                .map(PodIdentityAssociation::roleArn)
                            : java.util.stream.Stream.empty())));
  }

  /** One cluster by name, with what DescribeCluster returned and its Pod Identity associations. */
  public record Cluster(
      String name, Fact<Details> details, Fact<List<PodIdentityAssociation>> podIdentity) {

    /** The associations when known, else none. */
    public List<PodIdentityAssociation> podIdentityAssociations() {
      return podIdentity
              instanceof dev.parapet.operator.aws.inventory.Known<List<PodIdentityAssociation>> k
          ? k.value()
          : List.of();
    }
  }

  /**
   * One EKS Pod Identity association: the ServiceAccount it names and the role it gives it
   * (DescribePodIdentityAssociation; unknown when that call failed).
   */
  public record PodIdentityAssociation(
      String associationId, String namespace, String serviceAccount, Fact<String> roleArn) {}

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
