package dev.parapet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * CloudTrail records as CloudTrail writes them (an EventBridge envelope's {@code detail}), from
 * {@code src/test/resources/cloudtrail/<name>.json}: account 123456789012, AWS's documented example
 * keys, IPs from 203.0.113.0/24.
 */
public final class CloudTrailRecords {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CloudTrailRecords() {}

  /** A fresh copy of the fixture record {@code name}. */
  public static JsonNode record(String name) {
    try (var in = CloudTrailRecords.class.getResourceAsStream("/cloudtrail/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no CloudTrail fixture " + name);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
