package dev.parapet.operator.aws.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which resources resource-level rules judge, by AWS tag (a CloudAccount's {@code
 * spec.scan.targets}, the CLI's {@code --target-tag} / {@code --exclude-tag}). A resource is in the
 * target when {@code include} is empty or one of its criteria matches the resource's tags, and no
 * {@code exclude} criterion matches them (exclude wins). Account-level results are never filtered;
 * the engine ({@link PolicyApplication}) decides which results are resource-level and what to do
 * when a resource's tags are unknown.
 */
public record ScanTargets(List<TagCriterion> include, List<TagCriterion> exclude) {

  /** Every resource. */
  public static final ScanTargets ALL = new ScanTargets(List.of(), List.of());

  public ScanTargets {
    include = include == null ? List.of() : List.copyOf(include);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
  }

  /**
   * One criterion: the tag {@code key} is present and, when {@code values} is not empty, its value
   * is one of them. Keys and values are exact and case-sensitive, as AWS compares tags.
   */
  public record TagCriterion(String key, Set<String> values) {
    public TagCriterion {
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException("a scan target's tag key must not be empty");
      }
      values = values == null ? Set.of() : Set.copyOf(new TreeSet<>(values));
    }

    /** Key only: any value of the key matches. */
    public static TagCriterion key(String key) {
      return new TagCriterion(key, Set.of());
    }

    public boolean matches(Map<String, String> tags) {
      if (tags == null || !tags.containsKey(key)) {
        return false;
      }
      return values.isEmpty() || values.contains(tags.get(key));
    }

    /** {@code key} or {@code key=v1|v2}, as the CLI and the notes show it. */
    @Override
    public String toString() {
      return values.isEmpty() ? key : key + "=" + String.join("|", new TreeSet<>(values));
    }
  }

  /** Where a resource stands against the targets. */
  public enum Membership {
    IN,
    /** {@code include} is not empty and none of its criteria matches. */
    NOT_INCLUDED,
    /** An {@code exclude} criterion matches. */
    EXCLUDED
  }

  /** False when every resource is in the target (no criteria). */
  public boolean active() {
    return !include.isEmpty() || !exclude.isEmpty();
  }

  /** Where a resource with these (known) tags stands. */
  public Membership membership(Map<String, String> tags) {
    Objects.requireNonNull(tags, "tags");
    if (exclude.stream().anyMatch(c -> c.matches(tags))) {
      return Membership.EXCLUDED;
    }
    if (!include.isEmpty() && include.stream().noneMatch(c -> c.matches(tags))) {
      return Membership.NOT_INCLUDED;
    }
    return Membership.IN;
  }

  /** E.g. {@code include env=prod|staging; exclude parapet.dev/skip}; empty when inactive. */
  public String describe() {
    var parts = new ArrayList<String>();
    if (!include.isEmpty()) {
      parts.add("include " + String.join(", ", include.stream().map(Object::toString).toList()));
    }
    if (!exclude.isEmpty()) {
      parts.add("exclude " + String.join(", ", exclude.stream().map(Object::toString).toList()));
    }
    return String.join("; ", parts);
  }

  /**
   * Parses a CLI value: {@code key} (any value) or {@code key=value} (split at the first {@code
   * =}). Several values of one key are given as several options.
   */
  public static TagCriterion parse(String option, String text) {
    if (text == null || text.isEmpty() || text.startsWith("=")) {
      throw new IllegalArgumentException(
          option + ": '" + text + "' has no tag key (expected KEY or KEY=VALUE, e.g. env=prod)");
    }
    var eq = text.indexOf('=');
    if (eq < 0) {
      return TagCriterion.key(text);
    }
    return new TagCriterion(text.substring(0, eq), Set.of(text.substring(eq + 1)));
  }
}
