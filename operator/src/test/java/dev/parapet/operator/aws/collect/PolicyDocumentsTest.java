package dev.parapet.operator.aws.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Policy JSON parsing: URL-encoded (IAM) and plain (S3), single values and lists. */
class PolicyDocumentsTest {

  @Test
  void urlEncodedIamDocumentIsDecoded() {
    var encoded =
        "%7B%22Version%22%3A%20%222012-10-17%22%2C%20%22Statement%22%3A%20%7B%22Effect%22%3A%20"
            + "%22Allow%22%2C%20%22Action%22%3A%20%22%2A%22%2C%20%22Resource%22%3A%20%22%2A%22%7D%7D";
    var doc = PolicyDocuments.parse(encoded);
    assertThat(doc.statements())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.allows()).isTrue();
              assertThat(s.actions()).containsExactly("*");
              assertThat(s.resources()).containsExactly("*");
            });
  }

  @Test
  void plainDocumentKeepsPlusSignsAndReadsPrincipalsAndConditions() {
    var doc =
        PolicyDocuments.parse(
            "{\"Statement\":[{\"Sid\":\"a+b\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},"
                + "\"Action\":[\"s3:*\"],\"Resource\":\"arn:aws:s3:::b/*\","
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":false}}}]}");
    var s = doc.statements().get(0);
    assertThat(s.sid()).isEqualTo("a+b");
    assertThat(s.principals()).containsExactly("*");
    assertThat(s.condition("Bool", "AWS:SecureTransport")).containsExactly("false");
  }

  @Test
  void invalidJsonIsAClearError() {
    assertThatThrownBy(() -> PolicyDocuments.parse("{not json"))
        .hasMessageContaining("policy document is not valid JSON");
  }
}
