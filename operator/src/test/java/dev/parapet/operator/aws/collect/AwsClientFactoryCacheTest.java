package dev.parapet.operator.aws.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;

/** The factory's client cache, without network: no client built here makes a call. */
class AwsClientFactoryCacheTest {
  // AWS's documented example keys, and obviously fake variants of them.
  private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String OTHER_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEFAKEKEY";
  private static final URI ENDPOINT = URI.create("http://127.0.0.1:9");
  private static final URI OTHER_ENDPOINT = URI.create("http://127.0.0.1:10");
  private static final CredentialSource KEYS =
      new CredentialSource.StaticKeys(KEY_ID, SECRET, null);
  private final AtomicLong now = new AtomicLong();

  private AwsClientFactory factory(int maxSources) {
    return new AwsClientFactory(
        ClientSettings.defaults(), maxSources, Duration.ofHours(3), now::get);
  }

  private static CredentialSource.AssumeRole role(String arn, String externalId) {
    return new CredentialSource.AssumeRole(arn, externalId, "parapet", 900, KEYS);
  }

  private static Object ec2(AwsSession session, String region) {
    return session.client(Ec2Client.class, region);
  }

  @Test
  void theSameSourceEndpointAndRegionReuseOneClientAcrossScans() {
    try (var factory = factory(32)) {
      Object first;
      try (var scan = factory.open(KEYS, ENDPOINT, "us-east-1")) {
        first = ec2(scan, "eu-west-1");
        assertThat(scan.client(IamClient.class)).isNotNull();
      }
      try (var a =
              factory.open(
                  new CredentialSource.StaticKeys(KEY_ID, SECRET, null), ENDPOINT, "us-east-1");
          var b = factory.open(KEYS, ENDPOINT, "us-east-1")) {
        assertThat(ec2(a, "eu-west-1")).isSameAs(first);
        assertThat(ec2(b, "eu-west-1")).isSameAs(first);
        assertThat(a.sourceClients()).isSameAs(b.sourceClients());
      }
      assertThat(factory.cachedSources()).isEqualTo(1);
    }
  }

  @Test
  void anyDifferenceInCredentialsEndpointOrRegionGetsItsOwnAccountStateButClientsAreShared() {
    try (var factory = factory(32)) {
      var sessions = new ArrayList<AwsSession>();
      try {
        var variants =
            List.of(
                factory.open(KEYS, ENDPOINT, "us-east-1"),
                // Same key id, rotated secret.
                factory.open(
                    new CredentialSource.StaticKeys(KEY_ID, OTHER_SECRET, null),
                    ENDPOINT,
                    "us-east-1"),
                factory.open(
                    new CredentialSource.StaticKeys(KEY_ID, SECRET, "session-token-example"),
                    ENDPOINT,
                    "us-east-1"),
                factory.open(KEYS, ENDPOINT, "eu-west-1"),
                factory.open(
                    role("arn:aws:iam::123456789012:role/a", "ext-1"), ENDPOINT, "us-east-1"),
                factory.open(
                    role("arn:aws:iam::123456789012:role/a", "ext-2"), ENDPOINT, "us-east-1"),
                factory.open(role("arn:aws:iam::123456789012:role/a", null), ENDPOINT, "us-east-1"),
                factory.open(
                    role("arn:aws:iam::123456789012:role/b", "ext-1"), ENDPOINT, "us-east-1"),
                factory.open(
                    new CredentialSource.AssumeRole(
                        "arn:aws:iam::123456789012:role/a", "ext-1", "parapet", 900, null),
                    ENDPOINT,
                    "us-east-1"),
                factory.open(new CredentialSource.DefaultChain(), ENDPOINT, "us-east-1"));
        sessions.addAll(variants);
        // Each its own credentials provider, token buckets and retry state...
        assertThat(variants.stream().map(AwsSession::sourceClients).toList())
            .doesNotHaveDuplicates();
        assertThat(variants.stream().map(s -> s.sourceClients().rateLimiter()).toList())
            .doesNotHaveDuplicates();
        assertThat(variants.stream().map(s -> s.sourceClients().retryStrategy()).toList())
            .doesNotHaveDuplicates();
        // ...one retry strategy per account, for all its services and regions (kept apart by
        // scope, see AccountRetryStrategyTest)...
        var first = variants.get(0).sourceClients();
        assertThat(first.retryStrategy()).isSameAs(first.retryStrategy());
        assertThat(factory.cachedSources()).isEqualTo(variants.size());
        // ...and one client per service and region for all of them.
        var clients = variants.stream().map(s -> ec2(s, "us-east-1")).distinct().toList();
        assertThat(clients).hasSize(1);
        assertThat(ec2(variants.get(0), "eu-west-1")).isNotSameAs(clients.get(0));
        assertThat(variants.get(3).client(IamClient.class))
            .isNotSameAs(variants.get(0).client(IamClient.class));
        assertThat(factory.sharedClients()).isEqualTo(4);
        // Another endpoint override gets clients of its own (and account state of its own).
        var other = factory.open(KEYS, OTHER_ENDPOINT, "us-east-1");
        sessions.add(other);
        var noOverride = factory.open(KEYS, null, "us-east-1");
        sessions.add(noOverride);
        assertThat(ec2(other, "us-east-1")).isNotSameAs(clients.get(0));
        assertThat(ec2(noOverride, "us-east-1"))
            .isNotSameAs(clients.get(0))
            .isNotSameAs(ec2(other, "us-east-1"));
        assertThat(other.sourceClients()).isNotSameAs(variants.get(0).sourceClients());
      } finally {
        sessions.forEach(AwsSession::close);
      }
    }
  }

