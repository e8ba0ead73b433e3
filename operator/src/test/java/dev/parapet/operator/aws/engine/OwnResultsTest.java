package dev.parapet.operator.aws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.rules.Resource;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's last guard: no verdict about a resource whose ARN names another account. */
class OwnResultsTest {
  private static final String ACCOUNT = "123456789012";

  private static ScanResult fail(String id, String arn) {
    var meta = RuleRegistry.defaults().find("aws-cloudtrail-log-validation-off").orElseThrow();
    return new ScanResult(
        meta.metadata(),
        ResultStatus.FAIL,
        "eu-west-1",
        new Resource("AWS::CloudTrail::Trail", id, arn, ACCOUNT, "eu-west-1", Map.of()),
        "",
        meta.metadata().severity(),
        null);
  }

  @Test
  void resultsAboutAnotherAccountsResourceAreDropped() {
    var kept =
        ScanEngine.ownResults(
            List.of(
                fail("own", "arn:aws:cloudtrail:eu-west-1:" + ACCOUNT + ":trail/own"),
                fail("org", "arn:aws:cloudtrail:eu-west-1:111122223333:trail/org"),
                fail("snap", "arn:aws:ec2:eu-west-1::snapshot/snap-0example"),
                fail("bucket", "arn:aws:s3:::example-bucket")),
            ACCOUNT);
    assertThat(kept).extracting(r -> r.resource().id()).containsExactly("own", "snap", "bucket");
  }
}
