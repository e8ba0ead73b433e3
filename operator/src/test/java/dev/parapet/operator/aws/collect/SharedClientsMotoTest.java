package dev.parapet.operator.aws.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Clients shared across accounts (one per endpoint, service and region) still make every call the
 * calling session's account's: signed with its own keys, counted, rate-limited and retried for it.
 * Two IAM users of moto sign through the same client objects on two threads at once; a WireMock
 * proxy in front of moto records the access key id of every request's Authorization header, and
 * moto's GetCallerIdentity answers which user signed.
 */
@ExtendWith(MotoExtension.class)
class SharedClientsMotoTest {
  private static final Pattern KEY_ID = Pattern.compile("Credential=([A-Z0-9]+)/");
  private WireMockServer proxy;
  private MotoServer moto;

  @BeforeEach
  void start(MotoServer moto) {
    this.moto = moto;
    proxy = MotoProxy.recording(moto);
  }

  @AfterEach
  void stop() {
    proxy.stop();
  }

  private URI endpoint() {
    return URI.create(proxy.baseUrl());
  }

  /** A moto IAM user with an access key: its ARN and its keys. */
  private record User(String arn, CredentialSource.StaticKeys keys) {}

  private User user(String prefix) {
    var user =
        new AwsSeed(moto).userWithKey(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    return new User(
        user.arn(),
        new CredentialSource.StaticKeys(user.accessKeyId(), user.secretAccessKey(), null));
  }

  /** Access key id of every request the proxy saw, counted. */
  private Map<String, Long> keyIdsSeen() {
    return proxy.findAll(anyRequestedFor(anyUrl())).stream()
        .map(r -> r.getHeader("Authorization"))
        .map(
            h -> {
              var m = KEY_ID.matcher(h == null ? "" : h);
              return m.find() ? m.group(1) : "unsigned";
            })
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  void twoAccountsSignWithTheirOwnKeysThroughOneSharedClientAtOnce() throws Exception {
    var alice = user("alice");
    var bob = user("bob");
    var rounds = 20;
    try (var factory = new AwsClientFactory(ClientSettings.defaults());
        var a = factory.open(alice.keys(), endpoint(), "us-east-1");
        var b = factory.open(bob.keys(), endpoint(), "us-east-1")) {
      assertThat(a.client(StsClient.class)).isSameAs(b.client(StsClient.class));
      assertThat(a.client(Ec2Client.class, "eu-west-1"))
          .isSameAs(b.client(Ec2Client.class, "eu-west-1"));
      var pool = Executors.newFixedThreadPool(2);
      var barrier = new CyclicBarrier(2);
      try {
        var futures = new ArrayList<Future<List<String>>>();
        for (var session : List.of(a, b)) {
          futures.add(
              pool.submit(
                  () -> {
                    var arns = new ArrayList<String>();
                    try (var bound = session.bind()) {
                      for (int i = 0; i < rounds; i++) {
                        // Both threads call at the same moments through the same objects.
                        barrier.await();
                        arns.add(session.client(StsClient.class).getCallerIdentity(r -> {}).arn());
                        session.client(Ec2Client.class, "eu-west-1").describeVpcs(r -> {});
                      }
                    }
                    return arns;
                  }));
        }
        assertThat(futures.get(0).get()).hasSize(rounds).containsOnly(alice.arn());
        assertThat(futures.get(1).get()).hasSize(rounds).containsOnly(bob.arn());
      } finally {
        pool.shutdownNow();
      }
      assertThat(keyIdsSeen())
          .containsOnly(
              Map.entry(alice.keys().accessKeyId(), 2L * rounds),
              Map.entry(bob.keys().accessKeyId(), 2L * rounds));
      // Counted for the scan that made them, and limited per account.
      assertThat(a.counter().calls())
          .containsEntry("sts:GetCallerIdentity", (long) rounds)
          .containsEntry("ec2:DescribeVpcs", (long) rounds);
      assertThat(b.counter().totalCalls()).isEqualTo(2L * rounds);
      assertThat(factory.unattributedCalls()).isZero();
      assertThat(factory.sharedClients()).isEqualTo(2);
      assertThat(factory.cachedSources()).isEqualTo(2);
    }
  }

  @Test
  void aCallWithNoSessionBoundFailsBeforeAnythingIsSent() {
    var alice = user("alice");
    try (var factory = new AwsClientFactory(ClientSettings.defaults());
        var a = factory.open(alice.keys(), endpoint(), "us-east-1")) {
      var sts = a.client(StsClient.class);
      var other = Executors.newSingleThreadExecutor();
      try {
        // Another thread, nothing bound there: no credentials to borrow.
        var failure = other.submit(() -> sts.getCallerIdentity(r -> {}));
        assertThatThrownBy(failure::get)
            .hasRootCauseInstanceOf(SdkException.class)
            .rootCause()
            .hasMessageContaining("no AWS session is bound");
      } finally {
        other.shutdownNow();
      }
      assertThat(keyIdsSeen()).isEmpty();
    }
  }

  @Test
  void aClientOfAnotherEndpointIsRefusedForTheBoundSession() {
    var alice = user("alice");
    try (var factory = new AwsClientFactory(ClientSettings.defaults());
        var viaProxy = factory.open(alice.keys(), endpoint(), "us-east-1");
        var direct = factory.open(alice.keys(), moto.endpoint(), "us-east-1")) {
      var proxied = viaProxy.client(StsClient.class);
      try (var bound = direct.bind()) {
        assertThatThrownBy(() -> proxied.getCallerIdentity(r -> {}))
            .isInstanceOf(SdkException.class)
            .hasMessageContaining("was used for a session of endpoint " + moto.endpoint());
      }
      assertThat(keyIdsSeen()).isEmpty();
    }
  }

  @Test
  void throttlingOfOneAccountIsRetriedAndLimitedForThatAccountOnly() {
    var alice = user("alice");
    var bob = user("bob");
    // Every request signed with Alice's key is throttled; Bob's go through.
    proxy.stubFor(
        any(anyUrl())
            .atPriority(1)
            .withHeader("Authorization", containing(alice.keys().accessKeyId()))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                            + "<Message>Rate exceeded</Message></Error></ErrorResponse>")));
    var settings =
        ClientSettings.defaults()
            .withMaxAttempts(3)
            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5));
    try (var factory = new AwsClientFactory(settings, new ApiRateLimiter.Limits(1000, 100));
        var a = factory.open(alice.keys(), endpoint(), "us-east-1");
        var b = factory.open(bob.keys(), endpoint(), "us-east-1")) {
      try (var bound = a.bind()) {
        assertThatThrownBy(() -> a.client(StsClient.class).getCallerIdentity(r -> {}))
            .isInstanceOf(SdkException.class)
            .hasMessageContaining("Rate exceeded");
      }
      try (var bound = b.bind()) {
        assertThat(b.client(StsClient.class).getCallerIdentity(r -> {}).arn()).isEqualTo(bob.arn());
      }
      assertThat(a.counter().totalCalls()).isEqualTo(1);
      assertThat(a.counter().totalAttempts()).isEqualTo(3);
      assertThat(b.counter().totalAttempts()).isEqualTo(1);
      assertThat(keyIdsSeen())
          .containsOnly(
              Map.entry(alice.keys().accessKeyId(), 3L), Map.entry(bob.keys().accessKeyId(), 1L));
      // Each account's token bucket for STS in us-east-1, none shared.
      assertThat(a.sourceClients().rateLimiter()).isNotSameAs(b.sourceClients().rateLimiter());
      assertThat(a.sourceClients().rateLimiter().buckets()).isEqualTo(1);
      assertThat(b.sourceClients().rateLimiter().buckets()).isEqualTo(1);
      try (var idle = factory.open(user("carol").keys(), endpoint(), "us-east-1")) {
        idle.client(StsClient.class);
        assertThat(idle.sourceClients().rateLimiter().buckets()).isZero();
      }
    }
  }
}
