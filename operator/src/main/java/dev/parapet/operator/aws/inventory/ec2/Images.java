package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;

/** The AMIs owned by the account in one region. */
@DatasetSpec(service = "ec2", actions = "ec2:DescribeImages")
public record Images(List<Image> images) implements Dataset {

  public Images {
    images = List.copyOf(images);
  }

  @Override
  public int resourceCount() {
    return images.size();
  }

  /** One owned image. */
  public record Image(String imageId, String name, boolean isPublic, Map<String, String> tags) {
    public Image {
      tags = Tags.copy(tags);
    }
  }
}
