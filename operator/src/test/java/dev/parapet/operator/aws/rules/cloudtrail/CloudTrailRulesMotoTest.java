package dev.parapet.operator.aws.rules.cloudtrail;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;

/**
 * CloudTrail rules (checks 25-26) end to end against moto. Trails are per account, so the tests run
 * in one ordered story: a read-only multi-region trail (FAIL), then a complete one (PASS).
 */
class CloudTrailRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  private static final String NO_TRAIL = "aws-cloudtrail-no-multi-region-trail";
  private static final String VALIDATION = "aws-cloudtrail-log-validation-off";

  @Test
  void multiRegionTrailMustLogAndRecordReadAndWriteManagementEvents() {
    var moto = MOTO.server();
    var regions = List.of("us-east-1", "eu-west-1");
    try (var s3 = new AwsSeed(moto).s3("us-east-1");
        var us = new AwsSeed(moto).cloudTrail("us-east-1");
        var eu = new AwsSeed(moto).cloudTrail("eu-west-1")) {
      s3.createBucket(b -> b.bucket("trail-logs"));
      var none = MotoScans.scan(moto, regions, CloudPolicy.only(NO_TRAIL));
      assertThat(none.failures())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.evidence()).contains("no multi-region trail");
                assertThat(r.resource().id()).isEqualTo(MotoServer.ACCOUNT_ID);
              });

      // A multi-region trail homed in eu-west-1, logging, but recording reads only (advanced
      // selectors), and a single-region trail: still a FAIL.
      eu.createTrail(b -> b.name("reads-only").s3BucketName("trail-logs").isMultiRegionTrail(true));
      eu.startLogging(b -> b.name("reads-only"));
      eu.putEventSelectors(
          b ->
              b.trailName("reads-only")
                  .advancedEventSelectors(
                      AdvancedEventSelector.builder()
                          .name("management reads")
                          .fieldSelectors(
                              AdvancedFieldSelector.builder()
                                  .field("eventCategory")
                                  .equalsValue("Management")
                                  .build(),
                              AdvancedFieldSelector.builder()
                                  .field("readOnly")
                                  .equalsValue("true")
                                  .build())
                          .build()));
      us.createTrail(b -> b.name("single-region").s3BucketName("trail-logs"));
      us.startLogging(b -> b.name("single-region"));
      var partial = MotoScans.scan(moto, regions, CloudPolicy.only(NO_TRAIL));
      assertThat(partial.failures())
          .singleElement()
          .satisfies(
              r -> assertThat(r.evidence()).contains("reads-only misses write management events"));

      // The clean twin: a logging multi-region trail with classic All management events.
      us.createTrail(
          b ->
              b.name("org-audit")
                  .s3BucketName("trail-logs")
                  .isMultiRegionTrail(true)
                  .enableLogFileValidation(true));
      us.startLogging(b -> b.name("org-audit"));
      us.putEventSelectors(
          b ->
              b.trailName("org-audit")
                  .eventSelectors(
                      s -> s.readWriteType(ReadWriteType.ALL).includeManagementEvents(true)));
      var complete = MotoScans.scan(moto, regions, CloudPolicy.only(NO_TRAIL, VALIDATION));
      assertThat(failedIds(complete, NO_TRAIL)).isEmpty();
      assertThat(passedIds(complete, NO_TRAIL)).containsExactly(MotoServer.ACCOUNT_ID);
      assertThat(complete.withStatus(ResultStatus.UNKNOWN)).isEmpty();

      // Check 26 on the same trails, each judged once in its home region.
      assertThat(failedIds(complete, VALIDATION))
          .containsExactlyInAnyOrder("reads-only", "single-region");
      assertThat(passedIds(complete, VALIDATION)).containsExactly("org-audit");
      var euTrail =
          complete.failures().stream()
              .filter(r -> r.resource().id().equals("reads-only"))
              .findFirst()
              .orElseThrow();
      assertThat(euTrail.region()).isEqualTo("eu-west-1");

      // One DescribeTrails per region plus one with shadow trails for the account, then status
      // and selectors once per multi-region trail (2 of them): no per-region repeats. The
      // log-validation rule's trail tags (for exceptions): one ListTags batch per region homing a
      // trail (us-east-1 and eu-west-1), never one per trail.
      assertThat(complete.apiCalls())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "sts:GetCallerIdentity", 1L,
                  "cloudtrail:DescribeTrails", 3L,
                  "cloudtrail:GetTrailStatus", 2L,
                  "cloudtrail:GetEventSelectors", 2L,
                  "cloudtrail:ListTags", 2L));
    }
  }
}
