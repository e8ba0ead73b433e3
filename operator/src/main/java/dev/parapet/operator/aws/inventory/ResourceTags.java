package dev.parapet.operator.aws.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A dataset read only for resource tags (a rule's {@code tagsFrom}): resource id to its tags, known
 * or unknown per resource. Tags only feed policy exceptions, so an unreadable tag set never changes
 * a verdict: the resource simply carries no tags and the failure is listed in the scan's errors,
 * once per cause, naming the resources.
 */
public interface ResourceTags extends Dataset {

  /** How many resource names one error lists before "and N more". */
  int NAMES_SHOWN = 5;

  /** Resource id (bucket name, key id, trail ARN) to its tags. */
  Map<String, Fact<Map<String, String>>> byResource();

  /** What a resource is called in errors: bucket, key, trail. */
  String noun();

  /** The resource's tags; empty when it has none or they could not be read. */
  default Map<String, String> of(String id) {
    return byResource().get(id) instanceof Known<Map<String, String>> k ? k.value() : Map.of();
  }

  @Override
  default int resourceCount() {
    return 0; // the resources are counted by the datasets that list them
  }

  @Override
  default List<CollectionError> partialErrors() {
    var groups = new LinkedHashMap<CollectionError, List<String>>();
    new TreeMap<>(byResource()) // sorted, so the message is stable
        .forEach(
            (id, fact) -> {
              if (fact instanceof Unknown<?> u) {
                groups.computeIfAbsent(u.error(), e -> new ArrayList<>()).add(id);
              }
            });
    var out = new ArrayList<CollectionError>();
    groups.forEach(
        (e, ids) -> {
          var shown = String.join(", ", ids.subList(0, Math.min(NAMES_SHOWN, ids.size())));
          var more = ids.size() > NAMES_SHOWN ? " and " + (ids.size() - NAMES_SHOWN) + " more" : "";
          out.add(
              new CollectionError(
                  e.service(),
                  e.region(),
                  e.operation(),
                  e.reason(),
                  "tags of "
                      + noun()
                      + (ids.size() == 1 ? " " : "s ")
                      + shown
                      + more
                      + " unreadable (verdicts unaffected; tag exceptions cannot match them): "
                      + e.message()));
        });
    return out;
  }

  /** An immutable copy of a per-resource tag map, each tag set copied too. */
  static Map<String, Fact<Map<String, String>>> copy(Map<String, Fact<Map<String, String>>> in) {
    var out = new TreeMap<String, Fact<Map<String, String>>>();
    in.forEach((id, f) -> out.put(id, f.map(Tags::copy)));
    return Map.copyOf(out);
  }
}
