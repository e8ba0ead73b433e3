package dev.parapet.operator.aws.engine;

/** The credentials belong to another account than the one requested. Nothing was scanned. */
public final class IdentityMismatchException extends ScanException {
  private final String expectedAccountId;
  private final String actualAccountId;

  public IdentityMismatchException(String expected, String actual, String arn) {
    super(
        "credentials belong to account "
            + actual
            + " ("
            + arn
            + ") but the CloudAccount names account "
            + expected
            + "; nothing was scanned");
    this.expectedAccountId = expected;
    this.actualAccountId = actual;
  }

  public String expectedAccountId() {
    return expectedAccountId;
  }

  public String actualAccountId() {
    return actualAccountId;
  }
}
