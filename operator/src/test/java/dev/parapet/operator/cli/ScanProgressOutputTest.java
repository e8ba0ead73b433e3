package dev.parapet.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScanProgressOutputTest {

  @Test
  void aLateReportFromASlowerThreadIsDroppedSoTheOutputOnlyCountsUp() {
    var bytes = new ByteArrayOutputStream();
    var err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    var progress = new ScanCommand(System.out, err).progress();
    progress.collected("ec2", "Instances", "eu-west-1", 1, 8);
    progress.collected("ec2", "Volumes", "eu-west-1", 2, 8);
    progress.collected("iam", "Users", "global", 8, 8);
    // the thread that finished sixth reports after the last one
    progress.collected("s3", "Buckets", "global", 6, 8);

    var lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines)
        .containsExactly(
            "parapet: collected 1/8 (ec2 Instances in eu-west-1), 7 left",
            "parapet: collected 2/8 (ec2 Volumes in eu-west-1), 6 left",
            "parapet: collected 8/8 (iam Users in global), 0 left");
  }

  @Test
  void aboutEveryTenthIsPrinted() {
    var bytes = new ByteArrayOutputStream();
    var err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    var progress = new ScanCommand(System.out, err).progress();
    for (var done = 1; done <= 100; done++) {
      progress.collected("ec2", "Instances", "eu-west-1", done, 100);
    }
    var lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines)
        .extracting(l -> l.replaceAll("parapet: collected (\\d+)/100 .*", "$1"))
        .containsExactly("1", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100");
  }
}
