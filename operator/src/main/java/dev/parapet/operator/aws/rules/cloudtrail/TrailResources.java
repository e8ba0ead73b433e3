package dev.parapet.operator.aws.rules.cloudtrail;

import dev.parapet.operator.aws.inventory.cloudtrail.TrailTags;
import dev.parapet.operator.aws.inventory.cloudtrail.Trails;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.Resource;
import java.util.Map;

/** The resource of a trail judged in its home region, shared by the per-trail rules. */
final class TrailResources {
  private TrailResources() {}

  /** With the trail's tags when {@link TrailTags} could be read. */
  static Resource resource(RegionView view, Trails.Trail trail) {
    if (trail.arn() == null) {
      return view.resource(
          "AWS::CloudTrail::Trail", trail.name(), "cloudtrail", "trail/" + trail.name(), Map.of());
    }
    return new Resource(
        "AWS::CloudTrail::Trail",
        trail.name(),
        trail.arn(),
        view.accountId(),
        view.region(),
        view.tagSource(TrailTags.class).map(t -> t.of(trail.arn())).orElse(Map.of()));
  }
}
