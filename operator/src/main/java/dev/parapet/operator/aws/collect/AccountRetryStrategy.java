package dev.parapet.operator.aws.collect;

import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The retry strategy of the shared clients: each call uses the retry strategy of the account bound
 * to the calling thread ({@link ScanAttribution}), in the scope of this client's service and region
 * ({@code "service@region"}), so every account keeps its own retry quota and, with an adaptive
 * strategy, its own sending rate per service and region, as it did with clients of its own. The SDK
 * asks a client's strategy for tokens in one scope for all calls; this replaces it with the client
 * name, and the SDK's strategies keep their retry-quota and rate-limiter buckets per scope, so one
 * strategy per account suffices (a whole strategy per account, service and region was ≈276 of them
 * per account in a 17-region scan, ≈0.37 MiB of heap per account; see docs/benchmarks.md). The
 * token handed to the SDK remembers which account's strategy issued it (and the SDK's token its
 * scope), so the later refresh and success of that call go back to the same strategy and scope
 * whatever is bound by then. A call with no account bound uses {@code fallback} (it fails before
 * sending anyway: it has no credentials, see {@link AwsClientFactory}).
 */
final class AccountRetryStrategy implements RetryStrategy {
  private final RetryStrategy fallback;
  private final String client;

  /** {@code client} names the shared client (service and region) whose calls this routes. */
  AccountRetryStrategy(RetryStrategy fallback, String client) {
    this.fallback = fallback;
    this.client = client;
  }

  /** A token of {@code owner}'s. */
  record AccountToken(RetryStrategy owner, RetryToken token) implements RetryToken {}

  private RetryStrategy current() {
    var scope = ScanAttribution.current();
    return scope == null ? fallback : scope.source().retryStrategy();
  }

  @Override
  public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
    // The SDK's scope (one for every call of the client) is replaced by the client's name.
    var owner = current();
    try {
      var response = owner.acquireInitialToken(AcquireInitialTokenRequest.create(client));
      return AcquireInitialTokenResponse.create(
          new AccountToken(owner, response.token()), response.delay());
    } catch (TokenAcquisitionFailedException e) {
      throw rewrap(owner, e);
    }
  }

  @Override
  public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
    var token = (AccountToken) request.token();
    var inner = RefreshRetryTokenRequest.builder().token(token.token()).failure(request.failure());
    request.suggestedDelay().ifPresent(inner::suggestedDelay);
    try {
      var response = token.owner().refreshRetryToken(inner.build());
      return RefreshRetryTokenResponse.create(
          new AccountToken(token.owner(), response.token()), response.delay());
    } catch (TokenAcquisitionFailedException e) {
      throw rewrap(token.owner(), e);
    }
  }

  @Override
  public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
    var token = (AccountToken) request.token();
    var response = token.owner().recordSuccess(RecordSuccessRequest.create(token.token()));
    return RecordSuccessResponse.create(new AccountToken(token.owner(), response.token()));
  }

  private static TokenAcquisitionFailedException rewrap(
      RetryStrategy owner, TokenAcquisitionFailedException e) {
    if (e.token() == null) {
      return e;
    }
    var out =
        new TokenAcquisitionFailedException(
            e.getMessage(), new AccountToken(owner, e.token()), e.getCause());
    out.setStackTrace(e.getStackTrace());
    return out;
  }

  @Override
  public int maxAttempts() {
    return current().maxAttempts();
  }

  /** Each account's strategy already has the client defaults. */
  @Override
  public boolean useClientDefaults() {
    return false;
  }

  @Override
  public Builder<?, ?> toBuilder() {
    return fallback.toBuilder();
  }
}
