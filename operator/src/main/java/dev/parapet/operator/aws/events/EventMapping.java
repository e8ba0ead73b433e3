package dev.parapet.operator.aws.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.operator.aws.inventory.Dataset;
import dev.parapet.operator.aws.inventory.cis.ConfigRecorders;
import dev.parapet.operator.aws.inventory.cloudtrail.MultiRegionTrails;
import dev.parapet.operator.aws.inventory.cloudtrail.Trails;
import dev.parapet.operator.aws.inventory.cloudwatch.MetricAlarms;
import dev.parapet.operator.aws.inventory.ec2.EbsDefaultEncryption;
import dev.parapet.operator.aws.inventory.ec2.FlowLogs;
import dev.parapet.operator.aws.inventory.ec2.Images;
import dev.parapet.operator.aws.inventory.ec2.Instances;
import dev.parapet.operator.aws.inventory.ec2.NetworkAcls;
import dev.parapet.operator.aws.inventory.ec2.NetworkInterfaces;
import dev.parapet.operator.aws.inventory.ec2.SecurityGroups;
import dev.parapet.operator.aws.inventory.ec2.SnapshotBlockPublicAccess;
import dev.parapet.operator.aws.inventory.ec2.Snapshots;
import dev.parapet.operator.aws.inventory.ec2.Volumes;
import dev.parapet.operator.aws.inventory.ec2.Vpcs;
import dev.parapet.operator.aws.inventory.ecr.Repositories;
import dev.parapet.operator.aws.inventory.eks.Clusters;
import dev.parapet.operator.aws.inventory.elb.ClassicLoadBalancers;
import dev.parapet.operator.aws.inventory.elb.LoadBalancers;
import dev.parapet.operator.aws.inventory.guardduty.Detectors;
import dev.parapet.operator.aws.inventory.iam.AuthorizationDetails;
import dev.parapet.operator.aws.inventory.iam.CredentialReport;
import dev.parapet.operator.aws.inventory.iam.PasswordPolicy;
import dev.parapet.operator.aws.inventory.kms.KmsKeys;
import dev.parapet.operator.aws.inventory.lambda.Functions;
import dev.parapet.operator.aws.inventory.rds.DbInstances;
import dev.parapet.operator.aws.inventory.rds.DbSnapshots;
import dev.parapet.operator.aws.inventory.s3.AccountPublicAccessBlock;
import dev.parapet.operator.aws.inventory.s3.BucketAcls;
import dev.parapet.operator.aws.inventory.s3.BucketOwnership;
import dev.parapet.operator.aws.inventory.s3.BucketPolicies;
import dev.parapet.operator.aws.inventory.s3.BucketPublicAccessBlocks;
import dev.parapet.operator.aws.inventory.s3.BucketVersioning;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.inventory.secretsmanager.SecretPolicies;
import dev.parapet.operator.aws.inventory.secretsmanager.Secrets;
import dev.parapet.operator.aws.inventory.sns.Topics;
import dev.parapet.operator.aws.inventory.sqs.Queues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which datasets a CloudTrail management event can change, and where in the record the ids of the
 * changed resources are. The poller re-collects exactly these datasets (in the event's region; a
 * global dataset once) and re-runs the rules that read them. The table in {@code docs/events.md} is
 * generated from {@link #entries()} ({@code EventMappingDocTest}).
 *
 * <p>Resource ids narrow the re-evaluation only for the per-bucket S3 datasets ({@link
 * #PER_BUCKET}): an event on one bucket re-reads that bucket alone, and only its Findings change.
 * For every other dataset they are informational (logs): collectors read a whole dataset per
 * region, so every resource of a re-collected dataset in that region is judged afresh. Events
 * absent here cause no re-evaluation (the periodic scan still sees their effect); they still reach
 * every {@link CloudTrailEventListener}.
 */
public final class EventMapping {

  /**
   * One mapped event: its {@code eventSource}, {@code eventName}, the datasets it can change and
   * the JSON paths (dotted, {@code []} descends into every array item) of the changed resources'
   * ids in the CloudTrail record.
   */
  public record Entry(
      String eventSource,
      String eventName,
      List<Class<? extends Dataset>> datasets,
      List<String> idPaths) {}

  private static final Map<String, Entry> TABLE = new LinkedHashMap<>();

  /**
   * The per-bucket S3 datasets an event on one bucket can change. A burst whose mapped events all
   * change only these, and each names its bucket, re-collects just those buckets ({@code
   * CollectContext#buckets}); bucket list changes (CreateBucket/DeleteBucket: {@link Buckets}) and
   * account-level settings re-collect everything, as other rules read the whole list.
   */
  public static final Set<Class<? extends Dataset>> PER_BUCKET =
      Set.of(
          BucketPolicies.class,
          BucketPublicAccessBlocks.class,
          BucketAcls.class,
          BucketOwnership.class,
          BucketVersioning.class);

  @SafeVarargs
  private static void map(
      String source,
      List<String> names,
      List<String> idPaths,
      Class<? extends Dataset>... datasets) {
    for (var n : names) {
      var e = new Entry(source, n, List.of(datasets), idPaths);
      if (TABLE.put(source + "/" + n, e) != null) {
        throw new IllegalStateException("mapped twice: " + source + "/" + n);
      }
    }
  }

  static {
    var ec2 = "ec2.amazonaws.com";
    map(
        ec2,
        List.of(
            "AuthorizeSecurityGroupIngress",
            "RevokeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "RevokeSecurityGroupEgress",
            "ModifySecurityGroupRules",
            "UpdateSecurityGroupRuleDescriptionsIngress",
            "CreateSecurityGroup",
            "DeleteSecurityGroup"),
        List.of("requestParameters.groupId", "responseElements.groupId"),
        SecurityGroups.class);
    map(
        ec2,
        List.of(
            "CreateNetworkAclEntry",
            "ReplaceNetworkAclEntry",
            "DeleteNetworkAclEntry",
            "CreateNetworkAcl",
            "DeleteNetworkAcl",
            "ReplaceNetworkAclAssociation"),
        List.of("requestParameters.networkAclId", "responseElements.networkAcl.networkAclId"),
        NetworkAcls.class);
    map(
        ec2,
        List.of(
            "RunInstances",
            "TerminateInstances",
            "ModifyInstanceMetadataOptions",
            "ModifyInstanceAttribute",
            "AssociateIamInstanceProfile",
            "DisassociateIamInstanceProfile",
            "ReplaceIamInstanceProfileAssociation"),
        List.of(
            "requestParameters.instanceId",
            "requestParameters.instancesSet.items[].instanceId",
            "responseElements.instancesSet.items[].instanceId"),
        Instances.class);
    map(
        ec2,
        List.of(
            "CreateNetworkInterface", "DeleteNetworkInterface", "ModifyNetworkInterfaceAttribute"),
        List.of(
            "requestParameters.networkInterfaceId",
            "responseElements.networkInterface.networkInterfaceId"),
        NetworkInterfaces.class);
    map(
        ec2,
        List.of("EnableEbsEncryptionByDefault", "DisableEbsEncryptionByDefault"),
        List.of(),
        EbsDefaultEncryption.class);
    map(
        ec2,
        List.of("CreateVolume", "DeleteVolume"),
        List.of("requestParameters.volumeId", "responseElements.volumeId"),
        Volumes.class);
    map(
        ec2,
        List.of(
            "CreateSnapshot",
            "CopySnapshot",
            "DeleteSnapshot",
            "ModifySnapshotAttribute",
            "ResetSnapshotAttribute"),
        List.of("requestParameters.snapshotId", "responseElements.snapshotId"),
        Snapshots.class);
    map(
        ec2,
        List.of("EnableSnapshotBlockPublicAccess", "DisableSnapshotBlockPublicAccess"),
        List.of(),
        SnapshotBlockPublicAccess.class);
    map(
        ec2,
        List.of("ModifyImageAttribute", "ResetImageAttribute", "DeregisterImage"),
        List.of("requestParameters.imageId"),
        Images.class);
    map(
        ec2,
        List.of("CreateFlowLogs", "DeleteFlowLogs"),
        List.of("requestParameters.CreateFlowLogsRequest.ResourceId"),
        FlowLogs.class);
    map(
        ec2,
        List.of("CreateVpc", "DeleteVpc"),
        List.of("requestParameters.vpcId", "responseElements.vpc.vpcId"),
        Vpcs.class,
        FlowLogs.class);

    var s3 = "s3.amazonaws.com";
    var bucket = List.of("requestParameters.bucketName");
    map(s3, List.of("PutBucketPolicy", "DeleteBucketPolicy"), bucket, BucketPolicies.class);
    map(
        s3,
        List.of(
            "PutBucketPublicAccessBlock",
            "DeleteBucketPublicAccessBlock",
            "PutPublicAccessBlock",
            "DeletePublicAccessBlock"),
        bucket,
        BucketPublicAccessBlocks.class);
    map(
        s3,
        List.of("PutAccountPublicAccessBlock", "DeleteAccountPublicAccessBlock"),
        List.of(),
        AccountPublicAccessBlock.class);
    map(s3, List.of("PutBucketAcl"), bucket, BucketAcls.class);
    map(
        s3,
        List.of("PutBucketOwnershipControls", "DeleteBucketOwnershipControls"),
        bucket,
        BucketOwnership.class);
    map(s3, List.of("PutBucketVersioning"), bucket, BucketVersioning.class);
    map(s3, List.of("CreateBucket", "DeleteBucket"), bucket, Buckets.class);

    var iam = "iam.amazonaws.com";
    var user = List.of("requestParameters.userName");
    map(
        iam,
        List.of(
            "CreateUser",
            "DeleteUser",
            "CreateAccessKey",
            "UpdateAccessKey",
            "DeleteAccessKey",
            "CreateLoginProfile",
            "UpdateLoginProfile",
            "DeleteLoginProfile",
            "EnableMFADevice",
            "DeactivateMFADevice",
            "ResyncMFADevice",
            "DeleteVirtualMFADevice"),
        user,
        CredentialReport.class);
    map(
        iam,
        List.of(
            "AttachUserPolicy",
            "DetachUserPolicy",
            "PutUserPolicy",
            "DeleteUserPolicy",
            "AddUserToGroup",
            "RemoveUserFromGroup"),
        user,
        AuthorizationDetails.class);
    map(
        iam,
        List.of(
            "AttachRolePolicy",
            "DetachRolePolicy",
            "PutRolePolicy",
            "DeleteRolePolicy",
            "UpdateAssumeRolePolicy",
            "CreateRole",
            "DeleteRole"),
        List.of("requestParameters.roleName"),
        AuthorizationDetails.class);
    map(
        iam,
        List.of("AttachGroupPolicy", "DetachGroupPolicy", "PutGroupPolicy", "DeleteGroupPolicy"),
        List.of("requestParameters.groupName"),
        AuthorizationDetails.class);
    map(
        iam,
        List.of("CreatePolicyVersion", "SetDefaultPolicyVersion", "CreatePolicy", "DeletePolicy"),
        List.of("requestParameters.policyArn"),
        AuthorizationDetails.class);
    map(
        iam,
        List.of("UpdateAccountPasswordPolicy", "DeleteAccountPasswordPolicy"),
        List.of(),
        PasswordPolicy.class);

    var trail = List.of("requestParameters.name");
    map(
        "cloudtrail.amazonaws.com",
        List.of(
            "CreateTrail",
            "UpdateTrail",
            "DeleteTrail",
            "StartLogging",
            "StopLogging",
            "PutEventSelectors"),
        trail,
        Trails.class,
        MultiRegionTrails.class);
    map(
        "kms.amazonaws.com",
        List.of(
            "EnableKeyRotation",
            "DisableKeyRotation",
            "ScheduleKeyDeletion",
            "CancelKeyDeletion",
            "PutKeyPolicy",
            "DisableKey",
            "EnableKey"),
        List.of("requestParameters.keyId"),
        KmsKeys.class);
    map(
        "rds.amazonaws.com",
        List.of("CreateDBInstance", "ModifyDBInstance", "DeleteDBInstance"),
        List.of("requestParameters.dBInstanceIdentifier"),
        DbInstances.class);
    map(
        "rds.amazonaws.com",
        List.of("ModifyDBSnapshotAttribute", "CreateDBSnapshot", "DeleteDBSnapshot"),
        List.of("requestParameters.dBSnapshotIdentifier"),
        DbSnapshots.class);
    map(
        "guardduty.amazonaws.com",
        List.of("CreateDetector", "DeleteDetector", "UpdateDetector"),
        List.of("requestParameters.detectorId", "responseElements.detectorId"),
        Detectors.class);
    map(
        "config.amazonaws.com",
        List.of(
            "PutConfigurationRecorder",
            "DeleteConfigurationRecorder",
            "StartConfigurationRecorder",
            "StopConfigurationRecorder"),
        List.of("requestParameters.configurationRecorderName"),
        ConfigRecorders.class);
    map(
        "sqs.amazonaws.com",
        List.of("CreateQueue", "DeleteQueue", "SetQueueAttributes"),
        List.of("requestParameters.queueUrl", "responseElements.queueUrl"),
        Queues.class);
    map(
        "sns.amazonaws.com",
        List.of("CreateTopic", "DeleteTopic", "SetTopicAttributes"),
        List.of("requestParameters.topicArn", "responseElements.topicArn"),
        Topics.class);
    map(
        "lambda.amazonaws.com",
        List.of(
            "CreateFunction",
            "DeleteFunction",
            "UpdateFunctionConfiguration",
            "AddPermission",
            "RemovePermission",
            "CreateFunctionUrlConfig",
            "UpdateFunctionUrlConfig"),
        List.of("requestParameters.functionName"),
        Functions.class);
    map(
        "eks.amazonaws.com",
        List.of("CreateCluster", "DeleteCluster", "UpdateClusterConfig"),
        List.of("requestParameters.name"),
        Clusters.class);
    map(
        "ecr.amazonaws.com",
        List.of(
            "CreateRepository",
            "DeleteRepository",
            "SetRepositoryPolicy",
            "PutImageScanningConfiguration",
            "PutImageTagMutability"),
        List.of("requestParameters.repositoryName"),
        Repositories.class);
    map(
        "elasticloadbalancing.amazonaws.com",
        List.of(
            "CreateLoadBalancer",
            "DeleteLoadBalancer",
            "ModifyLoadBalancerAttributes",
            "CreateListener",
            "ModifyListener",
            "DeleteListener"),
        List.of("requestParameters.loadBalancerArn", "requestParameters.loadBalancerName"),
        LoadBalancers.class,
        ClassicLoadBalancers.class);
    map(
        "secretsmanager.amazonaws.com",
        List.of(
            "CreateSecret",
            "DeleteSecret",
            "RotateSecret",
            "PutResourcePolicy",
            "DeleteResourcePolicy"),
        List.of("requestParameters.secretId"),
        Secrets.class,
        SecretPolicies.class);
    map(
        "monitoring.amazonaws.com",
        List.of("PutMetricAlarm", "DeleteAlarms"),
        List.of("requestParameters.alarmName"),
        MetricAlarms.class);
  }

  private EventMapping() {}

  /** Every mapped event, in table order. */
  public static List<Entry> entries() {
    return List.copyOf(TABLE.values());
  }

  /**
   * The datasets worth holding between scans for targeted re-evaluations ({@code ScanEngine#held}):
   * every dataset read by a rule that reads one an event changes. Datasets only other rules read
   * are never taken from a held inventory, so they are not held.
   */
  public static Set<Class<? extends Dataset>> heldDatasets(
      dev.parapet.operator.aws.rules.RuleRegistry rules) {
    var mapped = new java.util.HashSet<Class<? extends Dataset>>();
    TABLE.values().forEach(e -> mapped.addAll(e.datasets()));
    var out = new java.util.HashSet<Class<? extends Dataset>>();
    for (var rule : rules.rules()) {
      var reads = rule.definition().allDatasets();
      if (reads.stream().anyMatch(mapped::contains)) {
        out.addAll(reads);
      }
    }
    return Set.copyOf(out);
  }

  /** The event sources (e.g. ec2.amazonaws.com) that have mapped events, sorted. */
  public static Set<String> eventSources() {
    var out = new TreeSet<String>();
    TABLE.values().forEach(e -> out.add(e.eventSource()));
    return out;
  }

  /**
   * The entry of a CloudTrail record's {@code eventSource}/{@code eventName}. Lambda's versioned
   * names (e.g. {@code UpdateFunctionConfiguration20150331v2}) match without their date suffix.
   */
  public static Optional<Entry> find(String eventSource, String eventName) {
    if (eventSource == null || eventName == null) {
      return Optional.empty();
    }
    var e = TABLE.get(eventSource + "/" + eventName);
    if (e == null && "lambda.amazonaws.com".equals(eventSource)) {
      e = TABLE.get(eventSource + "/" + eventName.replaceFirst("\\d{8}(v\\d+)?$", ""));
    }
    return Optional.ofNullable(e);
  }

  /** The ids of the changed resources found in {@code detail} at the entry's paths. */
  public static Set<String> resourceIds(Entry entry, JsonNode detail) {
    var out = new LinkedHashSet<String>();
    for (var path : entry.idPaths()) {
      collect(detail, path.split("\\."), 0, out);
    }
    return out;
  }

  private static void collect(JsonNode node, String[] parts, int i, Set<String> out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    if (i == parts.length) {
      if (node.isValueNode() && !node.asText().isBlank()) {
        out.add(node.asText());
      }
      return;
    }
    var part = parts[i];
    if (part.endsWith("[]")) {
      var array = node.get(part.substring(0, part.length() - 2));
      if (array != null && array.isArray()) {
        var items = new ArrayList<JsonNode>();
        array.forEach(items::add);
        items.forEach(item -> collect(item, parts, i + 1, out));
      }
      return;
    }
    collect(node.get(part), parts, i + 1, out);
  }

  /** The mapping table as Markdown (docs/events.md), one row per event, by service. */
  public static String markdown() {
    var out = new StringBuilder();
    out.append("| Event source | Event name | Datasets re-collected | Resource ids from |\n");
    out.append("|---|---|---|---|\n");
    for (var e : entries()) {
      out.append("| `")
          .append(e.eventSource())
          .append("` | `")
          .append(e.eventName())
          .append("` | ")
          .append(
              String.join(
                  ", ",
                  e.datasets().stream()
                      .map(
                          d ->
                              d.getSimpleName()
                                  + (dev.parapet.operator.aws.inventory.Datasets.isGlobal(d)
                                      ? " (global)"
                                      : ""))
                      .toList()))
          .append(" | ")
          .append(
              e.idPaths().isEmpty()
                  ? "(account-level)"
                  : String.join(", ", e.idPaths().stream().map(p -> "`" + p + "`").toList()))
          .append(" |\n");
    }
    return out.toString();
  }

  /**
   * The scan role's policy on the event queue (deploy/aws/events-queue-policy.json): exactly the
   * poller's four SQS actions, on the template's queue only.
   */
  public static String queuePolicyJson() {
    var actions = new TreeSet<>(dev.parapet.operator.aws.collect.EventQueue.IAM_ACTIONS);
    var json = new StringBuilder();
    json.append("{\n");
    json.append("  \"Version\": \"2012-10-17\",\n");
    json.append("  \"Statement\": [\n");
    json.append("    {\n");
    json.append("      \"Sid\": \"ParapetEventQueueRead\",\n");
    json.append("      \"Effect\": \"Allow\",\n");
    json.append("      \"Action\": [\n");
    var list = List.copyOf(actions);
    for (int i = 0; i < list.size(); i++) {
      json.append("        \"").append(list.get(i)).append('"');
      json.append(i < list.size() - 1 ? ",\n" : "\n");
    }
    json.append("      ],\n");
    json.append("      \"Resource\": {\"Fn::GetAtt\": [\"EventQueueResource\", \"Arn\"]}\n");
    json.append("    }\n");
    json.append("  ]\n");
    json.append("}\n");
    return json.toString();
  }
}
