package dev.parapet.operator.cloudaccount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.api.v1alpha1.CloudAccount;
import dev.parapet.api.v1alpha1.CloudAccountSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class DuplicateAccountsTest {

  static CloudAccount account(String name, String accountId, String created) {
    var a = new CloudAccount();
    a.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ns")
            .withCreationTimestamp(created)
            .build());
    a.setSpec(
        new CloudAccountSpec(CloudAccountSpec.Provider.AWS, accountId, null, null, null, null));
    return a;
  }

  @Test
  void theOldestCloudAccountOfAnAwsAccountScansItAndTheOthersNameIt() {
    var older = account("zeta", "111111111111", "2026-01-01T00:00:00Z");
    var newer = account("alpha", "111111111111", "2026-02-01T00:00:00Z");
    var other = account("beta", "222222222222", "2025-01-01T00:00:00Z");
    var all = List.of(newer, older, other);
    assertThat(DuplicateAccounts.ownerOf(older, all)).isEmpty();
    assertThat(DuplicateAccounts.ownerOf(newer, all)).contains("zeta");
    assertThat(DuplicateAccounts.ownerOf(other, all)).isEmpty();
  }

  @Test
  void sameCreationTimeFallsBackToTheName() {
    var a = account("a", "111111111111", "2026-01-01T00:00:00Z");
    var b = account("b", "111111111111", "2026-01-01T00:00:00Z");
    assertThat(DuplicateAccounts.ownerOf(b, List.of(a, b))).contains("a");
    assertThat(DuplicateAccounts.ownerOf(a, List.of(a, b))).isEmpty();
  }

  @Test
  void anOwnerBeingDeletedHandsTheAccountOver() {
    var older = account("old", "111111111111", "2026-01-01T00:00:00Z");
    older.getMetadata().setDeletionTimestamp("2026-03-01T00:00:00Z");
    var newer = account("new", "111111111111", "2026-02-01T00:00:00Z");
    assertThat(DuplicateAccounts.ownerOf(newer, List.of(older, newer))).isEmpty();
  }
}
