package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.Known;
import dev.parapet.operator.aws.inventory.kms.KmsKeyTags;
import dev.parapet.operator.aws.inventory.kms.KmsKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.ListKeysRequest;

/**
 * KMS collector: ListKeys (largest page), DescribeKey per key, GetKeyRotationStatus only where
 * rotation applies. A key that refuses one of these calls is unknown on its own; when every key
 * fails, the whole dataset is unknown. Tags: ListResourceTags per customer-managed key, on the same
 * key list (read once per region and shared).
 */
public final class KmsCollector {
  static final int PAGE = 1000;

  /** ListResourceTags' largest page. */
  static final int TAG_PAGE = 50;

  private KmsCollector() {}

  public static List<Collector<?>> all() {
    return List.of(
        Collector.of(KmsKeys.class, KmsCollector::keys),
        Collector.of(KmsKeyTags.class, KmsCollector::keyTags));
  }

  static KmsKeys keys(CollectContext ctx) {
    return ctx.session().shared("kms:keys:" + ctx.region(), () -> readKeys(ctx));
  }

  /**
   * The tags of the keys the rotation rule judges (enabled customer-managed symmetric keys with KMS
   * key material, whose metadata could be read); other keys yield no result to tag. A key refusing
   * the call has unknown tags on its own.
   */
  static KmsKeyTags keyTags(CollectContext ctx) {
    var kms = ctx.session().client(KmsClient.class, ctx.region());
    var out = new HashMap<String, Fact<Map<String, String>>>();
    KmsKeys keys;
    try {
      keys = keys(ctx);
    } catch (RuntimeException e) {
      // The key list itself failed: the rule is UNKNOWN there and KmsKeys reports the cause.
      return new KmsKeyTags(out);
    }
    for (var key : keys.keys()) {
      if (!(key.details() instanceof Known<KmsKeys.Details> d) || !d.value().rotationApplies()) {
        continue; // only the keys the rotation rule judges need tags
      }
      try {
        var tags = new HashMap<String, String>();
        kms.listResourceTagsPaginator(b -> b.keyId(key.keyId()).limit(TAG_PAGE))
            .tags()
            .forEach(t -> tags.put(t.tagKey(), t.tagValue()));
        out.put(key.keyId(), Fact.known(tags));
      } catch (RuntimeException e) {
        out.put(
            key.keyId(),
            Fact.unknown(Failures.classify(e, "kms", ctx.region(), "ListResourceTags")));
      }
    }
    return new KmsKeyTags(out);
  }

  private static KmsKeys readKeys(CollectContext ctx) {
    var kms = ctx.session().client(KmsClient.class, ctx.region());
    var keys = new ArrayList<KmsKeys.Key>();
    RuntimeException first = null;
    var failures = 0;
    for (var entry : kms.listKeysPaginator(ListKeysRequest.builder().limit(PAGE).build()).keys()) {
      Fact<KmsKeys.Details> details;
      try {
        var m = kms.describeKey(b -> b.keyId(entry.keyId())).keyMetadata();
        var d =
            new KmsKeys.Details(
                m.keyManagerAsString(),
                m.keyStateAsString(),
                m.keySpecAsString(),
                m.originAsString(),
                null);
        if (d.rotationApplies()) {
          var rotation = kms.getKeyRotationStatus(b -> b.keyId(entry.keyId()));
          d =
              new KmsKeys.Details(
                  d.keyManager(),
                  d.keyState(),
                  d.keySpec(),
                  d.origin(),
                  Boolean.TRUE.equals(rotation.keyRotationEnabled()));
        }
        details = Fact.known(d);
      } catch (RuntimeException e) {
        failures++;
        first = first == null ? e : first;
        var error =
            Failures.classify(
                e, "kms", ctx.region(), ctx.session().counter().lastOperationOnThisThread());
        details =
            Fact.unknown(
                new CollectionError(
                    error.service(),
                    error.region(),
                    error.operation(),
                    error.reason(),
                    "key " + entry.keyId() + ": " + error.message()));
      }
      keys.add(new KmsKeys.Key(entry.keyId(), entry.keyArn(), details));
    }
    if (failures > 0 && failures == keys.size()) {
      throw first;
    }
    return new KmsKeys(keys);
  }
}
