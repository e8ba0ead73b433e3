package dev.parapet.operator.aws.collect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;

/** Advanced event selectors for S3 object-level events (CIS 3.8, 3.9). */
class S3DataEventSelectorsTest {

  static AdvancedFieldSelector eq(String field, String... values) {
    return AdvancedFieldSelector.builder().field(field).equalsValue(values).build();
  }

  static GetEventSelectorsResponse advanced(AdvancedFieldSelector... fields) {
    return GetEventSelectorsResponse.builder()
        .advancedEventSelectors(AdvancedEventSelector.builder().fieldSelectors(fields).build())
        .build();
  }

  @Test
  void logAllS3EventsTemplateCoversReadsAndWritesOfEveryBucket() {
    var e =
        S3DataEventSelectors.of(
            advanced(eq("eventCategory", "Data"), eq("resources.type", "AWS::S3::Object")));
    assertThat(e.allReads()).isTrue();
    assertThat(e.allWrites()).isTrue();
  }

  @Test
  void readOnlyFalseIsWritesOnly() {
    var e =
        S3DataEventSelectors.of(
            advanced(
                eq("eventCategory", "Data"),
                eq("resources.type", "AWS::S3::Object"),
                eq("readOnly", "false")));
    assertThat(e.allWrites()).isTrue();
    assertThat(e.allReads()).isFalse();
  }

  @Test
  void arnPrefixNamesOneBucketAndExclusionsOrEventNamesCoverNothing() {
    var one =
        S3DataEventSelectors.of(
            advanced(
                eq("eventCategory", "Data"),
                eq("resources.type", "AWS::S3::Object"),
                AdvancedFieldSelector.builder()
                    .field("resources.ARN")
                    .startsWith("arn:aws:s3:::audited/")
                    .build()));
    assertThat(one.allWrites()).isFalse();
    assertThat(one.writes("audited")).isTrue();
    assertThat(one.reads("audited")).isTrue();
    assertThat(one.writes("other")).isFalse();
    var excluded =
        S3DataEventSelectors.of(
            advanced(
                eq("eventCategory", "Data"),
                eq("resources.type", "AWS::S3::Object"),
                AdvancedFieldSelector.builder()
                    .field("resources.ARN")
                    .notStartsWith("arn:aws:s3:::noisy/")
                    .build()));
    assertThat(excluded.allWrites()).isFalse();
    var someEvents =
        S3DataEventSelectors.of(
            advanced(
                eq("eventCategory", "Data"),
                eq("resources.type", "AWS::S3::Object"),
                eq("eventName", "PutObject")));
    assertThat(someEvents.allWrites()).isFalse();
    var lambda =
        S3DataEventSelectors.of(
            advanced(eq("eventCategory", "Data"), eq("resources.type", "AWS::Lambda::Function")));
    assertThat(lambda.allReads()).isFalse();
  }
}
