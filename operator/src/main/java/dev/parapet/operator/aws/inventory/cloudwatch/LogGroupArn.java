package dev.parapet.operator.aws.inventory.cloudwatch;

/**
 * A CloudWatch Logs log group ARN: {@code
 * arn:<partition>:logs:<region>:<account>:log-group:<name>[:*]}.
 */
public record LogGroupArn(String region, String account, String name) {

  /** The parts of {@code arn}, or null when it is not a log group ARN. */
  public static LogGroupArn parse(String arn) {
    if (arn == null) {
      return null;
    }
    var parts = arn.split(":", 7);
    if (parts.length < 7 || !parts[2].equals("logs") || !parts[5].equals("log-group")) {
      return null;
    }
    var name = parts[6].endsWith(":*") ? parts[6].substring(0, parts[6].length() - 2) : parts[6];
    return new LogGroupArn(parts[3], parts[4], name);
  }
}
