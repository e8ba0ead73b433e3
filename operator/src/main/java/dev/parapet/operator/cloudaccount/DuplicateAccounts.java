package dev.parapet.operator.cloudaccount;

import dev.parapet.api.v1alpha1.CloudAccount;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One scanner per AWS account and namespace. Finding names derive from the AWS account, region and
 * resource, and Findings live in the CloudAccount's namespace, so two CloudAccounts of one AWS
 * account in one namespace would fight over the same objects. The oldest CloudAccount (by
 * creationTimestamp, then name) scans the account; the others are held back with a condition that
 * names it. Other namespaces are independent.
 */
final class DuplicateAccounts {

  private static final Comparator<CloudAccount> OLDEST_FIRST =
      Comparator.comparing(
              (CloudAccount a) ->
                  Objects.requireNonNullElse(a.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(a -> a.getMetadata().getName());

  private DuplicateAccounts() {}

  /** The name of the CloudAccount that scans {@code account}'s AWS account instead, if another. */
  static Optional<String> ownerOf(CloudAccount account, List<CloudAccount> sameNamespace) {
    var owner =
        sameNamespace.stream()
            .filter(a -> a.getMetadata().getDeletionTimestamp() == null)
            .filter(a -> sameAwsAccount(a, account))
            .min(OLDEST_FIRST)
            .orElse(account);
    return owner.getMetadata().getName().equals(account.getMetadata().getName())
        ? Optional.empty()
        : Optional.of(owner.getMetadata().getName());
  }

  static boolean sameAwsAccount(CloudAccount a, CloudAccount b) {
    return a.getSpec() != null
        && b.getSpec() != null
        && Objects.equals(a.getSpec().accountId(), b.getSpec().accountId())
        && Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
  }
}
