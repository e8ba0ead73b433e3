package dev.parapet.operator.aws.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/** The shared clients' retry strategy hands each call to its own account's strategy. */
class AccountRetryStrategyTest {

  /** Records what it is asked; refuses refreshes once {@code budget} is used up. */
  static final class Recording implements RetryStrategy {
    final List<String> asked = new ArrayList<>();
    int budget;

    Recording(int budget) {
      this.budget = budget;
    }

    record Token(Recording owner) implements RetryToken {}

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
      asked.add("acquire");
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
}
