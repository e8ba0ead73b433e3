package dev.parapet.operator.findings;

import dev.parapet.api.v1alpha1.Finding;
import dev.parapet.api.v1alpha1.FindingSpec;
import dev.parapet.api.v1alpha1.FindingStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The informer's item store for Findings: keeps a compact projection of each Finding instead of the
 * whole object (issue 19 item 3). Kept: name, namespace, resourceVersion, creationTimestamp,
 * labels, annotations, owner references, the whole status, and of the spec only the source, the
 * rule's id and severity, the resource's identity with its ARN (the attack-path join needs it), the
 * category and an activity finding's event id and time (its scope and expiry). Dropped: the
 * message, titles, remediation texts, compliance mapping and the rest of the activity (most of a
 * Finding's bytes) and managedFields. The heap figures in docs/benchmarks.md were measured before
 * the ARN was kept: an ARN adds its length (about 60-100 bytes) per Finding.
 *
 * <p>The store hashes the spec of every Finding it receives ({@link FindingPlanner#specHash}) and
 * keeps that hash as the {@link FindingPlanner#SPEC_HASH} annotation of the projection, whatever
 * the annotation on the server says: the writer diffs against the content the API server really
 * holds, so a spec changed by someone else is detected and rewritten by the next sync.
 *
 * <p>Strings that repeat across Findings (label and annotation keys and values, rule ids,
 * severities, regions, timestamps of one scan) are interned; owner references and rules are shared.
 * Everything read back is a new {@link Finding} built from the projection: callers may change it.
 */
final class CompactFindingItemStore implements ItemStore<Finding> {

  /** One Finding as kept. {@code key} is the informer's "namespace/name" key (shared with it). */
  record Compact(
      String key,
      String namespace,
      String resourceVersion,
      String creationTimestamp,
      String[] labels,
      String[] annotations,
      List<OwnerReference> owners,
      FindingSpec spec,
      FindingStatus status) {

    String name() {
      return key.substring(namespace.length() + 1);
    }

    Finding toFinding() {
      var meta = new ObjectMeta();
      meta.setName(name());
      meta.setNamespace(namespace);
      meta.setResourceVersion(resourceVersion);
      meta.setCreationTimestamp(creationTimestamp);
      meta.setLabels(toMap(labels));
      meta.setAnnotations(toMap(annotations));
      meta.setOwnerReferences(new ArrayList<>(owners));
      var f = new Finding();
      f.setMetadata(meta);
      f.setSpec(spec);
      f.setStatus(status);
      return f;
    }
  }

  private static final String[] NONE = new String[0];
  private static final Map<FindingSpec.Rule, FindingSpec.Rule> RULES = new ConcurrentHashMap<>();
  private static final Map<List<OwnerReference>, List<OwnerReference>> OWNERS =
      new ConcurrentHashMap<>();

  private final ConcurrentHashMap<String, Compact> items = new ConcurrentHashMap<>();

  /** The projection of {@code f} under {@code key}. */
  static Compact compact(String key, Finding f) {
    var meta = f.getMetadata();
    var spec = f.getSpec();
    var annotations = new HashMap<String, String>();
    if (meta.getAnnotations() != null) {
      annotations.putAll(meta.getAnnotations());
    }
    // The hash of what the server holds, not of what the annotation claims.
    var hash = spec == null ? null : FindingPlanner.specHash(spec);
    if (hash == null) {
      annotations.remove(FindingPlanner.SPEC_HASH);
    } else {
      annotations.put(FindingPlanner.SPEC_HASH, hash);
    }
    var owners =
        meta.getOwnerReferences() == null ? List.<OwnerReference>of() : meta.getOwnerReferences();
    return new Compact(
        key,
        intern(meta.getNamespace()),
        meta.getResourceVersion(),
        intern(meta.getCreationTimestamp()),
        flatten(meta.getLabels()),
        flatten(annotations),
        OWNERS.computeIfAbsent(List.copyOf(owners), o -> o),
        reduced(spec),
        compactStatus(f.getStatus()));
  }

  static String key(Finding f) {
    return f.getMetadata().getNamespace() + "/" + f.getMetadata().getName();
  }

  private static FindingSpec reduced(FindingSpec spec) {
    if (spec == null) {
      return null;
    }
    var rule = spec.rule();
    var r = spec.resource();
    return new FindingSpec(
        spec.source(),
        rule == null
            ? null
            : RULES.computeIfAbsent(
                new FindingSpec.Rule(intern(rule.id()), null, null, rule.severity(), null), x -> x),
        r == null
            ? null
            : new FindingSpec.Resource(
                intern(r.type()),
                r.id(),
                // kept: the attack-path join finds hop Findings and flagged buckets by ARN
                r.arn(),
                intern(r.accountId()),
                intern(r.region()),
                intern(r.apiVersion()),
                intern(r.kind()),
                intern(r.namespace()),
                r.name()),
        null,
        null,
        spec.category(),
        // an activity finding's scope comes from its category, its expiry from the event time
        spec.activity() == null
            ? null
            : new FindingSpec.Activity(
                spec.activity().eventId(),
                null,
                null,
                spec.activity().eventTime(),
                null,
                null,
                null));
  }

  private static FindingStatus compactStatus(FindingStatus s) {
    if (s == null) {
      return null;
    }
    var sup = s.suppressedBy();
    return new FindingStatus(
        s.state(),
        intern(s.firstSeen()),
        intern(s.lastTransitionTime()),
        intern(s.resolvedAt()),
        sup == null
            ? null
            : new FindingStatus.SuppressedBy(
                intern(sup.policy()),
                intern(sup.exception()),
                intern(sup.reason()),
                intern(sup.expiresAt())),
        intern(s.reopenedAt()),
        s.reopenCount(),
        intern(s.invalidTriage()),
        intern(s.resolvedReason()),
        s.remediation());
  }

  private static String[] flatten(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return NONE;
    }
    var out = new String[map.size() * 2];
    var i = 0;
    for (var e : map.entrySet()) {
      out[i++] = intern(e.getKey());
      // the spec hash is unique per Finding: interning it would only cost a table entry
      out[i++] = FindingPlanner.SPEC_HASH.equals(e.getKey()) ? e.getValue() : intern(e.getValue());
    }
    return out;
  }

  private static Map<String, String> toMap(String[] flat) {
    var map = new HashMap<String, String>(Math.max(4, flat.length));
    for (var i = 0; i < flat.length; i += 2) {
      map.put(flat[i], flat[i + 1]);
    }
    return map;
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }

  @Override
  public String getKey(Finding obj) {
    return key(obj);
  }

  @Override
  public Finding put(String key, Finding obj) {
    var previous = items.put(key, compact(key, obj));
    return previous == null ? null : previous.toFinding();
  }

  @Override
  public Finding remove(String key) {
    var previous = items.remove(key);
    return previous == null ? null : previous.toFinding();
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<Finding> values() {
    return items.values().stream().map(Compact::toFinding);
  }

  /** The projections themselves, without building Findings (counts over every Finding). */
  Stream<Compact> compacts() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public Finding get(String key) {
    var c = items.get(key);
    return c == null ? null : c.toFinding();
  }

  // isFullState() stays true: the store remembers every Finding until it is deleted, so the
  // informer may defer the initial add events until the (paged) list is complete.
}
