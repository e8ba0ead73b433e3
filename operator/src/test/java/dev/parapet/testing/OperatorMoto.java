package dev.parapet.testing;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.Condition;
import dev.parapet.api.v1alpha1.PosturePolicy;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.api.v1alpha1.Selector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * The Kubernetes side that the operator's tests against moto share: a Secret with AWS's documented
 * example keys (moto accepts any), and CloudAccounts and PosturePolicies tied together by the label
 * {@value #TEST_LABEL}, so each test's policy selects only its own account.
 */
public final class OperatorMoto {
  /** The Secret {@link #keys} creates. */
  public static final String KEYS_SECRET = "aws-keys";

  /** The label a test's CloudAccount carries and its PosturePolicy selects. */
  public static final String TEST_LABEL = "parapet.dev/test";

  // AWS's documented example key pair: never a real credential.
  private static final String EXAMPLE_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  private static final String EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private OperatorMoto() {}

  /**
   * Creates the Secret {@value #KEYS_SECRET} in {@code namespace} with the example keys and returns
   * the CloudAccount credentials that name it.
   */
  public static CloudAccountSpec.Credentials keys(KubernetesClient client, String namespace) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(KEYS_SECRET)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "aws_access_key_id", EXAMPLE_KEY_ID,
                        "aws_secret_access_key", EXAMPLE_SECRET))
                .build())
        .create();
    return new CloudAccountSpec.Credentials(
        null, new CloudAccountSpec.SecretRef(KEYS_SECRET, null, null, null));
  }

  /** The selector of the CloudAccounts labelled {@value #TEST_LABEL}{@code =test}. */
  public static Selector selecting(String test) {
    return new Selector(Map.of(TEST_LABEL, test), null);
  }

  /** Creates the cluster-scoped PosturePolicy {@code name}. */
  public static PosturePolicy policy(KubernetesClient client, String name, PosturePolicySpec spec) {
    var policy = new PosturePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    policy.setSpec(spec);
    return client.resource(policy).create();
  }

  /** Creates the CloudAccount {@code namespace/name} labelled {@value #TEST_LABEL}{@code =test}. */
  public static CloudAccount account(
      KubernetesClient client, String namespace, String name, String test, CloudAccountSpec spec) {
    var account = new CloudAccount();
    account.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(Map.of(TEST_LABEL, test))
            .build());
    account.setSpec(spec);
    return client.resource(account).create();
  }

  /**
   * The condition {@code type} of the account's status, or null (no account, status or condition).
   */
  public static Condition condition(CloudAccount account, String type) {
    if (account == null
        || account.getStatus() == null
        || account.getStatus().conditions() == null) {
      return null;
    }
    return account.getStatus().conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElse(null);
  }
}
