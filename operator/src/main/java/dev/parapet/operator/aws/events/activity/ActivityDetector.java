package dev.parapet.operator.aws.events.activity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Turns one CloudTrail record into the activity observations it holds: a pure function of the
 * record (no I/O, no clock). What the record does not say is not guessed: a record without an
 * {@code eventID}, a login without {@code MFAUsed}, an ACL entry without {@code egress} yields no
 * observation. Calls that failed ({@code errorCode} present) changed nothing and yield none, except
 * for root user activity, where an attempt is itself the signal (as in the CIS 4.3 metric filter).
 *
 * <p>Only the fields an observation shows are read and copied; request parameters, response
 * elements and the identity's credentials (access key id, session context) never are.
 */
public final class ActivityDetector {

  /** Longest value copied from a record (ids, ARNs, IPs); longer values are cut. */
  static final int MAX_FIELD = 512;

  private ActivityDetector() {}

  /**
   * The observations of one record.
   *
   * @param record the CloudTrail record (an EventBridge envelope's {@code detail})
   * @param region the event's region as the poller resolved it; the record's {@code awsRegion} wins
   *     when present
   */
  public static List<ActivityObservation> detect(JsonNode record, String region) {
    if (record == null || !record.isObject()) {
      return List.of();
    }
    var event = Event.of(record, region);
    if (event == null) {
      return List.of();
    }
    var out = new ArrayList<ActivityObservation>();
    rootActivity(event, record).ifPresent(out::add);
    switch (event.source + " " + event.name) {
      case "signin.amazonaws.com ConsoleLogin" -> consoleLogin(event, record, out);
      case "cloudtrail.amazonaws.com StopLogging",
              "cloudtrail.amazonaws.com DeleteTrail",
              "cloudtrail.amazonaws.com UpdateTrail" ->
          trail(event, record, out);
      case "iam.amazonaws.com DeactivateMFADevice", "iam.amazonaws.com DeleteVirtualMFADevice" ->
          mfa(event, record, out);
      case "ec2.amazonaws.com AuthorizeSecurityGroupIngress" -> securityGroup(event, record, out);
      case "ec2.amazonaws.com CreateNetworkAclEntry", "ec2.amazonaws.com ReplaceNetworkAclEntry" ->
          networkAcl(event, record, out);
      default -> {
        // no activity rule reads this event
      }
    }
    return List.copyOf(out);
  }

  /** The common fields of a record, copied one by one. */
  private record Event(
      String id,
      String name,
      String source,
      String time,
      String region,
      String accountId,
      String partition,
      String principalArn,
      String principalType,
      String principalUser,
      String sourceIp,
      boolean failed) {

    static Event of(JsonNode r, String fallbackRegion) {
      var id = text(r, "eventID");
      var name = text(r, "eventName");
      var source = text(r, "eventSource");
      if (id == null || name == null || source == null) {
        return null;
      }
      var identity = r.path("userIdentity");
      var arn = text(identity, "arn");
      var account = text(r, "recipientAccountId");
      if (account == null) {
        account = text(identity, "accountId");
      }
      var region = text(r, "awsRegion");
      return new Event(
          id,
          name,
          source,
          text(r, "eventTime"),
          region != null ? region : fallbackRegion,
          account,
          ActivityDetector.partition(arn),
          arn,
          text(identity, "type"),
          text(identity, "userName"),
          text(r, "sourceIPAddress"),
          text(r, "errorCode") != null);
    }

    String principal() {
      var who = principalArn != null ? principalArn : "an unknown principal";
      return principalType == null ? who : who + " (" + principalType + ")";
    }

    String from() {
      return sourceIp == null ? "" : " from " + sourceIp;
    }

    String at() {
      return time == null ? "" : " at " + time;
    }

    String arn(String service, String region, String resource) {
      if (accountId == null) {
        return null;
      }
      return "arn:" + partition + ":" + service + ":" + region + ":" + accountId + ":" + resource;
    }

    ActivityObservation observe(
        ActivityRules.ActivityRule rule,
        String resourceType,
        String resourceId,
        String resourceArn,
        String evidence) {
      return new ActivityObservation(
          rule.metadata(),
          id,
          name,
          source,
          time,
          region,
          accountId,
          principalArn,
          principalType,
          sourceIp,
          resourceType,
          resourceId,
          resourceArn,
          evidence + " (event " + id + ")");
    }
  }

