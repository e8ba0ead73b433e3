package dev.parapet.operator.aws.inventory.ec2;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Tags;
import java.util.List;
import java.util.Map;

/**
 * The AMIs owned by the account in one region: only those whose returned {@code OwnerId} is the
 * scanned account ({@code Owners=self} is not trusted), with the {@code Public} flag DescribeImages
 * returns for each image.
 */
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
  public record Image(
      String imageId, String ownerId, String name, boolean isPublic, Map<String, String> tags) {
    public Image {
      tags = Tags.copy(tags);
    }
  }
}
