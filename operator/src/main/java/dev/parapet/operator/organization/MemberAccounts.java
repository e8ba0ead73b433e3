package dev.parapet.operator.organization;

import dev.parapet.api.v1alpha1.AwsOrganization;
import dev.parapet.api.v1alpha1.AwsOrganizationSpec;
import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.operator.aws.collect.OrganizationLister.Member;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** The CloudAccount an AwsOrganization wants for one member account. */
final class MemberAccounts {

  /** Label with the member's AWS account id on every owned CloudAccount. */
  static final String LABEL_ACCOUNT = "parapet.dev/aws-account-id";

  private MemberAccounts() {}

  /** {@code <organization>-<account id>}: stable, unique per organization and namespace. */
  static String name(AwsOrganization org, String accountId) {
    return org.getMetadata().getName() + "-" + accountId;
  }

  static Map<String, String> labels(AwsOrganization org, String accountId) {
    var labels = new HashMap<String, String>();
    var name = org.getMetadata().getName();
    // A label value holds at most 63 characters; owner references identify the owner anyway.
    if (name.length() <= 63) {
      labels.put(AwsOrganization.LABEL_ORGANIZATION, name);
    }
    labels.put(LABEL_ACCOUNT, accountId);
    return labels;
  }

  /** The member's role ARN: arn:<partition>:iam::<member>:role<path><name>. */
  static String roleArn(AwsOrganizationSpec.MemberRole role, Member member) {
    var path = role.path() == null || role.path().isBlank() ? "/" : role.path();
    return "arn:" + member.partition() + ":iam::" + member.id() + ":role" + path + role.name();
  }

  static CloudAccountSpec spec(AwsOrganization org, Member member) {
    var spec = org.getSpec();
    var role = spec.memberRole();
    var template = spec.template();
    var assume =
        new CloudAccountSpec.AssumeRole(
            roleArn(role, member),
            role.externalId(),
            role.externalIdSecretRef(),
            null,
            role.durationSeconds());
    return new CloudAccountSpec(
        CloudAccountSpec.Provider.AWS,
        member.id(),
        template == null ? null : template.regions(),
        new CloudAccountSpec.Credentials(assume, null),
        template == null ? null : template.scan(),
        spec.endpointOverride(),
        template == null ? null : template.export());
  }

  /** The desired object: name, labels, controller owner reference to the organization, spec. */
  static CloudAccount desired(AwsOrganization org, Member member) {
    var account = new CloudAccount();
    account.setMetadata(
        new ObjectMetaBuilder()
            .withName(name(org, member.id()))
            .withNamespace(org.getMetadata().getNamespace())
            .withLabels(labels(org, member.id()))
            .withAnnotations(Map.of(ANNOTATION_SPEC_HASH, hash(spec(org, member))))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(org.getApiVersion())
                    .withKind(org.getKind())
                    .withName(org.getMetadata().getName())
                    .withUid(org.getMetadata().getUid())
                    .withController(true)
                    // false: deleting the organization never waits on its accounts, and the
                    // controller needs no awsorganizations/finalizers permission to set it.
                    .withBlockOwnerDeletion(false)
                    .build())
            .build());
    account.setSpec(spec(org, member));
    return account;
  }

  /**
   * Annotation with a hash of the spec the organization last wrote: the API server fills in
   * defaults (provider, scan interval), so the stored spec never equals the written one; comparing
   * hashes of what was written keeps an unchanged organization from rewriting every account.
   */
  static final String ANNOTATION_SPEC_HASH = "parapet.dev/organization-spec-hash";

  static String hash(CloudAccountSpec spec) {
    try {
      var digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  io.fabric8.kubernetes.client.utils.Serialization.asJson(spec)
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when {@code current} already has the desired spec, labels and owner reference. */
  static boolean upToDate(CloudAccount current, CloudAccount desired) {
    var annotations = current.getMetadata().getAnnotations();
    var specOk =
        annotations != null
            && hash(desired.getSpec()).equals(annotations.get(ANNOTATION_SPEC_HASH));
    var labels = current.getMetadata().getLabels();
    var labelsOk =
        labels != null
            && desired.getMetadata().getLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    var owners = current.getMetadata().getOwnerReferences();
    var want = desired.getMetadata().getOwnerReferences().get(0);
    var ownerOk =
        owners != null
            && owners.stream()
                .anyMatch(
                    o ->
                        Objects.equals(o.getUid(), want.getUid())
                            && Boolean.TRUE.equals(o.getController()));
    return labelsOk && ownerOk && specOk;
  }

  /** True when {@code account} is controlled by {@code org}. */
  static boolean ownedBy(CloudAccount account, AwsOrganization org) {
    var owners = account.getMetadata().getOwnerReferences();
    return owners != null
        && owners.stream()
            .anyMatch(
                o ->
                    Boolean.TRUE.equals(o.getController())
                        && Objects.equals(o.getUid(), org.getMetadata().getUid()));
  }
}