  /**
   * Root user activity as AWS's CIS 4.3 metric filter defines it: {@code userIdentity.type = Root},
   * not invoked by an AWS service ({@code userIdentity.invokedBy} absent), and not an {@code
   * AwsServiceEvent}.
   */
  private static java.util.Optional<ActivityObservation> rootActivity(Event e, JsonNode r) {
    if (!"Root".equals(e.principalType)
        || text(r.path("userIdentity"), "invokedBy") != null
        || "AwsServiceEvent".equals(text(r, "eventType"))) {
      return java.util.Optional.empty();
    }
    var outcome = e.failed ? " (failed: " + text(r, "errorCode") + ")" : "";
    return java.util.Optional.of(
        e.observe(
            ActivityRules.ROOT_USER_ACTIVITY,
            ActivityRules.ROOT_USER_ACTIVITY.metadata().resourceType(),
            e.accountId == null ? "root" : e.accountId,
            e.accountId == null ? null : "arn:" + e.partition + ":iam::" + e.accountId + ":root",
            "The root user called " + e.source + " " + e.name + outcome + e.from() + e.at()));
  }

  /**
   * A successful console sign-in with {@code additionalEventData.MFAUsed = No}. Federated sign-ins
   * ({@code AssumedRole}: SAML, IAM Identity Center) are left out: AWS records MFAUsed=No for them
   * because MFA happens at the identity provider.
   */
  private static void consoleLogin(Event e, JsonNode r, List<ActivityObservation> out) {
    var mfa = text(r.path("additionalEventData"), "MFAUsed");
    var result = text(r.path("responseElements"), "ConsoleLogin");
    if (e.failed
        || !"No".equals(mfa)
        || !"Success".equals(result)
        || "AssumedRole".equals(e.principalType)
        || "FederatedUser".equals(e.principalType)) {
      return;
    }
    var root = "Root".equals(e.principalType);
    var id =
        root
            ? (e.accountId == null ? "root" : e.accountId)
            : e.principalUser != null ? e.principalUser : lastSegment(e.principalArn);
    if (id == null) {
      return;
    }
    out.add(
        e.observe(
            ActivityRules.CONSOLE_LOGIN_WITHOUT_MFA,
            root ? ActivityRules.ROOT_USER_ACTIVITY.metadata().resourceType() : "AWS::IAM::User",
            id,
            e.principalArn,
            e.principal() + " signed in to the console without MFA" + e.from() + e.at()));
  }

  /**
   * StopLogging and DeleteTrail always stop a trail's logging; UpdateTrail narrows it when it sets
   * {@code isMultiRegionTrail} or {@code includeGlobalServiceEvents} to false.
   */
  private static void trail(Event e, JsonNode r, List<ActivityObservation> out) {
    if (e.failed) {
      return;
    }
    var params = r.path("requestParameters");
    var name = text(params, "name");
    var responseArn = text(r.path("responseElements"), "trailARN");
    String what;
    switch (e.name) {
      case "StopLogging" -> what = "stopped logging of trail";
      case "DeleteTrail" -> what = "deleted trail";
      default -> {
        var narrowed = new ArrayList<String>();
        if (isFalse(params.path("isMultiRegionTrail"))) {
          narrowed.add("isMultiRegionTrail=false (other regions are no longer logged)");
        }
        if (isFalse(params.path("includeGlobalServiceEvents"))) {
          narrowed.add(
              "includeGlobalServiceEvents=false (IAM and other global events are no longer"
                  + " logged)");
        }
        if (narrowed.isEmpty()) {
          return;
        }
        what = "set " + String.join(" and ", narrowed) + " on trail";
      }
    }
    if (name == null && responseArn == null) {
      return;
    }
    var arn =
        responseArn != null
            ? responseArn
            : name.startsWith("arn:") ? name : e.arn("cloudtrail", e.region, "trail/" + name);
    var id = name != null && !name.startsWith("arn:") ? name : trailName(arn);
    out.add(
        e.observe(
            ActivityRules.CLOUDTRAIL_LOGGING_OFF,
            "AWS::CloudTrail::Trail",
            id,
            arn,
            e.principal() + " " + what + " " + id + e.from() + e.at()));
  }

