package dev.parapet.operator.aws.inventory.guardduty;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.PartialErrors;
import java.util.List;
import java.util.Map;

/**
 * The GuardDuty detectors of one region (ListDetectors, then GetDetector per detector; a region has
 * at most one).
 */
@DatasetSpec(
    service = "guardduty",
    actions = {"guardduty:ListDetectors", "guardduty:GetDetector"})
public record Detectors(List<Detector> detectors) implements Dataset {

  public Detectors {
    detectors = List.copyOf(detectors);
  }

  @Override
  public int resourceCount() {
    return detectors.size();
  }

  @Override
  public List<CollectionError> partialErrors() {
    return PartialErrors.of(detectors.stream().map(Detector::settings));
  }

  /** One detector. */
  public record Detector(String id, Fact<Settings> settings) {}

  /**
   * {@code status} as returned (ENABLED / DISABLED); {@code features} feature name to status, from
   * {@code Features} and, for a detector that returns none, from the legacy {@code DataSources}
   * (S3_DATA_EVENTS, EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION).
   */
  public record Settings(String status, Map<String, String> features) {
    public Settings {
      features = Map.copyOf(features);
    }

    public boolean enabled() {
      return "ENABLED".equalsIgnoreCase(status);
    }

    public boolean featureEnabled(String name) {
      return "ENABLED".equalsIgnoreCase(features.get(name));
    }
  }
}
