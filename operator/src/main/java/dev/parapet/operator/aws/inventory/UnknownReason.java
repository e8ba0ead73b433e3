package dev.parapet.operator.aws.inventory;

/** Why a value is unknown. */
public enum UnknownReason {
  /** The credentials lack the IAM permission (or the call was refused by an SCP). */
  AccessDenied,
  /** The API kept throttling after the SDK's retries. */
  Throttled,
  /** The call or the region did not answer in time. */
  Timeout,
  /** The endpoint does not implement the API (emulators, some partitions). */
  Unsupported,
  /** Any other failure; the message says what. */
  Error
}
