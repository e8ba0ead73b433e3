package dev.parapet.operator.aws.rules.cis;

import static dev.parapet.testing.MotoScans.failedIds;
import static dev.parapet.testing.MotoScans.passedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.ScanReport;
import dev.parapet.operator.aws.rules.ResultStatus;
import dev.parapet.testing.AwsSeed;
import dev.parapet.testing.MotoExtension;
import dev.parapet.testing.MotoProxy;
import dev.parapet.testing.MotoScans;
import dev.parapet.testing.MotoServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileSpecification;

/**
 * CIS 1.14, 1.16, 1.17 and 1.18 end to end against moto, violators beside clean twins. Two moto
 * gaps are met with canned answers at the proxy: the AWS managed policy AWSSupportAccess does not
 * exist in moto (attach gives NoSuchEntity without MOTO_IAM_LOAD_MANAGED_POLICIES), so the support
 * role's passing case is a canned GetAccountAuthorizationDetails; and moto reports every server
 * certificate as expiring on 2012-05-08, so the valid twin is a canned ListServerCertificates.
 */
class IamCisRulesMotoTest {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

  static final String REGION = "us-east-1";
  static final String READ =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\","
          + "\"Resource\":\"*\"}]}";
  static final String TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  static MotoProxy proxy;
  static ScanReport report;

