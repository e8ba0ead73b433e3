package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.cloudtrail.MultiRegionTrails.S3DataEvents;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;

/**
 * Reads which S3 object-level events a trail's event selectors record (CIS 3.8, 3.9).
 *
 * <ul>
 *   <li>Classic selectors: a {@code DataResources} entry of type {@code AWS::S3::Object} whose
 *       value is {@code arn:<partition>:s3} or {@code arn:<partition>:s3:::} covers every bucket,
 *       {@code arn:<partition>:s3:::NAME/} covers bucket NAME; {@code ReadWriteType} All, ReadOnly
 *       or WriteOnly says which events.
 *   <li>Advanced selectors: {@code eventCategory = Data} and {@code resources.type =
 *       AWS::S3::Object}; {@code readOnly} absent (both), {@code true} (reads) or {@code false}
 *       (writes); no {@code resources.ARN} field covers every bucket, {@code resources.ARN
 *       StartsWith arn:<partition>:s3:::NAME/} covers NAME. A selector with any other field (event
 *       names, exclusions, ...) records only part of the events and covers nothing.
 * </ul>
 */
final class S3DataEventSelectors {
  private static final Pattern ALL = Pattern.compile("arn:[a-z-]+:s3(:::)?");
  private static final Pattern BUCKET = Pattern.compile("arn:[a-z-]+:s3:::([^/]+)/");
  private static final Set<String> KNOWN_FIELDS =
      Set.of("eventCategory", "resources.type", "readOnly", "resources.ARN");

  private S3DataEventSelectors() {}

  static S3DataEvents of(GetEventSelectorsResponse response) {
    var c = new Collected();
    for (var s : response.eventSelectors()) {
      var type = s.readWriteTypeAsString() == null ? "All" : s.readWriteTypeAsString();
      var reads = type.equals("All") || type.equals("ReadOnly");
      var writes = type.equals("All") || type.equals("WriteOnly");
      for (var r : s.dataResources()) {
        if (!"AWS::S3::Object".equals(r.type())) {
          continue;
        }
        for (var v : r.values()) {
          c.add(v, reads, writes);
        }
      }
    }
    for (var s : response.advancedEventSelectors()) {
      var fields = s.fieldSelectors();
      if (!equalsOnly(fields, "eventCategory", "Data")
          || !equalsOnly(fields, "resources.type", "AWS::S3::Object")
          || fields.stream().anyMatch(f -> !KNOWN_FIELDS.contains(f.field()))) {
        continue;
      }
      var readOnly = field(fields, "readOnly");
      boolean reads;
      boolean writes;
      if (readOnly == null) {
        reads = true;
        writes = true;
      } else if (onlyEquals(readOnly) && readOnly.equalsValue().size() == 1) {
        reads = readOnly.equalsValue().contains("true");
        writes = readOnly.equalsValue().contains("false");
      } else {
        continue;
      }
      var arn = field(fields, "resources.ARN");
      if (arn == null) {
        c.all(reads, writes);
      } else if (arn.equalsValue().isEmpty()
          && arn.notEquals().isEmpty()
          && arn.notStartsWith().isEmpty()
          && arn.endsWith().isEmpty()
          && arn.notEndsWith().isEmpty()) {
        for (var v : arn.startsWith()) {
          c.add(v, reads, writes);
        }
      }
    }
    return new S3DataEvents(c.allReads, c.allWrites, c.readBuckets, c.writeBuckets);
  }

  private static boolean onlyEquals(AdvancedFieldSelector f) {
    return f.startsWith().isEmpty()
        && f.endsWith().isEmpty()
        && f.notEquals().isEmpty()
        && f.notStartsWith().isEmpty()
        && f.notEndsWith().isEmpty();
  }

  private static boolean equalsOnly(List<AdvancedFieldSelector> fields, String name, String v) {
    var f = field(fields, name);
    return f != null && onlyEquals(f) && f.equalsValue().equals(List.of(v));
  }

  private static AdvancedFieldSelector field(List<AdvancedFieldSelector> fields, String name) {
    return fields.stream().filter(f -> name.equals(f.field())).findFirst().orElse(null);
  }

  private static final class Collected {
    boolean allReads;
    boolean allWrites;
    final Set<String> readBuckets = new HashSet<>();
    final Set<String> writeBuckets = new HashSet<>();

    void all(boolean reads, boolean writes) {
      allReads |= reads;
      allWrites |= writes;
    }

    void add(String value, boolean reads, boolean writes) {
      if (value == null) {
        return;
      }
      if (ALL.matcher(value).matches()) {
        all(reads, writes);
        return;
      }
      var m = BUCKET.matcher(value);
      if (m.matches()) {
        if (reads) {
          readBuckets.add(m.group(1));
        }
        if (writes) {
          writeBuckets.add(m.group(1));
        }
      }
    }
  }
}
