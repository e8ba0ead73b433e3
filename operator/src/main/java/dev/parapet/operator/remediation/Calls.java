package dev.parapet.operator.remediation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders an API call as its IAM action name and the equivalent AWS CLI command with exactly the
 * parameters sent, e.g. {@code ec2:ModifyInstanceMetadataOptions = aws ec2
 * modify-instance-metadata-options --region eu-west-1 --instance-id i-1 --http-tokens required}:
 * what the Finding shows is the call itself, and can be run by hand. Structured parameters are JSON
 * in single quotes.
 */
final class Calls {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, false);

  private Calls() {}

  /**
   * {@code flags} alternate a CLI flag name (without dashes) and its value; a map or list value is
   * written as quoted JSON. {@code region} is null for global services (IAM).
   */
  static String render(String operation, String cli, String region, Object... flags) {
    var sb = new StringBuilder(operation).append(" = aws ").append(cli);
    if (region != null) {
      sb.append(" --region ").append(region);
    }
    for (int i = 0; i < flags.length; i += 2) {
      sb.append(" --").append(flags[i]);
      var v = flags[i + 1];
      if (v instanceof Map<?, ?> || v instanceof java.util.List<?>) {
        sb.append(" '").append(json(v)).append('\'');
      } else if (v != null) {
        sb.append(' ').append(v);
      }
    }
    return sb.toString();
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An ordered map from alternating keys and values. */
  static Map<String, Object> map(Object... kv) {
    var m = new LinkedHashMap<String, Object>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
