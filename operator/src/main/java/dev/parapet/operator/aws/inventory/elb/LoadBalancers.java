package dev.parapet.operator.aws.inventory.elb;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.PartialErrors;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Application, Network and Gateway Load Balancers of one region (elbv2 DescribeLoadBalancers),
 * each with its listeners and attributes (DescribeListeners and DescribeLoadBalancerAttributes take
 * one load balancer each: AWS has no batch form) and tags (DescribeTags, 20 load balancers a call).
 * Only load balancers whose ARN names the scanned account are kept.
 */
@DatasetSpec(
    service = "elb",
    actions = {
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeLoadBalancerAttributes",
      "elasticloadbalancing:DescribeTags"
    })
public record LoadBalancers(List<LoadBalancer> loadBalancers, List<CollectionError> tagErrors)
    implements Dataset {

  public LoadBalancers {
    loadBalancers = List.copyOf(loadBalancers);
    tagErrors = List.copyOf(tagErrors);
  }

  @Override
  public int resourceCount() {
    return loadBalancers.size();
  }

  @Override
  public List<CollectionError> partialErrors() {
    var out =
        new ArrayList<>(
            PartialErrors.of(
                loadBalancers.stream().flatMap(l -> Stream.of(l.listeners(), l.attributes()))));
    out.addAll(tagErrors);
    return out;
  }

  /**
   * One load balancer. {@code type} is application, network or gateway; {@code attributes} are the
   * key/value pairs as returned (a key AWS did not return has its AWS default).
   */
  public record LoadBalancer(
      String name,
      String arn,
      String type,
      int availabilityZones,
      Fact<List<Listener>> listeners,
      Fact<Map<String, String>> attributes,
      Map<String, String> tags) {
    public LoadBalancer {
      tags = Tags.copy(tags);
    }

    public boolean application() {
      return "application".equals(type);
    }
  }

  /**
   * One listener. {@code redirectsToHttps} is true when a default action redirects to HTTPS; {@code
   * sslPolicy} is only meaningful for HTTPS and TLS listeners.
   */
  public record Listener(
      Integer port, String protocol, String sslPolicy, boolean redirectsToHttps) {
    public boolean tls() {
      return "HTTPS".equals(protocol) || "TLS".equals(protocol);
    }
  }
}
