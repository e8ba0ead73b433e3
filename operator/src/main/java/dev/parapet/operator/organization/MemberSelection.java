package dev.parapet.operator.organization;

import dev.parapet.api.v1alpha1.AwsOrganizationSpec;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.operator.aws.collect.OrganizationLister.Member;
import java.util.List;
import java.util.Map;

/**
 * Which members of an organization get a CloudAccount: ACTIVE accounts that pass the account-id, OU
 * and tag filters (in each, exclude wins over include, and an empty include means all).
 */
final class MemberSelection {

  static final String ACTIVE = "ACTIVE";

  private MemberSelection() {}

  /** Account-id and OU filters: the ones that need no tags. */
  static boolean byIdAndOu(Member m, AwsOrganizationSpec spec) {
    var ids = spec.accounts();
    if (ids != null) {
      if (contains(ids.exclude(), m.id())) {
        return false;
      }
      if (!empty(ids.include()) && !contains(ids.include(), m.id())) {
        return false;
      }
    }
    var ous = spec.organizationalUnits();
    if (ous != null) {
      if (ous.exclude() != null && m.ouPath().stream().anyMatch(ous.exclude()::contains)) {
        return false;
      }
      if (!empty(ous.include()) && m.ouPath().stream().noneMatch(ous.include()::contains)) {
        return false;
      }
    }
    return true;
  }

  /** True when the spec filters on account tags (so tags must be read). */
  static boolean needsTags(AwsOrganizationSpec spec) {
    var t = spec.accountTags();
    return t != null && (!empty(t.include()) || !empty(t.exclude()));
  }

  /** The tag filter on an account's Organizations tags. */
  static boolean byTags(Map<String, String> tags, AwsOrganizationSpec spec) {
    var t = spec.accountTags();
    if (t == null) {
      return true;
    }
    if (t.exclude() != null && t.exclude().stream().anyMatch(m -> matches(m, tags))) {
      return false;
    }
    return empty(t.include()) || t.include().stream().anyMatch(m -> matches(m, tags));
  }

  static boolean matches(CloudAccountSpec.TagMatch m, Map<String, String> tags) {
    if (!tags.containsKey(m.key())) {
      return false;
    }
    return empty(m.values()) || m.values().contains(tags.get(m.key()));
  }

  private static boolean empty(List<?> l) {
    return l == null || l.isEmpty();
  }

  private static boolean contains(List<String> l, String v) {
    return l != null && l.contains(v);
  }
}
