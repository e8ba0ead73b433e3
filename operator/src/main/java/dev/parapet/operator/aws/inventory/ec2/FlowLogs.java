package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import java.util.List;

/** The VPC flow logs of one region. */
@DatasetSpec(service = "ec2", actions = "ec2:DescribeFlowLogs")
public record FlowLogs(List<FlowLog> flowLogs) implements Dataset {

  public FlowLogs {
    flowLogs = List.copyOf(flowLogs);
  }

  @Override
  public int resourceCount() {
    return flowLogs.size();
  }

  /** One flow log and the resource (VPC, subnet or interface) it watches. */
  public record FlowLog(String flowLogId, String resourceId, String status) {}
}
