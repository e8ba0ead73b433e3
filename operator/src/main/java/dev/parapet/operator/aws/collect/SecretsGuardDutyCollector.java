package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Ownership;
import dev.parapet.operator.aws.inventory.PolicyDocument;
import dev.parapet.operator.aws.inventory.guardduty.Detectors;
import dev.parapet.operator.aws.inventory.secretsmanager.SecretPolicies;
import dev.parapet.operator.aws.inventory.secretsmanager.Secrets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * Secrets Manager (ListSecrets, shared by both datasets; GetResourcePolicy per secret) and
 * GuardDuty (ListDetectors, GetDetector per detector) collectors.
 */
public final class SecretsGuardDutyCollector {
  static final int PAGE = 100;

  private SecretsGuardDutyCollector() {}

  public static List<Collector<?>> all() {
    return List.of(
        Collector.of(Secrets.class, SecretsGuardDutyCollector::secrets),
        Collector.of(SecretPolicies.class, SecretsGuardDutyCollector::secretPolicies),
        Collector.of(Detectors.class, SecretsGuardDutyCollector::detectors));
  }

  /** The account's secrets as listed, read once per scan and region for both datasets. */
  private static List<SecretListEntry> listed(CollectContext ctx) {
    return ctx.session()
        .shared(
            "secretsmanager/ListSecrets/" + ctx.region(),
            () ->
                ctx
                    .session()
                    .client(SecretsManagerClient.class, ctx.region())
                    .listSecretsPaginator(b -> b.maxResults(PAGE))
                    .stream()
                    .flatMap(page -> page.secretList().stream())
                    .filter(s -> Ownership.arnOwnedBy(s.arn(), ctx.accountId()))
                    .toList());
  }

  static Secrets secrets(CollectContext ctx) {
    var out = new ArrayList<Secrets.Secret>();
    for (var s : listed(ctx)) {
      var tags = new HashMap<String, String>();
      if (s.tags() != null) {
        s.tags().forEach(t -> tags.put(t.key(), t.value()));
      }
      out.add(
          new Secrets.Secret(
              s.name(),
              s.arn(),
              Boolean.TRUE.equals(s.rotationEnabled()),
              s.rotationRules() == null ? null : s.rotationRules().automaticallyAfterDays(),
              s.createdDate(),
              s.lastRotatedDate(),
              s.nextRotationDate(),
              s.lastAccessedDate(),
              tags));
    }
    return new Secrets(out);
  }

  static SecretPolicies secretPolicies(CollectContext ctx) {
    var sm = ctx.session().client(SecretsManagerClient.class, ctx.region());
    var calls = new PerResourceCalls(ctx, "secretsmanager");
    var out = new LinkedHashMap<String, Fact<Optional<PolicyDocument>>>();
    for (var s : listed(ctx)) {
      out.put(
          s.arn(),
          calls.read(
              "GetResourcePolicy",
              "secret " + s.name(),
              () -> {
                var text = sm.getResourcePolicy(b -> b.secretId(s.arn())).resourcePolicy();
                return text == null || text.isBlank()
                    ? Optional.<PolicyDocument>empty()
                    : Optional.of(PolicyDocuments.parse(text));
              }));
    }
    calls.finish();
    return new SecretPolicies(out);
  }

  static Detectors detectors(CollectContext ctx) {
    var gd = ctx.session().client(GuardDutyClient.class, ctx.region());
    var calls = new PerResourceCalls(ctx, "guardduty");
    var out = new ArrayList<Detectors.Detector>();
    for (var id : gd.listDetectorsPaginator(b -> b.maxResults(50)).detectorIds()) {
      out.add(
          new Detectors.Detector(
              id,
              calls.read(
                  "GetDetector",
                  "detector " + id,
                  () -> {
                    var d = gd.getDetector(b -> b.detectorId(id));
                    var features = new HashMap<String, String>();
                    var sources = d.dataSources();
                    if (d.features() == null || d.features().isEmpty()) {
                      if (sources != null) {
                        if (sources.s3Logs() != null) {
                          features.put("S3_DATA_EVENTS", sources.s3Logs().statusAsString());
                        }
                        if (sources.kubernetes() != null
                            && sources.kubernetes().auditLogs() != null) {
                          features.put(
                              "EKS_AUDIT_LOGS", sources.kubernetes().auditLogs().statusAsString());
                        }
                        var malware = sources.malwareProtection();
                        if (malware != null
                            && malware.scanEc2InstanceWithFindings() != null
                            && malware.scanEc2InstanceWithFindings().ebsVolumes() != null) {
                          features.put(
                              "EBS_MALWARE_PROTECTION",
                              malware.scanEc2InstanceWithFindings().ebsVolumes().statusAsString());
                        }
                      }
                    } else {
                      d.features().forEach(f -> features.put(f.nameAsString(), f.statusAsString()));
                    }
                    return new Detectors.Settings(d.statusAsString(), features);
                  })));
    }
    calls.finish();
    return new Detectors(out);
  }
}
