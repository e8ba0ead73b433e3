package dev.parapet.operator.aws.collect;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts API calls per {@code service:Operation} (e.g. {@code ec2:DescribeVolumes}) (one per
 * logical call, retries not included) and HTTP attempts (retries included). One counter per scan;
 * thread-safe.
 */
public final class ApiCallCounter implements ExecutionInterceptor {
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> callsByRegion = new ConcurrentHashMap<>();
  private final LongAdder attempts = new LongAdder();
  private final ThreadLocal<String> lastOperation = new ThreadLocal<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    var key = key(attributes);
    lastOperation.set(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    calls.computeIfAbsent(key, k -> new LongAdder()).increment();
    var region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
    callsByRegion
        .computeIfAbsent((region == null ? "?" : region.id()) + "/" + key, k -> new LongAdder())
        .increment();
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    attempts.increment();
  }

  private static String key(ExecutionAttributes attributes) {
    var service =
        attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(Locale.ROOT);
    // Keys use the IAM action prefix where the SDK's service name differs from it.
    if (service.equals("cloudwatchlogs")) {
      service = "logs";
    } else if (service.equals("accessanalyzer")) {
      service = "access-analyzer";
    } else if (service.equals("configservice")) {
      service = "config";
    } else if (service.equals("efs")) {
      service = "elasticfilesystem";
    }
    return service + ":" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
  }

  /** The operation most recently started on this thread (names the failing call in errors). */
  String lastOperationOnThisThread() {
    var op = lastOperation.get();
    return op == null ? "" : op;
  }

  /** Logical calls per {@code service:Operation}, sorted. */
  public Map<String, Long> calls() {
    var out = new TreeMap<String, Long>();
    calls.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Logical calls per {@code region/service:Operation}, sorted. */
  public Map<String, Long> callsByRegion() {
    var out = new TreeMap<String, Long>();
    callsByRegion.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public long totalCalls() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** HTTP attempts, retries included. */
  public long totalAttempts() {
    return attempts.sum();
  }
}
