package dev.parapet.operator.aws.engine;

/**
 * A scan that could not start (bad policy, bad credentials, wrong account). Nothing was scanned.
 */
public class ScanException extends RuntimeException {
  public ScanException(String message) {
    super(message);
  }
}
