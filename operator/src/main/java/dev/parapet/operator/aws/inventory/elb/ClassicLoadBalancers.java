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

/**
 * The Classic Load Balancers of one region (elb DescribeLoadBalancers, which returns the
 * listeners), each with its attributes (DescribeLoadBalancerAttributes, one load balancer a call:
 * AWS has no batch form) and tags (DescribeTags, 20 load balancers a call).
 */
@DatasetSpec(
    service = "elb",
    actions = {
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeLoadBalancerAttributes",
      "elasticloadbalancing:DescribeTags"
    })
public record ClassicLoadBalancers(
    List<ClassicLoadBalancer> loadBalancers, List<CollectionError> tagErrors) implements Dataset {

  public ClassicLoadBalancers {
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
            PartialErrors.of(loadBalancers.stream().map(ClassicLoadBalancer::attributes)));
    out.addAll(tagErrors);
    return out;
  }

  /** One Classic Load Balancer. */
  public record ClassicLoadBalancer(
      String name,
      int availabilityZones,
      List<Listener> listeners,
      Fact<Attributes> attributes,
      Map<String, String> tags) {
    public ClassicLoadBalancer {
      listeners = List.copyOf(listeners);
      tags = Tags.copy(tags);
    }
  }

  /** A listener: front-end protocol (HTTP, HTTPS, TCP, SSL), port and certificate id. */
  public record Listener(String protocol, Integer port, String certificateId) {
    public boolean tls() {
      return "HTTPS".equalsIgnoreCase(protocol) || "SSL".equalsIgnoreCase(protocol);
    }
  }

  /** The attributes judged; {@code desyncMitigationMode} is null when not returned. */
  public record Attributes(
      boolean accessLogs,
      boolean connectionDraining,
      boolean crossZone,
      String desyncMitigationMode) {}
}
