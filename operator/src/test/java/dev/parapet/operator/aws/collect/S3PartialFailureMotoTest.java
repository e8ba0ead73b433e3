package dev.parapet.operator.aws.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults in per-bucket S3 reads, injected by WireMock in front of moto: one bucket refusing one
 * call is UNKNOWN for that bucket only (the error names bucket, region and cause); the same call
 * refused for every bucket makes the whole dataset unknown, reported once.
 */
class S3PartialFailureMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  private static final String RULE = "aws-s3-bucket-versioning-off";
  private WireMockServer proxy;

  @BeforeEach
  void start() {
    var moto = MOTO.server();
    try (var s3 = new AwsSeed(moto).s3("us-east-1")) {
      for (var name : List.of("open-book", "locked-vault", "plain-bucket")) {
        s3.createBucket(b -> b.bucket(name));
      }
      s3.putBucketVersioning(
          b -> b.bucket("plain-bucket").versioningConfiguration(v -> v.status("Enabled")));
    }
    proxy = MotoProxy.recording(moto);
  }

  @AfterEach
  void stop() {
    proxy.stop();
    try (var s3 = new AwsSeed(MOTO.server()).s3("us-east-1")) {
      for (var name : List.of("open-book", "locked-vault", "plain-bucket")) {
        s3.deleteBucket(b -> b.bucket(name));
      }
    }
  }

  private void denyVersioning(String pathRegex) {
    proxy.stubFor(
        get(urlPathMatching(pathRegex))
            .withQueryParam("versioning", matching(".*"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "application/xml")
                    .withBody(
                        "<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
                            + "<RequestId>stub</RequestId></Error>")));
  }

  private static com.github.tomakehurst.wiremock.matching.UrlPathPattern urlPathMatching(
      String regex) {
    return com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(regex);
  }

  @Test
  void oneBucketRefusingIsUnknownAloneAndTheOthersAreJudged() {
    denyVersioning("/locked-vault/?");
    var report =
        MotoScans.scan(
            URI.create(proxy.baseUrl()),
            List.of("us-east-1"),
            CloudPolicy.only(RULE),
            MotoScans.testSettings());

    assertThat(failedIds(report, RULE)).containsExactly("open-book");
    assertThat(passedIds(report, RULE)).containsExactly("plain-bucket");
    assertThat(report.withStatus(ResultStatus.UNKNOWN))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.region()).isEqualTo("us-east-1");
              assertThat(r.cause().reason()).isEqualTo(UnknownReason.AccessDenied);
              assertThat(r.evidence()).contains("locked-vault");
            });
    assertThat(report.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.service()).isEqualTo("s3");
              assertThat(e.region()).isEqualTo("us-east-1");
              assertThat(e.operation()).isEqualTo("GetBucketVersioning");
              assertThat(e.message()).contains("bucket locked-vault").contains("AccessDenied");
            });
  }

  @Test
  void everyBucketRefusingMakesTheDatasetUnknownOnce() {
    denyVersioning("/[^/]+/?");
    var report =
        MotoScans.scan(
            URI.create(proxy.baseUrl()),
            List.of("us-east-1"),
            CloudPolicy.only(RULE, "aws-s3-bucket-acls-enabled"),
            MotoScans.testSettings());

    assertThat(report.withStatus(ResultStatus.UNKNOWN))
        .singleElement()
        .satisfies(r -> assertThat(r.ruleId()).isEqualTo(RULE));
    assertThat(report.errors()).hasSize(1);
    assertThat(failedIds(report, "aws-s3-bucket-acls-enabled"))
        .containsExactlyInAnyOrder("open-book", "locked-vault", "plain-bucket");
  }
}
