package dev.parapet.operator.aws.rules.iam;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.RuleResult;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Resources and day arithmetic shared by the IAM rules (IAM is global: region {@code global}). */
final class IamResources {
  private IamResources() {}

  /** A user, with its tags when {@link AuthorizationDetails} could be read (tags only). */
  static Resource user(RegionView view, String name, String arn) {
    var tags = view.tagSource(AuthorizationDetails.class).map(d -> d.tagsOf(arn)).orElse(Map.of());
    return new Resource("AWS::IAM::User", name, arn, view.accountId(), Datasets.GLOBAL, tags);
  }

  static Resource root(RegionView view) {
    return new Resource(
        "AWS::::Account",
        view.accountId(),
        "arn:" + view.partition() + ":iam::" + view.accountId() + ":root",
        view.accountId(),
        Datasets.GLOBAL,
        Map.of());
  }

  /**
   * The UTC calendar date of {@code t} (2026-01-03). Evidence states dates, never ages: an age in
   * days would change the message, and so rewrite the Finding, every day although nothing changed
   * in AWS.
   */
  static String date(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
  }

  /**
   * UNKNOWN for a user whose credential report row gives no date for some of its credentials (so
   * their age cannot be judged): never a pass.
   */
  static RuleResult undated(String user, List<String> credentials) {
    return RuleResult.unknown(
        Datasets.GLOBAL,
        new CollectionError(
            "iam",
            Datasets.GLOBAL,
            "GetCredentialReport",
            UnknownReason.Error,
            "user "
                + user
                + ": the credential report gives no date for "
                + String.join(", ", credentials)));
  }

  /** Whole days from {@code then} to {@code now}. */
  static long days(Instant then, Instant now) {
    return Duration.between(then, now).toDays();
  }
}
