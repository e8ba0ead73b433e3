package dev.parapet.operator.aws.inventory;

/**
 * Who owns a returned resource, judged on the fields AWS returned, never on the filter the request
 * carried: an endpoint that ignores {@code OwnerIds=self} (moto does) returns other accounts'
 * resources, and those are no resource of the scanned account.
 */
public final class Ownership {
  private Ownership() {}

  /** True only when {@code ownerId} is present and is the scanned account. */
  public static boolean ownedBy(String ownerId, String accountId) {
    return ownerId != null && accountId != null && ownerId.equals(accountId);
  }

  /**
   * The account field of an ARN ({@code arn:partition:service:region:account:...}), or null when
   * the text is no ARN or its account field is empty.
   */
  public static String arnAccount(String arn) {
    if (arn == null || !arn.startsWith("arn:")) {
      return null;
    }
    var parts = arn.split(":", 6);
    return parts.length < 6 || parts[4].isEmpty() ? null : parts[4];
  }

  /** True only when the ARN names the scanned account. */
  public static boolean arnOwnedBy(String arn, String accountId) {
    return ownedBy(arnAccount(arn), accountId);
  }
}
