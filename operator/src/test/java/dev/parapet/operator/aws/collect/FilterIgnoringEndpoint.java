package dev.parapet.operator.aws.collect;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;

/**
 * A canned AWS endpoint (loopback only) that ignores every request filter, as moto does for some:
 * each list call answers the same objects whatever {@code OwnerIds}, {@code RestorableByUserIds},
 * {@code Owners}, {@code SnapshotType}, {@code IncludeShadowTrails}, {@code AllRegions} or {@code
 * MaxResults} asked. The answers mix the scanned account's resources with other accounts' ones
 * (owner ids are AWS's documented examples) so a test can prove no verdict trusts a filter.
 */
final class FilterIgnoringEndpoint implements AutoCloseable {
  static final String ACCOUNT = "123456789012";
  static final String OTHER = "111122223333";
  static final String REGION = "eu-west-1";
  private static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
  private static final String RDS_NS = "http://rds.amazonaws.com/doc/2014-10-31/";

  private final WireMockServer server;

  FilterIgnoringEndpoint() {
    server =
        new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    stubIdentity();
    stubEc2();
    stubRds();
    stubCloudTrail();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** How many calls of an action (Query protocol) reached the endpoint. */
  int calls(String action) {
    return server
        .findAll(postRequestedFor(anyUrl()).withRequestBody(matching(action(action))))
        .size();
  }

  /** How many calls of an action named a given parameter value. */
  int calls(String action, String parameterValue) {
    return server
        .findAll(
            postRequestedFor(anyUrl())
                .withRequestBody(matching(action(action)))
                .withRequestBody(containing(parameterValue)))
        .size();
  }

  private static String action(String action) {
    return "(?s).*Action=" + action + "(&.*)?";
  }

  private void query(String action, String body) {
    query(post(anyUrl()).withRequestBody(matching(action(action))), body);
  }

  private void query(MappingBuilder mapping, String body) {
    server.stubFor(
        mapping.willReturn(aResponse().withHeader("Content-Type", "text/xml").withBody(body)));
  }

  private void stubIdentity() {
    query(
        "GetCallerIdentity",
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<GetCallerIdentityResult><Arn>arn:aws:iam::"
            + ACCOUNT
            + ":user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>"
            + ACCOUNT
            + "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId>"
            + "</ResponseMetadata></GetCallerIdentityResponse>");
  }

  private static String ec2(String action, String content) {
    return "<"
        + action
        + "Response xmlns=\""
        + EC2_NS
        + "\"><requestId>r</requestId>"
        + content
        + "</"
        + action
        + "Response>";
  }

  private static String snapshot(String id, String owner) {
    return "<item><snapshotId>"
        + id
        + "</snapshotId><volumeId>vol-0example</volumeId><status>completed</status>"
        + (owner == null ? "" : "<ownerId>" + owner + "</ownerId>")
        + "<encrypted>false</encrypted></item>";
  }

  private void stubEc2() {
    // The same set for "owned" and for "restorable by all": both filters ignored.
    query(
        "DescribeSnapshots",
        ec2(
            "DescribeSnapshots",
            "<snapshotSet>"
                + snapshot("snap-0ownpublic", ACCOUNT)
                + snapshot("snap-0ownprivate", ACCOUNT)
                + snapshot("snap-0ownshared", ACCOUNT)
                + snapshot("snap-0foreign", OTHER)
                + snapshot("snap-0noowner", null)
                + "</snapshotSet>"));
    attribute("snap-0ownpublic", "<item><group>all</group></item>");
    attribute("snap-0ownprivate", "");
    attribute("snap-0ownshared", "<item><userId>" + OTHER + "</userId></item>");
    // A foreign snapshot must never be asked about; if it were, it would say "public".
    attribute("snap-0foreign", "<item><group>all</group></item>");
    attribute("snap-0noowner", "<item><group>all</group></item>");
    query(
        "DescribeImages",
        ec2(
            "DescribeImages",
            "<imagesSet>"
                + image("ami-0ownprivate", ACCOUNT, false)
                + image("ami-0ownpublic", ACCOUNT, true)
                + image("ami-0foreignpublic", OTHER, true)
                + "</imagesSet>"));
    query(
        "DescribeRegions",
        ec2(
            "DescribeRegions",
            "<regionInfo>"
                + region("eu-west-1", "opt-in-not-required")
                + region("us-east-1", "opt-in-not-required")
                + region("ap-east-1", "not-opted-in")
                + region("me-south-1", "opted-in")
                + "</regionInfo>"));
  }

  private void attribute(String snapshotId, String permissions) {
    query(
        post(anyUrl())
            .withRequestBody(matching(action("DescribeSnapshotAttribute")))
            .withRequestBody(containing("SnapshotId=" + snapshotId)),
        ec2(
            "DescribeSnapshotAttribute",
            "<snapshotId>"
                + snapshotId
                + "</snapshotId><createVolumePermission>"
                + permissions
                + "</createVolumePermission>"));
  }

  private static String image(String id, String owner, boolean isPublic) {
    return "<item><imageId>"
        + id
        + "</imageId><imageOwnerId>"
        + owner
        + "</imageOwnerId><name>"
        + id
        + "</name><imageState>available</imageState><isPublic>"
        + isPublic
        + "</isPublic></item>";
  }

  private static String region(String name, String optIn) {
    return "<item><regionName>"
        + name
        + "</regionName><regionEndpoint>ec2."
        + name
        + ".amazonaws.com</regionEndpoint><optInStatus>"
        + optIn
        + "</optInStatus></item>";
  }

  private static String rds(String action, String content) {
    return "<"
        + action
        + "Response xmlns=\""
        + RDS_NS
        + "\"><"
        + action
        + "Result>"
        + content
        + "</"
        + action
        + "Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></"
        + action
        + "Response>";
  }

  private static String dbSnapshot(String id, String arn, String type) {
    return "<DBSnapshot><DBSnapshotIdentifier>"
        + id
        + "</DBSnapshotIdentifier>"
        + (arn == null ? "" : "<DBSnapshotArn>" + arn + "</DBSnapshotArn>")
        + "<SnapshotType>"
        + type
        + "</SnapshotType><DBInstanceIdentifier>db1</DBInstanceIdentifier></DBSnapshot>";
  }

  private void stubRds() {
    var own = "arn:aws:rds:" + REGION + ":" + ACCOUNT + ":snapshot:";
    var other = "arn:aws:rds:" + REGION + ":" + OTHER + ":snapshot:";
    query(
        "DescribeDBSnapshots",
        rds(
            "DescribeDBSnapshots",
            "<DBSnapshots>"
                + dbSnapshot("own-public", own + "own-public", "manual")
                + dbSnapshot("own-private", own + "own-private", "manual")
                + dbSnapshot("rds:db1-2026-12-01", own + "rds:db1-2026-12-01", "automated")
                + dbSnapshot(other + "shared-to-us", other + "shared-to-us", "shared")
                + dbSnapshot(other + "public-elsewhere", other + "public-elsewhere", "public")
                + dbSnapshot(other + "typed-manual", null, "manual")
                + "</DBSnapshots>"));
    dbAttributes("own-public", "<AttributeValue>all</AttributeValue>");
    dbAttributes("own-private", "");
  }

  private void dbAttributes(String id, String values) {
    query(
        post(anyUrl())
            .withRequestBody(matching(action("DescribeDBSnapshotAttributes")))
            .withRequestBody(containing("DBSnapshotIdentifier=" + id)),
        rds(
            "DescribeDBSnapshotAttributes",
            "<DBSnapshotAttributesResult><DBSnapshotIdentifier>"
                + id
                + "</DBSnapshotIdentifier><DBSnapshotAttributes><DBSnapshotAttribute>"
                + "<AttributeName>restore</AttributeName><AttributeValues>"
                + values
                + "</AttributeValues></DBSnapshotAttribute></DBSnapshotAttributes>"
                + "</DBSnapshotAttributesResult>"));
  }

  private void stubCloudTrail() {
    var trails =
        "{\"trailList\":["
            + trail("own", ACCOUNT, REGION, false, false)
            // a shadow of a multi-region trail homed elsewhere (IncludeShadowTrails=false ignored)
            + ","
            + trail("shadow", ACCOUNT, "us-east-1", true, false)
            // another account's organization trail, seen from a member account
            + ","
            + trail("org", OTHER, REGION, true, true)
            + "]}";
    json("DescribeTrails", trails);
    json("ListTags", "{\"ResourceTagList\":[]}");
  }

  private static String trail(
      String name, String owner, String home, boolean multiRegion, boolean org) {
    return "{\"Name\":\""
        + name
        + "\",\"TrailARN\":\"arn:aws:cloudtrail:"
        + home
        + ":"
        + owner
        + ":trail/"
        + name
        + "\",\"HomeRegion\":\""
        + home
        + "\",\"IsMultiRegionTrail\":"
        + multiRegion
        + ",\"IsOrganizationTrail\":"
        + org
        + ",\"LogFileValidationEnabled\":false}";
  }

  private void json(String operation, String body) {
    server.stubFor(
        post(anyUrl())
            .withHeader("X-Amz-Target", containing("." + operation))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(body)));
  }

  @Override
  public void close() {
    server.stop();
  }
}
