package dev.parapet.operator.remediation;

import dev.parapet.operator.aws.collect.AwsSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.UpdateAccessKeyRequest;

/**
 * Deactivates (never deletes) a user's active access keys that have not been used for the policy's
 * unused-credential limit (never used: counted from creation). Keys used more recently, and the
 * console password, are left alone.
 */
public final class DeactivateUnusedAccessKeys implements RemediationAction {

  @Override
  public String id() {
    return "iam-deactivate-unused-access-keys";
  }

  @Override
  public String ruleId() {
    return "aws-iam-unused-credentials";
  }

  @Override
  public List<String> iamActions() {
    return List.of(
        "iam:GetAccessKeyLastUsed",
        "iam:ListAccessKeys",
        "iam:ListUserTags",
        "iam:UpdateAccessKey");
  }

  @Override
  public String summary() {
    return "Sets Status=Inactive on each of the user's active access keys unused for the"
        + " policy's unusedCredentialDays (never used: since creation). Keys are never deleted;"
        + " an unused console password is left (only keys are changed).";
  }

  @Override
  public String undo() {
    return "UpdateAccessKey Status=Active brings a key back unchanged (same id and secret)."
        + " Anything still using the key fails to authenticate until then.";
  }

  @Override
  public Plan plan(AwsSession session, Target target) {
    var iam = session.client(IamClient.class);
    var user = target.resourceId();
    var tags = new LinkedHashMap<String, String>();
    iam.listUserTags(r -> r.userName(user)).tags().forEach(t -> tags.put(t.key(), t.value()));
    var keys = iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata();
    var before = describe(keys);
    var requests = new ArrayList<UpdateAccessKeyRequest>();
    var calls = new ArrayList<String>();
    for (var key : keys) {
      if (key.status() != StatusType.ACTIVE) {
        continue;
      }
      var used =
          iam.getAccessKeyLastUsed(r -> r.accessKeyId(key.accessKeyId())).accessKeyLastUsed();
      var since =
          used == null || used.lastUsedDate() == null ? key.createDate() : used.lastUsedDate();
      if (since == null
          || Duration.between(since, target.now()).toDays() < target.unusedCredentialDays()) {
        continue;
      }
      requests.add(
          UpdateAccessKeyRequest.builder()
              .userName(user)
              .accessKeyId(key.accessKeyId())
              .status(StatusType.INACTIVE)
              .build());
      calls.add(
          Calls.render(
              "iam:UpdateAccessKey",
              "iam update-access-key",
              null,
              "user-name",
              user,
              "access-key-id",
              key.accessKeyId(),
              "status",
              "Inactive"));
    }
    if (requests.isEmpty()) {
      return Plan.skip(
          "no active access key has been unused for "
              + target.unusedCredentialDays()
              + " days; an unused console password is not changed by remediation",
          before,
          tags);
    }
    return Plan.call(String.join("; ", calls), before, tags, List.copyOf(requests));
  }

  @Override
  @SuppressWarnings("unchecked")
  public String apply(AwsSession session, Target target, Plan plan) {
    var iam = session.client(IamClient.class);
    for (var request : (List<UpdateAccessKeyRequest>) plan.request()) {
      iam.updateAccessKey(request);
    }
    return describe(iam.listAccessKeys(r -> r.userName(target.resourceId())).accessKeyMetadata());
  }

  private static String describe(List<AccessKeyMetadata> keys) {
    if (keys.isEmpty()) {
      return "no access keys";
    }
    return keys.stream()
        .map(k -> k.accessKeyId() + " " + k.statusAsString())
        .collect(Collectors.joining(", "));
  }
}
