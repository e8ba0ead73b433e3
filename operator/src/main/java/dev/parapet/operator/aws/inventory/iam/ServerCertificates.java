package dev.parapet.operator.aws.inventory.iam;

import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.DatasetSpec;
import java.time.Instant;
import java.util.List;

/** The SSL/TLS server certificates stored in IAM (ListServerCertificates, once per account). */
@DatasetSpec(service = "iam", global = true, actions = "iam:ListServerCertificates")
public record ServerCertificates(List<Certificate> certificates) implements Dataset {

  public ServerCertificates {
    certificates = List.copyOf(certificates);
  }

  @Override
  public int resourceCount() {
    return certificates.size();
  }

  /** One certificate; {@code expiration} is null when the answer did not carry one. */
  public record Certificate(String name, String id, String arn, Instant expiration) {}
}
