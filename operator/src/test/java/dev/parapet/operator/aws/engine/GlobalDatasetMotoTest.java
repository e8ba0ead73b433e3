package dev.parapet.operator.aws.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.core.Severity;
import dev.parapet.operator.aws.collect.AwsClientFactory;
import dev.parapet.operator.aws.collect.Collector;
import dev.parapet.operator.aws.collect.CollectorRegistry;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import dev.parapet.operator.aws.inventory.Datasets;
import dev.parapet.operator.aws.inventory.UnknownReason;
import dev.parapet.operator.aws.rules.GlobalRule;
import dev.parapet.operator.aws.rules.RegionView;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.operator.aws.rules.RuleDefinition;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.RuleRegistry;
import dev.parapet.operator.aws.rules.RuleResult;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The engine's handling of global (account-wide) data, with a test-only dataset and rule: read once
 * per account whatever the number of regions, judged under {@code global}, and UNKNOWN (not PASS)
 * when the global call fails.
 */
@ExtendWith(MotoExtension.class)
class GlobalDatasetMotoTest {

  /** Test-only global dataset: the IAM account summary. */
  @DatasetSpec(service = "iam", global = true, actions = "iam:GetAccountSummary")
  record Summary(java.util.Map<String, Integer> values) implements Dataset {
    @Override
    public int resourceCount() {
      return 1;
    }
  }

  /** Test-only global rule: FAIL when the account has no MFA device on the root user. */
  static final class RootMfaForTestRule extends GlobalRule {
    static final RuleDefinition DEFINITION =
        RuleDefinition.builder("aws-test-root-mfa")
            .title("Root MFA off (test rule)", "ルート MFA 無効 (テスト用ルール)")
            .remediation("Use a role.", "ロールを使用してください。", "https://example.com")
            .severity(Severity.LOW)
            .resourceType("AWS::::Account")
            .fsbp("Test.1")
            .reads(Summary.class)
            .build();

    @Override
    public RuleDefinition definition() {
      return DEFINITION;
    }

    @Override
    protected void evaluateAccount(RegionView view, RuleParameters p, List<RuleResult> results) {
      var mfa = view.get(Summary.class).values().getOrDefault("AccountMFAEnabled", 0);
      var resource = view.accountSetting("iam", "root-mfa");
      results.add(mfa == 1 ? RuleResult.pass(resource) : RuleResult.fail(resource, "no root MFA"));
    }
  }

  private static ScanEngine engine(AwsClientFactory factory) {
    var collectors =
        CollectorRegistry.of(
            List.of(
                Collector.of(
                    Summary.class,
                    ctx ->
                        new Summary(
                            ctx.session()
                                .client(IamClient.class)
                                .getAccountSummary()
                                .summaryMapAsStrings()))));
    return new ScanEngine(
        factory,
        new RuleRegistry(List.of(new RootMfaForTestRule())),
        collectors,
        Clock.systemUTC());
  }

  private static ScanRequest request(java.net.URI endpoint, MotoServer moto) {
    return ScanRequest.of(MotoServer.ACCOUNT_ID, List.of("us-east-1", "eu-west-1", "ap-south-1"))
        .withCredentials(moto.credentials())
        .withEndpoint(endpoint);
  }

  @Test
  void globalDataIsReadOnceAndJudgedOnceWhateverTheRegionCount(MotoServer moto) {
    try (var factory = new AwsClientFactory(MotoScans.testSettings())) {
      var report = engine(factory).scan(request(moto.endpoint(), moto));
      assertThat(report.apiCalls())
          .isEqualTo(java.util.Map.of("sts:GetCallerIdentity", 1L, "iam:GetAccountSummary", 1L));
      assertThat(report.results())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.region()).isEqualTo(Datasets.GLOBAL);
                assertThat(r.status()).isEqualTo(ResultStatus.FAIL);
                assertThat(r.resource().arn())
                    .isEqualTo("arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":root-mfa");
              });
      assertThat(report.regionStates())
          .extracting(s -> s.region())
          .containsExactly(Datasets.GLOBAL);
    }
  }

  @Test
  void aFailedGlobalCallIsOneUnknownForTheAccountNeverPassOrFail(MotoServer moto) {
    try (var proxy = new MotoProxy(moto);
        var factory = new AwsClientFactory(MotoScans.testSettings())) {
      proxy.accessDenied("iam", "us-east-1");
      var report = engine(factory).scan(request(proxy.endpoint(), moto));
      assertThat(report.results())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.status()).isEqualTo(ResultStatus.UNKNOWN);
                assertThat(r.region()).isEqualTo(Datasets.GLOBAL);
                assertThat(r.cause().reason()).isEqualTo(UnknownReason.AccessDenied);
              });
      assertThat(report.unknownScopes())
          .singleElement()
          .satisfies(s -> assertThat(s.region()).isEqualTo(Datasets.GLOBAL));
      assertThat(report.errors())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.service()).isEqualTo("iam");
                assertThat(e.operation()).isEqualTo("GetAccountSummary");
              });
    }
  }
}