  /**
   * DeactivateMFADevice and DeleteVirtualMFADevice. The user is {@code requestParameters.userName},
   * or the caller itself when absent (a user removing their own device).
   */
  private static void mfa(Event e, JsonNode r, List<ActivityObservation> out) {
    if (e.failed) {
      return;
    }
    var params = r.path("requestParameters");
    var serial = text(params, "serialNumber");
    var user = text(params, "userName");
    var self = user == null || user.equals(e.principalUser);
    var root = self && "Root".equals(e.principalType);
    String type;
    String id;
    String arn;
    if (root) {
      type = ActivityRules.ROOT_USER_ACTIVITY.metadata().resourceType();
      id = e.accountId == null ? "root" : e.accountId;
      arn = e.principalArn;
    } else if (self) {
      type = "AWS::IAM::User";
      id = e.principalUser != null ? e.principalUser : lastSegment(e.principalArn);
      arn = e.principalArn;
    } else {
      // The user's ARN holds its path, which the record does not give: no ARN rather than a guess.
      type = "AWS::IAM::User";
      id = user;
      arn = null;
    }
    if (id == null) {
      id = serial;
    }
    if (id == null) {
      return;
    }
    var device = serial == null ? "" : " " + serial;
    var text =
        "DeactivateMFADevice".equals(e.name)
            ? e.principal()
                + " deactivated the MFA device"
                + device
                + " of "
                + (root ? "the root user" : self ? "their own user" : "user " + user)
            : e.principal()
                + " deleted the virtual MFA device"
                + device
                + (self ? "" : " of user " + user);
    out.add(e.observe(ActivityRules.MFA_DEACTIVATED, type, id, arn, text + e.from() + e.at()));
  }

  /**
   * AuthorizeSecurityGroupIngress whose permissions (or the legacy top-level {@code cidrIp}) name a
   * range of prefix length 0: 0.0.0.0/0 or ::/0.
   */
  private static void securityGroup(Event e, JsonNode r, List<ActivityObservation> out) {
    if (e.failed) {
      return;
    }
    var params = r.path("requestParameters");
    var opened = new LinkedHashSet<String>();
    for (var p : items(params.path("ipPermissions"))) {
      var ports = ports(text(p, "ipProtocol"), p.path("fromPort"), p.path("toPort"));
      for (var range : items(p.path("ipRanges"))) {
        world(text(range, "cidrIp")).ifPresent(c -> opened.add(ports + " from " + c));
      }
      for (var range : items(p.path("ipv6Ranges"))) {
        world(text(range, "cidrIpv6")).ifPresent(c -> opened.add(ports + " from " + c));
      }
    }
    world(text(params, "cidrIp"))
        .ifPresent(
            c ->
                opened.add(
                    ports(
                            text(params, "ipProtocol"),
                            params.path("fromPort"),
                            params.path("toPort"))
                        + " from "
                        + c));
    if (opened.isEmpty()) {
      return;
    }
    var group = text(params, "groupId");
    if (group == null) {
      for (var rule : items(r.path("responseElements").path("securityGroupRuleSet"))) {
        group = text(rule, "groupId");
        if (group != null) {
          break;
        }
      }
    }
    if (group == null) {
      group = text(params, "groupName");
    }
    if (group == null) {
      return;
    }
    var arn = group.startsWith("sg-") ? e.arn("ec2", e.region, "security-group/" + group) : null;
    out.add(
        e.observe(
            ActivityRules.SECURITY_GROUP_OPENED,
            "AWS::EC2::SecurityGroup",
            group,
            arn,
            e.principal()
                + " allowed ingress to "
                + group
                + ": "
                + String.join(", ", opened)
                + e.from()
                + e.at()));
  }

