package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.iam.CredentialReport;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the IAM credential report CSV by column name (AWS may add columns). Handles quoted fields
 * and unquoted commas in user names (IAM allows {@code ,} in names; the name then spills into extra
 * columns, once in {@code user} and once in {@code arn}).
 */
public final class CredentialReports {
  private static final java.util.Set<String> NO_DATE =
      java.util.Set.of("N/A", "no_information", "not_supported");

  private CredentialReports() {}

  public static CredentialReport parse(String csv, Instant generatedAt) {
    var lines = csv.replace("\r\n", "\n").split("\n");
    if (lines.length == 0 || lines[0].isBlank()) {
      throw new IllegalArgumentException("credential report is empty");
    }
    var header = split(lines[0]);
    var index = new HashMap<String, Integer>();
    for (int i = 0; i < header.size(); i++) {
      index.put(header.get(i).trim().toLowerCase(Locale.ROOT), i);
    }
    for (var required : List.of("user", "arn", "password_enabled", "mfa_active")) {
      if (!index.containsKey(required)) {
        throw new IllegalArgumentException("credential report lacks the column " + required);
      }
    }
    var users = new ArrayList<CredentialReport.UserCredentials>();
    for (int n = 1; n < lines.length; n++) {
      if (lines[n].isBlank()) {
        continue;
      }
      var row = normalise(split(lines[n]), header.size(), n);
      var cells = new Cells(index, row);
      var keys = new ArrayList<CredentialReport.AccessKey>();
      for (int slot = 1; slot <= 2; slot++) {
        var prefix = "access_key_" + slot + "_";
        if (cells.has(prefix + "active")) {
          keys.add(
              new CredentialReport.AccessKey(
                  slot,
                  "true".equals(cells.get(prefix + "active")),
                  time(cells.get(prefix + "last_rotated")),
                  time(cells.get(prefix + "last_used_date"))));
        }
      }
      var password = cells.get("password_enabled");
      users.add(
          new CredentialReport.UserCredentials(
              cells.get("user"),
              cells.get("arn"),
              time(cells.get("user_creation_time")),
              "true".equals(password) ? Boolean.TRUE : "false".equals(password) ? false : null,
              time(cells.get("password_last_used")),
              time(cells.get("password_last_changed")),
              "true".equals(cells.get("mfa_active")),
              keys));
    }
    return new CredentialReport(generatedAt, users);
  }

  /** Folds the spill of commas in user names back into the user and arn columns. */
  private static List<String> normalise(List<String> row, int columns, int line) {
    var extra = row.size() - columns;
    if (extra == 0) {
      return row;
    }
    if (extra < 0 || extra % 2 != 0) {
      throw new IllegalArgumentException(
          "credential report line " + line + " has " + row.size() + " fields, expected " + columns);
    }
    var k = extra / 2;
    var out = new ArrayList<String>();
    out.add(String.join(",", row.subList(0, k + 1)));
    out.add(String.join(",", row.subList(k + 1, 2 * k + 2)));
    out.addAll(row.subList(2 * k + 2, row.size()));
    return out;
  }

  /** CSV split with RFC 4180 quotes. */
  static List<String> split(String line) {
    var out = new ArrayList<String>();
    var field = new StringBuilder();
    var quoted = false;
    for (int i = 0; i < line.length(); i++) {
      var c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return out;
  }

  /** ISO-8601 timestamp, or null for N/A, no_information, not_supported and blanks. */
  static Instant time(String value) {
    if (value == null || value.isBlank() || NO_DATE.contains(value.trim())) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "credential report has an unreadable timestamp '" + value + "'", e);
    }
  }

  private record Cells(Map<String, Integer> index, List<String> row) {
    boolean has(String column) {
      return index.containsKey(column);
    }

    String get(String column) {
      var i = index.get(column);
      return i == null || i >= row.size() ? null : row.get(i).trim();
    }
  }
}