  @BeforeAll
  static void seedAndScan() {
    var moto = MOTO.server();
    var seed = new AwsSeed(moto);
    try (var iam = seed.iam()) {
      var read = iam.createPolicy(b -> b.policyName("read").policyDocument(READ)).policy().arn();
      iam.createGroup(b -> b.groupName("readers"));
      iam.attachGroupPolicy(b -> b.groupName("readers").policyArn(read));
      iam.createUser(b -> b.userName("through-group"));
      iam.addUserToGroup(b -> b.groupName("readers").userName("through-group"));
      iam.createUser(b -> b.userName("attached"));
      iam.attachUserPolicy(b -> b.userName("attached").policyArn(read));
      iam.createUser(b -> b.userName("inline"));
      iam.putUserPolicy(b -> b.userName("inline").policyName("own").policyDocument(READ));
      iam.createRole(b -> b.roleName("app").assumeRolePolicyDocument(TRUST));
      iam.createInstanceProfile(b -> b.instanceProfileName("app"));
      iam.addRoleToInstanceProfile(b -> b.instanceProfileName("app").roleName("app"));
      iam.uploadServerCertificate(
          b ->
              b.serverCertificateName("old-site")
                  .certificateBody(FAKE_PEM)
                  .privateKey("-----BEGIN PRIVATE KEY-----\nfake\n-----END PRIVATE KEY-----"));
    }
    try (var ec2 = seed.ec2(REGION)) {
      var image = AwsSeed.anyImage(ec2);
      var bare =
          ec2.runInstances(b -> b.imageId(image).minCount(1).maxCount(1).instanceType("t3.micro"))
              .instances()
              .get(0)
              .instanceId();
      var withRole =
          ec2.runInstances(
                  b ->
                      b.imageId(image)
                          .minCount(1)
                          .maxCount(1)
                          .instanceType("t3.micro")
                          .iamInstanceProfile(
                              IamInstanceProfileSpecification.builder().name("app").build()))
              .instances()
              .get(0)
              .instanceId();
      ec2.createTags(b -> b.resources(bare).tags(t -> t.key("Name").value("bare")));
      ec2.createTags(b -> b.resources(withRole).tags(t -> t.key("Name").value("with-role")));
    }
    proxy = new MotoProxy(moto);
    report = scan();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  static ScanReport scan() {
    return MotoScans.scan(
        proxy.endpoint(),
        List.of(REGION),
        CloudPolicy.only(
            "aws-iam-user-direct-policies",
            "aws-iam-support-role-missing",
            "aws-ec2-instance-no-iam-role",
            "aws-iam-expired-server-certificate"),
        MotoScans.testSettings());
  }

  @Test
  void nothingIsUnknown() {
    assertThat(report.withStatus(ResultStatus.UNKNOWN)).isEmpty();
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void usersWithTheirOwnPoliciesFailAndTheGroupOnlyUserPasses() {
    assertThat(failedIds(report, "aws-iam-user-direct-policies"))
        .containsExactlyInAnyOrder("attached", "inline");
    assertThat(passedIds(report, "aws-iam-user-direct-policies")).containsExactly("through-group");
    assertThat(report.failures())
        .filteredOn(r -> r.resource().id().equals("inline"))
        .singleElement()
        .satisfies(r -> assertThat(r.evidence()).contains("inline own"));
  }

  @Test
  void instanceWithoutProfileFailsAndTheOneWithARolePasses() {
    assertThat(failedIds(report, "aws-ec2-instance-no-iam-role")).hasSize(1);
    assertThat(passedIds(report, "aws-ec2-instance-no-iam-role")).hasSize(1);
    var failed = failedIds(report, "aws-ec2-instance-no-iam-role").get(0);
    assertThat(report.failures())
        .filteredOn(r -> r.resource().id().equals(failed))
        .singleElement()
        .satisfies(r -> assertThat(r.resource().tags()).containsEntry("Name", "bare"));
  }

  @Test
  void noRoleWithAwsSupportAccessFails() {
    assertThat(failedIds(report, "aws-iam-support-role-missing"))
        .containsExactly(MotoServer.ACCOUNT_ID);
  }

  @Test
  void supportRolePasses_motoGapManagedPoliciesServedByCannedAuthorizationDetails() {
    var canned =
        proxy.answer(
            "iam",
            "GetAccountAuthorizationDetails",
            200,
            "text/xml",
            "<GetAccountAuthorizationDetailsResponse"
                + " xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<GetAccountAuthorizationDetailsResult><IsTruncated>false</IsTruncated>"
                + "<UserDetailList/><GroupDetailList/><Policies/><RoleDetailList><member>"
                + "<RoleName>support</RoleName><RoleId>AROAEXAMPLESUPPORT01</RoleId>"
                + "<Arn>arn:aws:iam::123456789012:role/support</Arn><Path>/</Path>"
                + "<CreateDate>2026-01-01T00:00:00Z</CreateDate>"
                + "<RolePolicyList/><InstanceProfileList/><AttachedManagedPolicies><member>"
                + "<PolicyName>AWSSupportAccess</PolicyName>"
                + "<PolicyArn>arn:aws:iam::aws:policy/AWSSupportAccess</PolicyArn>"
                + "</member></AttachedManagedPolicies></member></RoleDetailList>"
                + "</GetAccountAuthorizationDetailsResult>"
                + "<ResponseMetadata><RequestId>canned</RequestId></ResponseMetadata>"
                + "</GetAccountAuthorizationDetailsResponse>");
    try {
      var canned_ = scan();
      assertThat(passedIds(canned_, "aws-iam-support-role-missing"))
          .containsExactly(MotoServer.ACCOUNT_ID);
      assertThat(failedIds(canned_, "aws-iam-support-role-missing")).isEmpty();
    } finally {
      proxy.removeAnswer(canned);
    }
  }

  @Test
  void expiredCertificateFails_motoAlwaysAnswers2012() {
    assertThat(failedIds(report, "aws-iam-expired-server-certificate")).containsExactly("old-site");
    assertThat(report.failures())
        .filteredOn(r -> r.resource().id().equals("old-site"))
        .singleElement()
        .satisfies(r -> assertThat(r.evidence()).contains("expired on 2012-05-08"));
  }

  @Test
  void validCertificatePasses_motoGapServedByCannedList() {
    var canned =
        proxy.answer(
            "iam",
            "ListServerCertificates",
            200,
            "text/xml",
            "<ListServerCertificatesResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<ListServerCertificatesResult><IsTruncated>false</IsTruncated>"
                + "<ServerCertificateMetadataList><member>"
                + "<ServerCertificateName>new-site</ServerCertificateName>"
                + "<ServerCertificateId>ASCAEXAMPLECERT00001</ServerCertificateId>"
                + "<Arn>arn:aws:iam::123456789012:server-certificate/new-site</Arn>"
                + "<Path>/</Path><UploadDate>2026-01-01T00:00:00Z</UploadDate>"
                + "<Expiration>2099-01-01T00:00:00Z</Expiration></member>"
                + "<member><ServerCertificateName>no-expiry</ServerCertificateName>"
                + "<ServerCertificateId>ASCAEXAMPLECERT00002</ServerCertificateId>"
                + "<Arn>arn:aws:iam::123456789012:server-certificate/no-expiry</Arn>"
                + "<Path>/</Path></member>"
                + "</ServerCertificateMetadataList></ListServerCertificatesResult>"
                + "<ResponseMetadata><RequestId>canned</RequestId></ResponseMetadata>"
                + "</ListServerCertificatesResponse>");
    try {
      var canned_ = scan();
      assertThat(passedIds(canned_, "aws-iam-expired-server-certificate"))
          .containsExactly("new-site");
      assertThat(failedIds(canned_, "aws-iam-expired-server-certificate")).isEmpty();
      // A certificate without an expiration is neither passed nor failed.
      assertThat(canned_.withStatus(ResultStatus.UNKNOWN))
          .singleElement()
          .satisfies(r -> assertThat(r.evidence()).contains("no-expiry"));
    } finally {
      proxy.removeAnswer(canned);
    }
  }

  @Test
  void iamDataIsReadOnceAndInstancesOnce() {
    assertThat(report.apiCalls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "sts:GetCallerIdentity", 1L,
                "iam:GetAccountAuthorizationDetails", 1L,
                "iam:ListServerCertificates", 1L,
                "ec2:DescribeInstances", 1L));
  }

  /** A syntactically plausible certificate body; moto stores it without parsing. */
  static final String FAKE_PEM =
      "-----BEGIN CERTIFICATE-----\nMIIBfakeCERTIFICATEbodyFORtests\n-----END CERTIFICATE-----";
}
