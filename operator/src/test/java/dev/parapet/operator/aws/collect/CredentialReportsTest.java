package dev.parapet.operator.aws.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The credential report CSV parser: columns by name, sentinels, commas in names, bad input. */
class CredentialReportsTest {
  private static final String HEADER =
      "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
          + "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
          + "access_key_1_last_used_date,access_key_1_last_used_region,"
          + "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
          + "access_key_2_last_used_date,access_key_2_last_used_region,"
          + "access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,"
          + "cert_2_last_rotated";

  @Test
  void readsRootAndUsersWithSentinelsAsNull() {
    var csv =
        HEADER
            + "\n<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,"
            + "not_supported,2026-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,"
            + "N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"
            + "\nalice,arn:aws:iam::123456789012:user/alice,2025-01-01T00:00:00+00:00,true,"
            + "no_information,2025-01-01T00:00:00+00:00,N/A,false,true,2025-02-01T00:00:00+00:00,"
            + "N/A,N/A,N/A,true,2025-03-01T00:00:00+00:00,2026-05-30T00:00:00+00:00,us-east-1,s3,"
            + "false,N/A,false,N/A\n";
    var report = CredentialReports.parse(csv, Instant.parse("2026-06-01T00:00:00Z"));
    assertThat(report.users()).hasSize(2);
    var root = report.users().get(0);
    assertThat(root.root()).isTrue();
    assertThat(root.passwordEnabled()).isNull();
    assertThat(root.mfaActive()).isTrue();
    var alice = report.users().get(1);
    assertThat(alice.hasPassword()).isTrue();
    assertThat(alice.passwordLastUsed()).isNull();
    assertThat(alice.activeKeys()).hasSize(2);
    assertThat(alice.accessKeys().get(0).lastUsed()).isNull();
    assertThat(alice.accessKeys().get(1).lastUsed())
        .isEqualTo(Instant.parse("2026-05-30T00:00:00Z"));
  }

  @Test
  void unquotedCommasInAUserNameAreFoldedBack() {
    var csv =
        HEADER
            + "\nops,eu,arn:aws:iam::123456789012:user/ops,eu,2025-01-01T00:00:00+00:00,false,N/A,"
            + "N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";
    var user = CredentialReports.parse(csv, null).users().get(0);
    assertThat(user.user()).isEqualTo("ops,eu");
    assertThat(user.arn()).isEqualTo("arn:aws:iam::123456789012:user/ops,eu");
    assertThat(user.hasPassword()).isFalse();
  }

  @Test
  void quotedFieldsAreUnquoted() {
    var csv =
        HEADER
            + "\n\"a,b\",\"arn:aws:iam::123456789012:user/a,b\",2025-01-01T00:00:00+00:00,false,"
            + "N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";
    assertThat(CredentialReports.parse(csv, null).users().get(0).user()).isEqualTo("a,b");
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> CredentialReports.parse("", null))
        .hasMessageContaining("credential report is empty");
    assertThatThrownBy(() -> CredentialReports.parse("user,arn\nx,y", null))
        .hasMessageContaining("lacks the column password_enabled");
    var badDate =
        HEADER
            + "\nbob,arn:aws:iam::123456789012:user/bob,yesterday,false,N/A,N/A,N/A,false,false,"
            + "N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";
    assertThatThrownBy(() -> CredentialReports.parse(badDate, null))
        .hasMessageContaining("unreadable timestamp 'yesterday'");
  }
}
