package dev.parapet.operator.aws.inventory.cis;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import java.util.List;

/**
 * The AWS Config configuration recorders of one region with their status
 * (DescribeConfigurationRecorders and DescribeConfigurationRecorderStatus, one call each).
 */
@DatasetSpec(
    service = "config",
    actions = {
      "config:DescribeConfigurationRecorders",
      "config:DescribeConfigurationRecorderStatus"
    })
public record ConfigRecorders(List<Recorder> recorders) implements Dataset {

  public ConfigRecorders {
    recorders = List.copyOf(recorders);
  }

  @Override
  public int resourceCount() {
    return recorders.size();
  }

  /**
   * A recorder: whether it records every supported resource type, whether it is recording now, and
   * the status of its last delivery ({@code SUCCESS}, {@code PENDING}, {@code FAILURE}; null when
   * the status call did not list it).
   */
  public record Recorder(String name, boolean allSupported, boolean recording, String lastStatus) {}
}
