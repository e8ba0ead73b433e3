package dev.parapet.operator.aws.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.testing.MotoScans;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;
import software.amazon.awssdk.retries.internal.DefaultRetryToken;

/** The shared clients' retry strategy hands each call to its own account's strategy. */
class AccountRetryStrategyTest {

  /** Records what it is asked; refuses refreshes once {@code budget} is used up. */
  static final class Recording implements RetryStrategy {
    final List<String> asked = new ArrayList<>();
    final List<String> scopes = new ArrayList<>();
    int budget;

    Recording(int budget) {
      this.budget = budget;
    }

    record Token(Recording owner) implements RetryToken {}

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
      asked.add("acquire");
      scopes.add(request.scope());
      return AcquireInitialTokenResponse.create(new Token(this), Duration.ZERO);
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
      assertThat(((Token) request.token()).owner()).isSameAs(this);
      asked.add("refresh");
      if (budget-- <= 0) {
        throw new TokenAcquisitionFailedException("quota", request.token(), request.failure());
      }
      return RefreshRetryTokenResponse.create(request.token(), Duration.ofMillis(7));
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
      assertThat(((Token) request.token()).owner()).isSameAs(this);
      asked.add("success");
      return RecordSuccessResponse.create(request.token());
    }

    @Override
    public int maxAttempts() {
      return 3;
    }