  /** An inbound ({@code egress = false}) allow entry for 0.0.0.0/0 or ::/0. */
  private static void networkAcl(Event e, JsonNode r, List<ActivityObservation> out) {
    if (e.failed) {
      return;
    }
    var params = r.path("requestParameters");
    var acl = text(params, "networkAclId");
    if (acl == null
        || !isFalse(params.path("egress"))
        || !"allow".equalsIgnoreCase(text(params, "ruleAction"))) {
      return;
    }
    var cidr = world(text(params, "cidrBlock")).or(() -> world(text(params, "ipv6CidrBlock")));
    if (cidr.isEmpty()) {
      return;
    }
    var range = params.path("portRange");
    var ports = ports(text(params, "protocol"), range.path("from"), range.path("to"));
    var rule = text(params, "ruleNumber");
    out.add(
        e.observe(
            ActivityRules.NETWORK_ACL_OPENED,
            "AWS::EC2::NetworkAcl",
            acl,
            e.arn("ec2", e.region, "network-acl/" + acl),
            e.principal()
                + " allowed inbound "
                + ports
                + " from "
                + cidr.get()
                + " in "
                + acl
                + (rule == null ? "" : " (rule " + rule + ")")
                + " with "
                + e.name
                + e.from()
                + e.at()));
  }

  /** {@code 0.0.0.0/0}, {@code ::/0} or any other spelling of a prefix of length 0. */
  static java.util.Optional<String> world(String cidr) {
    if (cidr == null) {
      return java.util.Optional.empty();
    }
    var c = cidr.trim();
    return c.endsWith("/0") && c.length() > 2
        ? java.util.Optional.of(c)
        : java.util.Optional.empty();
  }

  /** "all traffic", "tcp 22", "udp 1000-2000" from a protocol and a port range. */
  static String ports(String protocol, JsonNode from, JsonNode to) {
    if (protocol == null) {
      return "traffic";
    }
    var p = protocol.toLowerCase(Locale.ROOT);
    p =
        switch (p) {
          case "6" -> "tcp";
          case "17" -> "udp";
          case "1" -> "icmp";
          default -> p;
        };
    if ("-1".equals(p) || "all".equals(p)) {
      return "all traffic";
    }
    if (!from.isNumber() || !to.isNumber()) {
      return p;
    }
    var a = from.asInt();
    var b = to.asInt();
    if ("icmp".equals(p) || "58".equals(p) || "icmpv6".equals(p)) {
      return p;
    }
    if ((a == 0 || a == -1) && (b == 65535 || b == -1)) {
      return p + " all ports";
    }
    return a == b ? p + " " + a : p + " " + a + "-" + b;
  }

  /**
   * The elements of a CloudTrail list: EC2 records wrap lists as {@code {"items": [...]}}; a plain
   * array is accepted too.
   */
  static List<JsonNode> items(JsonNode node) {
    var list = node.isArray() ? node : node.path("items");
    var out = new ArrayList<JsonNode>();
    if (list.isArray()) {
      list.forEach(out::add);
    }
    return out;
  }

  private static boolean isFalse(JsonNode n) {
    return n.isBoolean() ? !n.booleanValue() : n.isTextual() && "false".equals(n.textValue());
  }

  /** A text field, cut to {@link #MAX_FIELD}; null when absent, null or empty. */
  static String text(JsonNode node, String field) {
    var v = node.path(field);
    if (!v.isValueNode() || v.isNull()) {
      return null;
    }
    var s = v.asText();
    if (s.isEmpty()) {
      return null;
    }
    return s.length() > MAX_FIELD ? s.substring(0, MAX_FIELD) : s;
  }

  private static String partition(String arn) {
    if (arn != null && arn.startsWith("arn:")) {
      var parts = arn.split(":", 3);
      if (parts.length == 3 && !parts[1].isEmpty()) {
        return parts[1];
      }
    }
    return "aws";
  }

  private static String lastSegment(String arn) {
    if (arn == null) {
      return null;
    }
    var i = Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':'));
    return i < 0 || i == arn.length() - 1 ? arn : arn.substring(i + 1);
  }

  private static String trailName(String arn) {
    var i = arn.indexOf(":trail/");
    return i < 0 ? arn : arn.substring(i + ":trail/".length());
  }
}
