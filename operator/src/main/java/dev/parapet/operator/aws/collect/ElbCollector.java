package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.elb.ClassicLoadBalancers;
import dev.parapet.operator.aws.inventory.elb.LoadBalancers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.elasticloadbalancing.ElasticLoadBalancingClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * ELB collectors: elbv2 (Application, Network, Gateway) and Classic. One paginated list call per
 * region, DescribeTags for up to 20 load balancers a call, and, per load balancer, the calls AWS
 * only offers one load balancer at a time (elbv2 DescribeListeners and both services'
 * DescribeLoadBalancerAttributes).
 */
public final class ElbCollector {
  static final int TAG_BATCH = 20;

  private ElbCollector() {}

  public static List<Collector<?>> all() {
    return List.of(
        Collector.of(LoadBalancers.class, ElbCollector::loadBalancers),
        Collector.of(ClassicLoadBalancers.class, ElbCollector::classic));
  }

  static LoadBalancers loadBalancers(CollectContext ctx) {
    var elb = ctx.session().client(ElasticLoadBalancingV2Client.class, ctx.region());
    var calls = new PerResourceCalls(ctx, "elb");
    var listed =
        elb.describeLoadBalancersPaginator(b -> b.pageSize(400)).loadBalancers().stream()
            .filter(l -> Ownership.arnOwnedBy(l.loadBalancerArn(), ctx.accountId()))
            .toList();
    var tags = new HashMap<String, Map<String, String>>();
    var tagErrors = new ArrayList<CollectionError>();
    batches(
        listed.stream().map(l -> l.loadBalancerArn()).toList(),
        batch -> {
          try {
            elb.describeTags(b -> b.resourceArns(batch))
                .tagDescriptions()
                .forEach(
                    d -> {
                      var m = new HashMap<String, String>();
                      d.tags().forEach(t -> m.put(t.key(), t.value()));
                      tags.put(d.resourceArn(), m);
                    });
          } catch (RuntimeException e) {
            tagErrors.add(Failures.classify(e, "elb", ctx.region(), "DescribeTags"));
          }
        });
    var out = new ArrayList<LoadBalancers.LoadBalancer>();
    for (var l : listed) {
      var arn = l.loadBalancerArn();
      var listeners =
          calls.read(
              "DescribeListeners",
              "load balancer " + l.loadBalancerName(),
              () ->
                  elb.describeListenersPaginator(b -> b.loadBalancerArn(arn)).listeners().stream()
                      .map(
                          li ->
                              new LoadBalancers.Listener(
                                  li.port(),
                                  li.protocolAsString(),
                                  li.sslPolicy(),
                                  li.defaultActions().stream()
                                      .anyMatch(
                                          a ->
                                              "redirect".equals(a.typeAsString())
                                                  && a.redirectConfig() != null
                                                  && "HTTPS"
                                                      .equalsIgnoreCase(
                                                          a.redirectConfig().protocol()))))
                      .toList());
      var attributes =
          calls.read(
              "DescribeLoadBalancerAttributes",
              "load balancer " + l.loadBalancerName(),
              () -> {
                var m = new HashMap<String, String>();
                elb.describeLoadBalancerAttributes(b -> b.loadBalancerArn(arn))
                    .attributes()
                    .forEach(a -> m.put(a.key(), a.value()));
                return Map.copyOf(m);
              });
      out.add(
          new LoadBalancers.LoadBalancer(
              l.loadBalancerName(),
              arn,
              l.typeAsString(),
              l.availabilityZones() == null ? 0 : l.availabilityZones().size(),
              listeners,
              attributes,
              tags.getOrDefault(arn, Map.of())));
    }
    return new LoadBalancers(out, tagErrors);
  }

  static ClassicLoadBalancers classic(CollectContext ctx) {
    var elb = ctx.session().client(ElasticLoadBalancingClient.class, ctx.region());
    var calls = new PerResourceCalls(ctx, "elb");
    var listed =
        elb.describeLoadBalancersPaginator(b -> b.pageSize(400)).loadBalancerDescriptions();
    var all =
        new ArrayList<
            software.amazon.awssdk.services.elasticloadbalancing.model.LoadBalancerDescription>();
    listed.forEach(all::add);
    var tags = new HashMap<String, Map<String, String>>();
    var tagErrors = new ArrayList<CollectionError>();
    batches(
        all.stream().map(l -> l.loadBalancerName()).toList(),
        batch -> {
          try {
            elb.describeTags(b -> b.loadBalancerNames(batch))
                .tagDescriptions()
                .forEach(
                    d -> {
                      var m = new HashMap<String, String>();
                      d.tags().forEach(t -> m.put(t.key(), t.value()));
                      tags.put(d.loadBalancerName(), m);
                    });
          } catch (RuntimeException e) {
            tagErrors.add(Failures.classify(e, "elb", ctx.region(), "DescribeTags"));
          }
        });
    var out = new ArrayList<ClassicLoadBalancers.ClassicLoadBalancer>();
    for (var l : all) {
      var name = l.loadBalancerName();
      var listeners =
          l.listenerDescriptions().stream()
              .filter(d -> d.listener() != null)
              .map(
                  d ->
                      new ClassicLoadBalancers.Listener(
                          d.listener().protocol(),
                          d.listener().loadBalancerPort(),
                          d.listener().sslCertificateId()))
              .toList();
      var attributes =
          calls.read(
              "DescribeLoadBalancerAttributes",
              "load balancer " + name,
              () -> {
                var a =
                    elb.describeLoadBalancerAttributes(b -> b.loadBalancerName(name))
                        .loadBalancerAttributes();
                String desync = null;
                if (a.additionalAttributes() != null) {
                  desync =
                      a.additionalAttributes().stream()
                          .filter(x -> "elb.http.desyncmitigationmode".equals(x.key()))
                          .map(x -> x.value())
                          .findFirst()
                          .orElse(null);
                }
                return new ClassicLoadBalancers.Attributes(
                    a.accessLog() != null && Boolean.TRUE.equals(a.accessLog().enabled()),
                    a.connectionDraining() != null
                        && Boolean.TRUE.equals(a.connectionDraining().enabled()),
                    a.crossZoneLoadBalancing() != null
                        && Boolean.TRUE.equals(a.crossZoneLoadBalancing().enabled()),
                    desync);
              });
      out.add(
          new ClassicLoadBalancers.ClassicLoadBalancer(
              name,
              l.availabilityZones() == null ? 0 : l.availabilityZones().size(),
              listeners,
              attributes,
              tags.getOrDefault(name, Map.of())));
    }
    calls.finish();
    return new ClassicLoadBalancers(out, tagErrors);
  }

  private static void batches(List<String> keys, Consumer<List<String>> call) {
    for (var i = 0; i < keys.size(); i += TAG_BATCH) {
      call.accept(keys.subList(i, Math.min(keys.size(), i + TAG_BATCH)));
    }
  }
}
