package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import dev.parapet.operator.aws.inventory.ecr.Repositories;
import dev.parapet.operator.aws.inventory.eks.Clusters;
import dev.parapet.operator.aws.inventory.lambda.Functions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryPolicyNotFoundException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * ECR, EKS and Lambda collectors. Each lists with the service's batch call, then makes the
 * per-resource calls AWS offers no batch form for (repository and lifecycle policies,
 * DescribeCluster, function policy and URL config). A per-resource failure makes that resource
 * UNKNOWN only; "no policy" and "no URL" answers are known states.
 */
public final class ContainerLambdaCollector {
  private ContainerLambdaCollector() {}

  public static List<Collector<?>> all() {
    return List.of(
        Collector.of(Repositories.class, ContainerLambdaCollector::repositories),
        Collector.of(Clusters.class, ContainerLambdaCollector::clusters),
        Collector.of(Functions.class, ContainerLambdaCollector::functions));
  }

  static Repositories repositories(CollectContext ctx) {
    var ecr = ctx.session().client(EcrClient.class, ctx.region());
    var calls = new PerResourceCalls(ctx, "ecr");
    var out = new ArrayList<Repositories.Repository>();
    for (var r : ecr.describeRepositoriesPaginator(b -> b.maxResults(1000)).repositories()) {
      if (!Ownership.ownedBy(r.registryId(), ctx.accountId())) {
        continue;
      }
      var name = r.repositoryName();
      Fact<Optional<PolicyDocument>> policy =
          calls.read(
              "GetRepositoryPolicy",
              "repository " + name,
              () -> {
                try {
                  var text = ecr.getRepositoryPolicy(b -> b.repositoryName(name)).policyText();
                  return text == null || text.isBlank()
                      ? Optional.empty()
                      : Optional.of(PolicyDocuments.parse(text));
                } catch (RepositoryPolicyNotFoundException e) {
                  return Optional.empty();
                }
              });
      Fact<Boolean> lifecycle =
          calls.read(
              "GetLifecyclePolicy",
              "repository " + name,
              () -> {
                try {
                  var text =
                      ecr.getLifecyclePolicy(b -> b.repositoryName(name)).lifecyclePolicyText();
                  return text != null && !text.isBlank();
                } catch (LifecyclePolicyNotFoundException e) {
                  return false;
                }
              });
      out.add(
          new Repositories.Repository(
              name,
              r.repositoryArn(),
              r.imageScanningConfiguration() != null
                  && Boolean.TRUE.equals(r.imageScanningConfiguration().scanOnPush()),
              r.imageTagMutabilityAsString(),
              policy,
              lifecycle));
    }
    Fact<Repositories.RegistryScanning> scanning =
        calls.read(
            "GetRegistryScanningConfiguration",
            "registry",
            () -> {
              var c = ecr.getRegistryScanningConfiguration(b -> {}).scanningConfiguration();
              var rules = new ArrayList<Repositories.ScanRule>();
              if (c != null && c.rules() != null) {
                for (var rule : c.rules()) {
                  var filters = new ArrayList<String>();
                  if (rule.repositoryFilters() != null) {
                    rule.repositoryFilters().stream()
                        .filter(f -> "WILDCARD".equals(f.filterTypeAsString()))
                        .forEach(f -> filters.add(f.filter()));
                  }
                  rules.add(new Repositories.ScanRule(rule.scanFrequencyAsString(), filters));
                }
              }
              return new Repositories.RegistryScanning(
                  c == null ? null : c.scanTypeAsString(), rules);
            });
    return new Repositories(out, scanning);
  }

