package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.webhook.secrets.Redactor;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns an SDK failure into a {@link CollectionError} with a reason and a redacted message. */
public final class Failures {
  private static final Set<String> ACCESS_DENIED =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "UnauthorizedOperation",
          "UnauthorizedAccess",
          "AuthorizationError",
          "AuthFailure",
          "Forbidden",
          "InvalidClientTokenId",
          "UnrecognizedClientException",
          "OptInRequired");
  private static final Set<String> UNSUPPORTED =
      Set.of(
          "InvalidAction",
          "UnsupportedOperation",
          "UnsupportedOperationException",
          "NotImplemented",
          "UnknownOperationException",
          "InvalidRequest.NotSupported");

  private Failures() {}

  public static CollectionError classify(
      Throwable failure, String service, String region, String operation) {
    return new CollectionError(
        service, region, operation, reason(failure), Redactor.redact(text(message(failure))));
  }

  private static String text(String message) {
    return message == null ? "" : message;
  }

  /**
   * True when the endpoint never answered: the connection was refused or timed out while
   * connecting, or the host does not resolve (not a credentials problem).
   */
  public static boolean unreachable(Throwable t) {
    for (var c = t; c != null; c = c.getCause()) {
      if (c instanceof java.net.ConnectException
          || c instanceof java.net.UnknownHostException
          || c instanceof java.net.NoRouteToHostException) {
        return true;
      }
    }
    return false;
  }

  static UnknownReason reason(Throwable t) {
    if (t instanceof AwsServiceException ase) {
      var code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
      if (ase.isThrottlingException() || ase.statusCode() == 429) {
        return UnknownReason.Throttled;
      }
      if ((code != null && ACCESS_DENIED.contains(code)) || ase.statusCode() == 403) {
        return UnknownReason.AccessDenied;
      }
      if ((code != null && UNSUPPORTED.contains(code)) || ase.statusCode() == 501) {
        return UnknownReason.Unsupported;
      }
      if (ase.getMessage() != null && ase.getMessage().contains("has not been implemented")) {
        return UnknownReason.Unsupported; // moto's answer for an API it lacks
      }
      return UnknownReason.Error;
    }
    for (var c = t; c != null; c = c.getCause()) {
      if (c instanceof ApiCallTimeoutException
          || c instanceof ApiCallAttemptTimeoutException
          || c instanceof SocketTimeoutException
          || c instanceof HttpTimeoutException) {
        return UnknownReason.Timeout;
      }
    }
    return UnknownReason.Error;
  }

  private static String message(Throwable t) {
    if (t instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      var d = ase.awsErrorDetails();
      if (d.errorCode() == null && d.errorMessage() == null) {
        return "HTTP "
            + ase.statusCode()
            + " with no AWS error code or message (the endpoint may not implement this API)";
      }
      return d.errorCode()
          + (d.errorMessage() == null ? "" : ": " + d.errorMessage())
          + " (HTTP "
          + ase.statusCode()
          + ")";
    }
    for (var c = t; c != null; c = c.getCause()) {
      if (c instanceof java.net.ConnectException) {
        return "cannot connect to the AWS endpoint ("
            + firstLine(c.getMessage())
            + "); check spec.endpointOverride, the region and the network";
      }
      if (c instanceof java.net.UnknownHostException) {
        return "cannot resolve the AWS endpoint host " + firstLine(c.getMessage());
      }
    }
    if (t.getMessage() != null && t.getMessage().startsWith("Unable to load credentials")) {
      return "no AWS credentials: the default chain (IRSA web identity, EKS Pod Identity,"
          + " environment, profile, instance profile) found none; set spec.credentials or give the"
          + " controller an identity (the chart's controller.irsa.roleArn)";
    }
    if (t instanceof SdkException && t.getMessage() != null) {
      return firstLine(t.getMessage());
    }
    return t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + firstLine(t.getMessage()));
  }

  /**
   * The first line of a client-side message, at most 300 characters: SDK client exceptions chain
   * every provider's or attempt's text into one string that no condition or Event should carry.
   */
  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    var line = message.lines().findFirst().orElse("").strip();
    return line.length() <= 300 ? line : line.substring(0, 297) + "...";
  }
}