    @Override
    public Builder<?, ?> toBuilder() {
      throw new UnsupportedOperationException();
    }
  }

  private static ScanAttribution.Scope scope(RetryStrategy retry) {
    var key =
        new AwsClientFactory.SourceKey(
            new CredentialSource.DefaultChain(), URI.create("http://127.0.0.1:9"), "us-east-1");
    return new ScanAttribution.Scope(
        new ApiCallCounter(),
        new AwsClientFactory.SourceClients(
            key, null, null, new ApiRateLimiter(ApiRateLimiter.Limits.OFF), () -> retry));
  }

  @Test
  void eachCallUsesTheStrategyOfTheAccountItStartedFor() {
    var fallback = new Recording(0);
    var alice = new Recording(1);
    var bob = new Recording(5);
    var router = new AccountRetryStrategy(fallback, "ec2@us-east-1");
    RetryToken aliceToken;
    try (var bound = ScanAttribution.bind(scope(alice))) {
      aliceToken = router.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
    }
    try (var bound = ScanAttribution.bind(scope(bob))) {
      var bobToken =
          router.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
      // Alice's call retries while Bob is bound to the thread: still Alice's quota.
      var refreshed =
          router.refreshRetryToken(
              RefreshRetryTokenRequest.builder()
                  .token(aliceToken)
                  .failure(new RuntimeException("throttled"))
                  .build());
      assertThat(refreshed.delay()).isEqualTo(Duration.ofMillis(7));
      // Alice's quota is spent; Bob's is not.
      var spent = refreshed.token();
      assertThatThrownBy(
              () ->
                  router.refreshRetryToken(
                      RefreshRetryTokenRequest.builder()
                          .token(spent)
                          .failure(new RuntimeException("throttled"))
                          .build()))
          .isInstanceOf(TokenAcquisitionFailedException.class)
          .satisfies(
              e ->
                  assertThat(((TokenAcquisitionFailedException) e).token())
                      .isInstanceOf(AccountRetryStrategy.AccountToken.class));
      router.refreshRetryToken(
          RefreshRetryTokenRequest.builder()
              .token(bobToken)
              .failure(new RuntimeException("throttled"))
              .build());
      router.recordSuccess(RecordSuccessRequest.create(bobToken));
    }
    assertThat(alice.asked).containsExactly("acquire", "refresh", "refresh");
    assertThat(bob.asked).containsExactly("acquire", "refresh", "success");
    assertThat(fallback.asked).isEmpty();
    // Each account's strategy is asked in the scope of the client (service and region).
    assertThat(alice.scopes).containsExactly("ec2@us-east-1");
    assertThat(bob.scopes).containsExactly("ec2@us-east-1");
  }

  @Test
  void withNoAccountBoundTheFallbackIsUsed() {
    var fallback = new Recording(0);
    var router = new AccountRetryStrategy(fallback, "ec2@us-east-1");
    // (Another test on this thread may have left a session bound.)
    try (var unbound = ScanAttribution.bind(null)) {
      var token = router.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
      router.recordSuccess(RecordSuccessRequest.create(token));
      assertThat(router.maxAttempts()).isEqualTo(3);
    }
    assertThat(fallback.asked).containsExactly("acquire", "success");
  }

  private static final URI NOWHERE = URI.create("http://127.0.0.1:9");

  private static AwsSession account(AwsClientFactory factory, int i) {
    return factory.open(
        new CredentialSource.StaticKeys("AKIAIOSFODNN7EXAMPLE", "fake-secret-" + i, null),
        NOWHERE,
        "us-east-1");
  }

  private static List<String> clients(int services, int regions) {
    var out = new ArrayList<String>();
    for (int s = 0; s < services; s++) {
      for (int r = 0; r < regions; r++) {
        out.add("service" + s + "@region-" + r);
      }
    }
    return out;
  }

  /**
   * The retry state of N accounts × M clients (service and region) is N strategies, not N × M (a
   * whole adaptive strategy per account, service and region grew the heap by ≈0.37 MiB per account
   * in a 17-region scan): the service and region are a scope of the account's strategy.
   */
  @Test
  void oneStrategyPerAccountWhateverTheNumberOfServicesAndRegions() {
    int accounts = 6;
    var clients = clients(8, 5);
    var routers = clients.stream().map(c -> new AccountRetryStrategy(null, c)).toList();
    var owners = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    var scopes = new java.util.HashSet<String>();
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      for (int a = 0; a < accounts; a++) {
        try (var session = account(factory, a);
            var bound = session.bind()) {
          for (var router : routers) {
            var token =
                (AccountRetryStrategy.AccountToken)
                    router.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
            owners.add(token.owner());
            assertThat(token.owner()).isSameAs(session.sourceClients().retryStrategy());
            scopes.add(((DefaultRetryToken) token.token()).scope());
            router.recordSuccess(RecordSuccessRequest.create(token));
          }
        }
      }
    }
    assertThat(owners).hasSize(accounts);
    assertThat(scopes).containsExactlyInAnyOrderElementsOf(clients);
  }

  private static final AwsServiceException THROTTLED =
      AwsServiceException.builder()
          .statusCode(400)
          .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").build())
          .build();

  /** Retries granted to a new call of {@code router} for the bound account (0: quota spent). */
  private static int retriesGranted(AccountRetryStrategy router) {
    var token = router.acquireInitialToken(AcquireInitialTokenRequest.create("GLOBAL")).token();
    int granted = 0;
    try {
      while (true) {
        token =
            router
                .refreshRetryToken(
                    RefreshRetryTokenRequest.builder().token(token).failure(THROTTLED).build())
                .token();
        granted++;
      }
    } catch (TokenAcquisitionFailedException e) {
      return granted;
    }
  }

  /**
   * With the SDK's adaptive strategy (one per account), the retry quota spent by throttling of one
   * service and region is that scope's: the account's other clients and the other accounts keep
   * theirs.
   */
  @Test
  void throttlingSpendsTheQuotaOfItsOwnAccountServiceAndRegionOnly() {
    var throttled = new AccountRetryStrategy(null, "ec2@eu-west-1");
    var otherRegion = new AccountRetryStrategy(null, "ec2@us-east-1");
    var otherService = new AccountRetryStrategy(null, "iam@eu-west-1");
    int maxRetries = MotoScans.testSettings().maxAttempts() - 1;
    try (var factory = new AwsClientFactory(MotoScans.testSettings());
        var alice = account(factory, 1);
        var bob = account(factory, 2)) {
      try (var bound = alice.bind()) {
        int calls = 0;
        while (retriesGranted(throttled) > 0) {
          assertThat(++calls).as("calls until the quota is spent").isLessThan(10_000);
        }
        assertThat(calls).as("calls retried before the quota ran out").isGreaterThan(1);
        assertThat(retriesGranted(throttled)).isZero();
        assertThat(retriesGranted(otherRegion)).isEqualTo(maxRetries);
        assertThat(retriesGranted(otherService)).isEqualTo(maxRetries);
      }
      try (var bound = bob.bind()) {
        assertThat(retriesGranted(throttled)).isEqualTo(maxRetries);
      }
    }
  }

  /**
   * An account's retry state lives while a session of it is open: dropped when its last session
   * closes (its scan ended), so cached accounts between scans hold none; the next scan starts
   * afresh.
   */
  @Test
  void retryStateIsDroppedWhenTheAccountsLastSessionCloses() {
    var throttled = new AccountRetryStrategy(null, "ec2@eu-west-1");
    int maxRetries = MotoScans.testSettings().maxAttempts() - 1;
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var scan = account(factory, 1);
      var poller = account(factory, 1);
      var strategy = scan.sourceClients().retryStrategy();
      try (var bound = scan.bind()) {
        while (retriesGranted(throttled) > 0) {}
        assertThat(retriesGranted(throttled)).isZero();
      }
      scan.close();
      // Another session of the account is still open: its state is kept.
      try (var bound = poller.bind()) {
        assertThat(poller.sourceClients().retryStrategy()).isSameAs(strategy);
        assertThat(retriesGranted(throttled)).isZero();
      }
      poller.close();
      try (var next = account(factory, 1);
          var bound = next.bind()) {
        assertThat(next.sourceClients()).isSameAs(scan.sourceClients());
        assertThat(next.sourceClients().retryStrategy()).isNotSameAs(strategy);
        assertThat(retriesGranted(throttled)).isEqualTo(maxRetries);
      }
      assertThat(factory.cachedSources()).isEqualTo(1);
    }
  }
}
