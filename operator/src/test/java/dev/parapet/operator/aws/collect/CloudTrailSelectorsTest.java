package dev.parapet.operator.aws.collect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;

/** Which management events classic and advanced event selectors record. */
class CloudTrailSelectorsTest {

  private static boolean[] of(GetEventSelectorsResponse.Builder b) {
    return CloudTrailCollector.managementEvents(b.build());
  }

  private static AdvancedEventSelector advanced(String readOnly) {
    var category =
        AdvancedFieldSelector.builder().field("eventCategory").equalsValue("Management").build();
    if (readOnly == null) {
      return AdvancedEventSelector.builder().fieldSelectors(category).build();
    }
    return AdvancedEventSelector.builder()
        .fieldSelectors(
            category,
            AdvancedFieldSelector.builder().field("readOnly").equalsValue(readOnly).build())
        .build();
  }

  @Test
  void classicSelectors() {
    assertThat(
            of(
                GetEventSelectorsResponse.builder()
                    .eventSelectors(
                        s -> s.readWriteType(ReadWriteType.ALL).includeManagementEvents(true))))
        .containsExactly(true, true);
    assertThat(
            of(
                GetEventSelectorsResponse.builder()
                    .eventSelectors(
                        s ->
                            s.readWriteType(ReadWriteType.WRITE_ONLY)
                                .includeManagementEvents(true))))
        .containsExactly(false, true);
    assertThat(
            of(
                GetEventSelectorsResponse.builder()
                    .eventSelectors(
                        s -> s.readWriteType(ReadWriteType.ALL).includeManagementEvents(false))))
        .containsExactly(false, false);
  }

  @Test
  void advancedSelectorsCombineAcrossSelectors() {
    assertThat(of(GetEventSelectorsResponse.builder().advancedEventSelectors(advanced(null))))
        .containsExactly(true, true);
    assertThat(of(GetEventSelectorsResponse.builder().advancedEventSelectors(advanced("true"))))
        .containsExactly(true, false);
    assertThat(
            of(
                GetEventSelectorsResponse.builder()
                    .advancedEventSelectors(advanced("true"), advanced("false"))))
        .containsExactly(true, true);
    var dataOnly =
        AdvancedEventSelector.builder()
            .fieldSelectors(
                AdvancedFieldSelector.builder().field("eventCategory").equalsValue("Data").build())
            .build();
    assertThat(of(GetEventSelectorsResponse.builder().advancedEventSelectors(dataOnly)))
        .containsExactly(false, false);
  }
}
