package dev.parapet.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.demo.LocalControlPlane;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code parapet demo} end to end: moto, a real local API server, controller and webhook. */
class DemoE2ETest {

  /** The demo's fake credentials (DemoApplication); neither may ever be printed. */
  static final String FAKE_KEY_ID = "AKIAQZ7PARAPETDEMO2X";

  static final String FAKE_SECRET = "Parapet+Demo/Fake9xQz3Kv7Lm2Rt8Wp5Ys1Bn4";

  @Test
  void demoRunsEndToEndOnARealApiServerAndPrintsItsSummary() throws Exception {
    // The test command builds the control plane binaries first, so the demo runs on a real API
    // server here.
    assertThat(LocalControlPlane.installedBinaries()).isPresent();
    var r = demo(Map.of());
    assertThat(r.out())
        .contains("Kubernetes  a real kube-apiserver v" + LocalControlPlane.VERSION)
        .doesNotContain("Fabric8 mock API server");
    assertTheDemoSummary(r);
  }

  /**
   * Without the binaries the demo says so in one line and runs on the mock server, with the same
   * packaged operator, which writes status and finalizers with server-side apply (the demo's mock
   * merges an apply document into the stored object; the mock alone answers 415).
   */
  @Test
  void demoFallsBackToTheMockServerWithoutTheBinaries() throws Exception {
    var r = demo(Map.of("PARAPET_KUBE_DIR", PackagedCli.ROOT.resolve("target/no-kube").toString()));
    assertThat(r.out())
        .contains("Kubernetes  the Fabric8 mock API server in this process")
        .contains("run scripts/ensure-kube.sh once")
        .doesNotContain("a real kube-apiserver");
    assertThat(r.out() + r.err())
        .doesNotContain("Unsupported Media Type")
        .doesNotContain("Uncaught error during event processing");
    assertTheDemoSummary(r);
  }

  private static PackagedCli.Result demo(Map<String, String> extra) throws Exception {
    var env = new java.util.HashMap<String, String>(extra);
    env.put(
        "PARAPET_DEMO_MOTO_SERVER", PackagedCli.ROOT.resolve(".venv/bin/moto_server").toString());
    env.put("PARAPET_DEMO_EXAMPLES", PackagedCli.ROOT.resolve("examples").toString());
    var r = PackagedCli.run(Duration.ofMinutes(6), env, "demo");
    assertThat(r.code()).as("exit code; stdout:\n%s\nstderr:\n%s", r.out(), r.err()).isZero();
    return r;
  }

  private static void assertTheDemoSummary(PackagedCli.Result r) {
    var out = r.out();
    assertThat(out)
        .contains("Parapet demo: what is emulated")
        .contains("Seeded AWS account 123456789012:")
        .contains("$ kubectl get cloudaccounts -n parapet-system")
        .containsPattern("NAME +ACCOUNT +READY +CRITICAL +HIGH +LAST-SCAN +AGE\n")
        .containsPattern(
            "production +123456789012 +True +[1-9]\\d* +[1-9]\\d* +\\d+[smhd] +\\d+[smhd]\n")
        .containsPattern("status: Ready=True \\(\\w+\\); critical [1-9]");
    assertThat(out)
        .as("the seeded misconfigurations become findings")
        .containsPattern("aws-ec2-sg-ssh-open-[0-9a-f]{12} +high +aws-ec2-sg-ssh-open +sg-")
        .containsPattern("aws-ec2-imdsv2-not-required-[0-9a-f]{12} +high")
        .containsPattern(
            "aws-s3-bucket-public-[0-9a-f]{12} +critical +aws-s3-bucket-public +acme-public-assets +Open")
        .containsPattern(
            "aws-iam-console-user-without-mfa-[0-9a-f]{12} +medium +aws-iam-console-user-without-mfa +alice +Open")
        .containsPattern("aws-cloudtrail-no-multi-region-trail-[0-9a-f]{12} +high");
    var findingsTable =
        out.substring(
            out.indexOf("$ kubectl get findings -n parapet-system"),
            out.indexOf("Admission webhook verdicts"));
    assertThat(findingsTable)
        .as("the seeded clean resources stay clean")
        .doesNotContain("ci-deployer");
    // moto cannot turn MFA delete on (it never returns MFADelete), so CIS 2.1.2 is the clean
    // bucket's one finding, and a true one
    assertThat(findingsTable.lines().filter(l -> l.contains("acme-private-logs")))
        .as("the clean bucket's only finding is MFA delete off")
        .allMatch(l -> l.contains("aws-s3-bucket-mfa-delete-off"))
        .hasSizeLessThanOrEqualTo(1);
    assertThat(out)
        .as("the webhook's verdicts")
        .contains("DENIED   Pod shop/debug-shell: container \"app\"")
        .contains("exposes forbidden port 22/TCP [rule port-forbidden, policy baseline]")
        .contains("DENIED   Deployment shop/billing:")
        .contains("AKIA************MO2X")
        .contains("ALLOWED  Deployment shop/storefront");
    assertThat(out)
        .as("the cluster audit of a running workload")
        .contains("$ kubectl get findings -n shop")
        .containsPattern(
            "Demo complete: \\d+ cloud findings and (1 workload finding|([2-9]|[1-9]\\d+) workload findings);");
    assertThat(out + r.err()).doesNotContain(FAKE_SECRET).doesNotContain(FAKE_KEY_ID);
  }
}