  @Test
  void everyServiceOfTheTableBuildsOneClientOfItsClass() {
    try (var factory = factory(32);
        var scan = factory.open(KEYS, ENDPOINT, "us-east-1")) {
      var built = new ArrayList<Object>();
      for (var type : AwsServices.types()) {
        var client =
            scan.client(
                type.asSubclass(software.amazon.awssdk.utils.SdkAutoCloseable.class), "eu-west-1");
        assertThat(client).isInstanceOf(type);
        assertThat(
                scan.client(
                    type.asSubclass(software.amazon.awssdk.utils.SdkAutoCloseable.class),
                    "eu-west-1"))
            .isSameAs(client);
        built.add(client);
      }
      assertThat(built).doesNotHaveDuplicates().hasSizeGreaterThan(20);
      // A global service asked without a region is its client in the session's home region.
      assertThat(scan.client(IamClient.class))
          .isSameAs(scan.client(IamClient.class, "us-east-1"))
          .isNotSameAs(scan.client(IamClient.class, "eu-west-1"));
    }
  }

  @Test
  void theDefaultChainIsOnePerFactory() {
    try (var factory = factory(32);
        var a = factory.open(new CredentialSource.DefaultChain(), ENDPOINT, "us-east-1");
        var b = factory.open(new CredentialSource.DefaultChain(), OTHER_ENDPOINT, "eu-west-1")) {
      assertThat(a.sourceClients()).isNotSameAs(b.sourceClients());
      assertThat(a.sourceClients().provider()).isSameAs(b.sourceClients().provider());
    }
  }

  @Test
  void evictedSourcesAreClosedOnceNoScanUsesThem() {
    try (var factory = factory(1)) {
      var busy = factory.open(KEYS, ENDPOINT, "us-east-1");
      busy.client(Ec2Client.class, "us-east-1");
      var busyClients = busy.sourceClients();
      factory.open(KEYS, OTHER_ENDPOINT, "us-east-1").close();
      // Evicted (over the bound of 1) but still in use by a running scan.
      assertThat(busyClients.isClosed()).isFalse();
      busy.close();
      assertThat(busyClients.isClosed()).isTrue();

      var idle = factory.open(KEYS, OTHER_ENDPOINT, "us-east-1");
      var idleClients = idle.sourceClients();
      idle.close();
      assertThat(idleClients.isClosed()).isFalse();
      try (var again = factory.open(KEYS, ENDPOINT, "us-east-1")) {
        assertThat(idleClients.isClosed()).isTrue();
        assertThat(again.sourceClients()).isNotSameAs(busyClients);
      }
      assertThat(factory.cachedSources()).isEqualTo(1);
    }
  }

  @Test
  void sourcesUnusedForTheIdleExpiryAreClosed() {
    try (var factory = factory(32)) {
      var first = factory.open(KEYS, ENDPOINT, "us-east-1");
      var clients = first.sourceClients();
      first.close();
      now.addAndGet(Duration.ofHours(2).toNanos());
      factory.open(KEYS, OTHER_ENDPOINT, "us-east-1").close();
      assertThat(clients.isClosed()).isFalse();
      now.addAndGet(Duration.ofHours(1).toNanos());
      factory.open(KEYS, OTHER_ENDPOINT, "us-east-1").close();
      assertThat(clients.isClosed()).isTrue();
      assertThat(factory.cachedSources()).isEqualTo(1);
    }
  }

  @Test
  void closingTheFactoryClosesEveryCachedClient() {
    AwsClientFactory.SourceClients clients;
    try (var factory = factory(32)) {
      try (var scan = factory.open(KEYS, ENDPOINT, "us-east-1")) {
        scan.client(Ec2Client.class, "us-east-1");
        clients = scan.sourceClients();
      }
      assertThat(clients.isClosed()).isFalse();
    }
    assertThat(clients.isClosed()).isTrue();
  }

  @Test
  void secretsAreNotInAnyToString() {
    var key =
        new AwsClientFactory.SourceKey(
            new CredentialSource.StaticKeys(KEY_ID, SECRET, "session-token-example"),
            ENDPOINT,
            "us-east-1");
    var roleKey =
        new AwsClientFactory.SourceKey(
            role("arn:aws:iam::123456789012:role/a", "external-id-example"), ENDPOINT, "us-east-1");
    try (var factory = factory(32);
        var scan = factory.open(key.source(), ENDPOINT, "us-east-1")) {
      var texts =
          List.of(
              key.toString(),
              roleKey.toString(),
              scan.client(Ec2Client.class, "us-east-1").toString(),
              scan.sourceClients().toString());
      assertThat(texts)
          .allSatisfy(
              t ->
                  assertThat(t)
                      .doesNotContain(SECRET)
                      .doesNotContain(KEY_ID)
                      .doesNotContain("session-token-example")
                      .doesNotContain("external-id-example"));
      assertThat(roleKey.toString()).contains("role/a");
      // The SDK's own provider shows the key id (never the secret); it is not logged by Parapet.
      assertThat(scan.sourceClients().provider().toString())
          .doesNotContain(SECRET)
          .doesNotContain("session-token-example");
    }
  }
}
