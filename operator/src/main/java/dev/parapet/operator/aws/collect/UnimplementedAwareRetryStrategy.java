package dev.parapet.operator.aws.collect;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.internal.retry.SdkDefaultRetryStrategy;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;
import software.amazon.awssdk.retries.internal.DefaultAwareRetryStrategy;

/**
 * The delegate strategy (adaptive, {@link AwsClientFactory#retryStrategy()}), except that an answer
 * meaning "this endpoint does not implement the API" is not retried: HTTP 500 or 501 without an AWS
 * error code (an emulator's HTML error page; AWS's own 500s carry {@code InternalError} / {@code
 * InternalFailure} and stay retried). Asking again cannot change such an answer, and retrying it
 * cost six attempts per region and API. Throttling and every other retryable failure keep the
 * delegate's (throttling-aware) behaviour.
 */
final class UnimplementedAwareRetryStrategy implements RetryStrategy {
  private final RetryStrategy delegate;

  UnimplementedAwareRetryStrategy(RetryStrategy delegate) {
    this.delegate = delegate;
  }

  /**
   * The strategy with the retry conditions an AWS client adds to a strategy it is given (AWS
   * throttling and transient error codes, retryable status codes), as the client builder does: it
   * adds them only to the SDK's own strategy classes, never to this wrapper.
   */
  static RetryStrategy withClientDefaults(RetryStrategy strategy) {
    if (strategy.useClientDefaults() && strategy instanceof DefaultAwareRetryStrategy aware) {
      return aware
          .addDefaults(AwsRetryStrategy.retryStrategyDefaults())
          .addDefaults(SdkDefaultRetryStrategy.retryStrategyDefaults())
          .toBuilder()
          .build();
    }
    return strategy;
  }

  /** True for an answer no retry can change: the endpoint lacks the API. */
  static boolean unimplemented(Throwable failure) {
    if (!(failure instanceof AwsServiceException e)) {
      return false;
    }
    var status = e.statusCode();
    var code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return (status == 500 || status == 501) && (code == null || code.isBlank());
  }

  @Override
  public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
    return delegate.acquireInitialToken(request);
  }

  @Override
  public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
    if (unimplemented(request.failure())) {
      throw new TokenAcquisitionFailedException(
          "not retried: the endpoint does not implement this API",
          request.token(),
          request.failure());
    }
    return delegate.refreshRetryToken(request);
  }

  @Override
  public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
    return delegate.recordSuccess(request);
  }

  @Override
  public int maxAttempts() {
    return delegate.maxAttempts();
  }

  /** The delegate already has the client defaults ({@link #withClientDefaults}). */
  @Override
  public boolean useClientDefaults() {
    return false;
  }

  @Override
  public Builder<?, ?> toBuilder() {
    return delegate.toBuilder();
  }
}
