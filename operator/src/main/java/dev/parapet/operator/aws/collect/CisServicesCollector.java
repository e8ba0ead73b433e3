package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.cis.AccessAnalyzers;
import dev.parapet.operator.aws.inventory.cis.ConfigRecorders;
import dev.parapet.operator.aws.inventory.cis.EfsFileSystems;
import dev.parapet.operator.aws.inventory.cis.SecurityHubState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.accessanalyzer.AccessAnalyzerClient;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.InvalidAccessException;

/**
 * Regional collectors of the CIS v5.0 account settings and EFS: one list call (paginated) per
 * region and dataset, never one per resource.
 */
public final class CisServicesCollector {

  private CisServicesCollector() {}

  public static List<Collector<?>> all() {
    return List.of(
        Collector.of(EfsFileSystems.class, CisServicesCollector::efs),
        Collector.of(ConfigRecorders.class, CisServicesCollector::configRecorders),
        Collector.of(SecurityHubState.class, CisServicesCollector::securityHub),
        Collector.of(AccessAnalyzers.class, CisServicesCollector::accessAnalyzers));
  }

  /** File systems another account owns are dropped on the returned {@code OwnerId}. */
  static EfsFileSystems efs(CollectContext ctx) {
    var out =
        ctx
            .session()
            .client(EfsClient.class, ctx.region())
            .describeFileSystemsPaginator(b -> {})
            .fileSystems()
            .stream()
            .filter(f -> Ownership.ownedBy(f.ownerId(), ctx.accountId()))
            .map(
                f -> {
                  var tags = new HashMap<String, String>();
                  f.tags().forEach(t -> tags.put(t.key(), t.value()));
                  return new EfsFileSystems.FileSystem(
                      f.fileSystemId(), f.fileSystemArn(), f.ownerId(), f.encrypted(), tags);
                })
            .toList();
    return new EfsFileSystems(out);
  }

  static ConfigRecorders configRecorders(CollectContext ctx) {
    var config = ctx.session().client(ConfigClient.class, ctx.region());
    var recorders = config.describeConfigurationRecorders(b -> {}).configurationRecorders();
    Map<String, software.amazon.awssdk.services.config.model.ConfigurationRecorderStatus> status =
        new HashMap<>();
    if (!recorders.isEmpty()) {
      config
          .describeConfigurationRecorderStatus(b -> {})
          .configurationRecordersStatus()
          .forEach(s -> status.put(s.name(), s));
    }
    return new ConfigRecorders(
        recorders.stream()
            .map(
                r -> {
                  var s = status.get(r.name());
                  return new ConfigRecorders.Recorder(
                      r.name(),
                      r.recordingGroup() != null
                          && Boolean.TRUE.equals(r.recordingGroup().allSupported()),
                      s != null && Boolean.TRUE.equals(s.recording()),
                      s == null ? null : s.lastStatusAsString());
                })
            .toList());
  }

  static SecurityHubState securityHub(CollectContext ctx) {
    try {
      var hub = ctx.session().client(SecurityHubClient.class, ctx.region()).describeHub(b -> {});
      return new SecurityHubState(hub.hubArn() != null, hub.hubArn());
    } catch (InvalidAccessException e) {
      // "Account ... is not subscribed to AWS Security Hub": the answer for a disabled hub.
      if (e.getMessage() != null && e.getMessage().contains("not subscribed")) {
        return new SecurityHubState(false, null);
      }
      throw e;
    }
  }

  static AccessAnalyzers accessAnalyzers(CollectContext ctx) {
    var out =
        ctx
            .session()
            .client(AccessAnalyzerClient.class, ctx.region())
            .listAnalyzersPaginator(b -> {})
            .analyzers()
            .stream()
            .map(
                a ->
                    new AccessAnalyzers.Analyzer(
                        a.name(), a.arn(), a.typeAsString(), a.statusAsString()))
            .toList();
    return new AccessAnalyzers(out);
  }
}
