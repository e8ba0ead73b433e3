package dev.parapet.operator.aws.inventory.cis;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import java.util.List;

/** The IAM Access Analyzer analyzers of one region (ListAnalyzers, paginated, every type). */
@DatasetSpec(service = "accessanalyzer", actions = "access-analyzer:ListAnalyzers")
public record AccessAnalyzers(List<Analyzer> analyzers) implements Dataset {

  public AccessAnalyzers {
    analyzers = List.copyOf(analyzers);
  }

  @Override
  public int resourceCount() {
    return analyzers.size();
  }

  /** An analyzer: its type (ACCOUNT, ORGANIZATION, ..._UNUSED_ACCESS) and status (ACTIVE, ...). */
  public record Analyzer(String name, String arn, String type, String status) {}
}