  static Clusters clusters(CollectContext ctx) {
    var eks = ctx.session().client(EksClient.class, ctx.region());
    var calls = new PerResourceCalls(ctx, "eks");
    var out = new ArrayList<Clusters.Cluster>();
    for (var name : eks.listClustersPaginator(b -> b.maxResults(100)).clusters()) {
      out.add(
          new Clusters.Cluster(
              name,
              calls.read(
                  "DescribeCluster",
                  "cluster " + name,
                  () -> {
                    var c = eks.describeCluster(b -> b.name(name)).cluster();
                    var vpc = c.resourcesVpcConfig();
                    var logTypes = new HashSet<String>();
                    if (c.logging() != null && c.logging().clusterLogging() != null) {
                      c.logging().clusterLogging().stream()
                          .filter(l -> Boolean.TRUE.equals(l.enabled()))
                          .forEach(l -> logTypes.addAll(l.typesAsStrings()));
                    }
                    var secrets =
                        c.encryptionConfig() != null
                            && c.encryptionConfig().stream()
                                .anyMatch(
                                    e ->
                                        e.resources() != null
                                            && e.resources().contains("secrets")
                                            && e.provider() != null
                                            && e.provider().keyArn() != null);
                    return new Clusters.Details(
                        c.arn(),
                        c.version(),
                        vpc == null ? null : vpc.endpointPublicAccess(),
                        vpc == null || !vpc.hasPublicAccessCidrs() ? null : vpc.publicAccessCidrs(),
                        secrets,
                        logTypes,
                        c.tags() == null ? java.util.Map.of() : c.tags());
                  }),
              podIdentity(eks, calls, name)));
    }
    calls.finish();
    return new Clusters(out);
  }

  /**
   * A cluster's Pod Identity associations: the list gives namespace and ServiceAccount, the role
   * ARN needs one DescribePodIdentityAssociation per association.
   */
  private static Fact<List<Clusters.PodIdentityAssociation>> podIdentity(
      software.amazon.awssdk.services.eks.EksClient eks, PerResourceCalls calls, String cluster) {
    Fact<List<software.amazon.awssdk.services.eks.model.PodIdentityAssociationSummary>> listed =
        calls.read(
            "ListPodIdentityAssociations",
            "cluster " + cluster,
            () ->
                List.copyOf(
                    eks
                        .listPodIdentityAssociationsPaginator(
                            b -> b.clusterName(cluster).maxResults(100))
                        .associations()
                        .stream()
                        .toList()));
    if (listed instanceof dev.parapet.operator.aws.inventory.Unknown<?> u) {
      return Fact.unknown(u.error());
    }
    var out = new ArrayList<Clusters.PodIdentityAssociation>();
    for (var a :
        ((dev.parapet.operator.aws.inventory.Known<
                    List<software.amazon.awssdk.services.eks.model.PodIdentityAssociationSummary>>)
                listed)
            .value()) {
      Fact<String> role =
          calls.read(
              "DescribePodIdentityAssociation",
              "pod identity association " + a.associationId() + " of cluster " + cluster,
              () ->
                  eks.describePodIdentityAssociation(
                          b -> b.clusterName(cluster).associationId(a.associationId()))
                      .association()
                      .roleArn());
      out.add(
          new Clusters.PodIdentityAssociation(
              a.associationId(), a.namespace(), a.serviceAccount(), role));
    }
    return Fact.known(out);
  }

  static Functions functions(CollectContext ctx) {
    var lambda = ctx.session().client(LambdaClient.class, ctx.region());
    var calls = new PerResourceCalls(ctx, "lambda");
    var out = new ArrayList<Functions.Function>();
    for (var f : lambda.listFunctionsPaginator(b -> b.maxItems(50)).functions()) {
      if (!Ownership.arnOwnedBy(f.functionArn(), ctx.accountId())) {
        continue;
      }
      var name = f.functionName();
      Fact<Optional<PolicyDocument>> policy =
          calls.read(
              "GetPolicy",
              "function " + name,
              () -> {
                try {
                  var text = lambda.getPolicy(b -> b.functionName(name)).policy();
                  return text == null || text.isBlank()
                      ? Optional.empty()
                      : Optional.of(PolicyDocuments.parse(text));
                } catch (ResourceNotFoundException e) {
                  return Optional.empty(); // no resource policy
                }
              });
      Fact<Optional<String>> url =
          calls.read(
              "GetFunctionUrlConfig",
              "function " + name,
              () -> {
                try {
                  return Optional.ofNullable(
                      lambda.getFunctionUrlConfig(b -> b.functionName(name)).authTypeAsString());
                } catch (ResourceNotFoundException e) {
                  return Optional.empty(); // no function URL
                }
              });
      out.add(
          new Functions.Function(
              name,
              f.functionArn(),
              f.runtimeAsString(),
              f.packageTypeAsString(),
              f.tracingConfig() == null ? null : f.tracingConfig().modeAsString(),
              policy,
              url));
    }
    return new Functions(out);
  }
}
