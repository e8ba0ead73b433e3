package dev.parapet.operator.aws.collect;

import dev.parapet.operator.aws.inventory.CollectionError;
import dev.parapet.operator.aws.inventory.Fact;
import dev.parapet.operator.aws.inventory.s3.AccountPublicAccessBlock;
import dev.parapet.operator.aws.inventory.s3.BucketAcls;
import dev.parapet.operator.aws.inventory.s3.BucketLogging;
import dev.parapet.operator.aws.inventory.s3.BucketOwnership;
import dev.parapet.operator.aws.inventory.s3.BucketPolicies;
import dev.parapet.operator.aws.inventory.s3.BucketPublicAccessBlocks;
import dev.parapet.operator.aws.inventory.s3.BucketTags;
import dev.parapet.operator.aws.inventory.s3.BucketVersioning;
import dev.parapet.operator.aws.inventory.s3.Buckets;
import dev.parapet.operator.aws.inventory.s3.PublicAccessBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListBucketsRequest;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.Type;
import software.amazon.awssdk.services.s3control.S3ControlClient;

/**
 * S3 collectors. The bucket list is read once per scan (ListBuckets, shared by every per-bucket
 * dataset through {@link AwsSession#shared}); per-bucket settings need one call per bucket and
 * setting (no S3 list API returns them), made in the bucket's own region. Answers meaning "not
 * configured" are known values; any other failure makes that bucket's value unknown.
 */
public final class S3Collector {
  static final int PAGE = 10_000;
  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
  private static final String AUTHENTICATED_USERS =
      "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
  private static final Set<String> NO_PUBLIC_ACCESS_BLOCK =
      Set.of("NoSuchPublicAccessBlockConfiguration");
  private static final String NO_SUCH_BUCKET = "NoSuchBucket";
  // Per session (one targeted re-evaluation): named buckets a read found gone or elsewhere.
  private static final String GONE = "s3:named:gone";
  private static final String MOVED = "s3:named:moved";

  private S3Collector() {}

  public static List<Collector<?>> all() {
    return List.of(
        Collector.of(AccountPublicAccessBlock.class, S3Collector::accountPublicAccessBlock),
        Collector.of(Buckets.class, S3Collector::buckets),
        Collector.of(BucketPublicAccessBlocks.class, S3Collector::bucketPublicAccessBlocks),
        Collector.of(BucketPolicies.class, S3Collector::bucketPolicies),
        Collector.of(BucketAcls.class, S3Collector::bucketAcls),
        Collector.of(BucketOwnership.class, S3Collector::bucketOwnership),
        Collector.of(BucketVersioning.class, S3Collector::bucketVersioning),
        Collector.of(BucketLogging.class, S3Collector::bucketLogging),
        Collector.of(BucketTags.class, S3Collector::bucketTags));
  }

  static AccountPublicAccessBlock accountPublicAccessBlock(CollectContext ctx) {
    try {
      var c =
          ctx.session()
              .client(S3ControlClient.class)
              .getPublicAccessBlock(b -> b.accountId(ctx.accountId()))
              .publicAccessBlockConfiguration();
      return new AccountPublicAccessBlock(
          new PublicAccessBlock(
              true,
              isTrue(c.blockPublicAcls()),
              isTrue(c.ignorePublicAcls()),
              isTrue(c.blockPublicPolicy()),
              isTrue(c.restrictPublicBuckets())));
    } catch (AwsServiceException e) {
      if (hasCode(e, NO_PUBLIC_ACCESS_BLOCK)) {
        return new AccountPublicAccessBlock(PublicAccessBlock.absent());
      }
      throw e;
    }
  }

  static Buckets buckets(CollectContext ctx) {
    if (!ctx.buckets().isEmpty()) {
      var names = new java.util.TreeSet<>(ctx.buckets());
      return ctx.session().shared("s3:buckets:" + names, () -> namedBuckets(ctx, names));
    }
    return ctx.session().shared("s3:buckets", () -> listBuckets(ctx));
  }

  /**
   * The named buckets only (a targeted re-evaluation), without walking ListBuckets. A bucket the
   * account's held bucket list names ({@link CollectContext#bucketRegions}) is taken in that region
   * with no call: if it has moved since, its reads there fail (PermanentRedirect), it ends unknown,
   * never judged, and {@link #settleNamed} drops the stale region so the next attempt locates it.
   * Any other bucket is located with GetBucketLocation. A bucket that no longer exists
   * (NoSuchBucket, from GetBucketLocation or a later read) is left out, so the rules produce
   * nothing for it and its Findings resolve; any other failure makes that bucket unknown. The
   * ExpectedBucketOwner header makes a bucket of the same name in another account fail
   * (AccessDenied on AWS: unknown, never judged as this account's).
   */
  private static Buckets namedBuckets(CollectContext ctx, java.util.Collection<String> names) {
    var home = ctx.session().client(S3Client.class, ctx.session().homeRegion());
    var buckets = new ArrayList<Buckets.Bucket>();
    var unreadable = new HashMap<String, CollectionError>();
    for (var name : names) {
      var held = ctx.bucketRegions().get(name);
      if (held != null) {
        buckets.add(new Buckets.Bucket(name, held));
        continue;
      }
      try {
        var region =
            location(
                home.getBucketLocation(r -> r.bucket(name).expectedBucketOwner(ctx.accountId()))
                    .locationConstraintAsString());
        buckets.add(new Buckets.Bucket(name, region));
      } catch (AwsServiceException e) {
        if (hasCode(e, Set.of(NO_SUCH_BUCKET))) {
          continue;
        }
        unreadable.put(name, bucketError(e, ctx.session().homeRegion(), "GetBucketLocation", name));
      }
    }
    return new Buckets(buckets, unreadable);
  }

  /**
   * The named buckets of a targeted re-evaluation once every read is done: without those a read
   * found gone (NoSuchBucket: their Findings resolve, as after GetBucketLocation's NoSuchBucket),
   * and with those answered PermanentRedirect (not in the region the held list gave) moved to the
   * unreadable ones (UNKNOWN, never resolved; the held list then forgets that region).
   */
  public static Buckets settleNamed(AwsSession session, Buckets named) {
    Set<String> gone = session.shared(GONE, java.util.concurrent.ConcurrentHashMap::newKeySet);
    Map<String, CollectionError> moved =
        session.shared(MOVED, java.util.concurrent.ConcurrentHashMap::new);
    if (gone.isEmpty() && moved.isEmpty()) {
      return named;
    }
    var unreadable = new HashMap<>(named.unreadable());
    moved.forEach(unreadable::putIfAbsent);
    unreadable.keySet().removeAll(gone);
    return new Buckets(
        named.buckets().stream()
            .filter(b -> !gone.contains(b.name()) && !moved.containsKey(b.name()))
            .toList(),
        unreadable);
  }

  /**
   * A per-bucket read of a named bucket failed: NoSuchBucket marks it gone (true: it gets no
   * value), PermanentRedirect marks it moved (false: it stays unknown). Full scans keep today's
   * behaviour (unknown).
   */
  private static boolean goneOrMoved(
      CollectContext ctx, RuntimeException e, String bucket, CollectionError error) {
    if (ctx.buckets().isEmpty() || !(e instanceof AwsServiceException ase)) {
      return false;
    }
    if (hasCode(ase, Set.of(NO_SUCH_BUCKET))) {
      ctx.session()
          .<Set<String>>shared(GONE, java.util.concurrent.ConcurrentHashMap::newKeySet)
          .add(bucket);
      return true;
    }
    if (ase.statusCode() == 301 || hasCode(ase, Set.of("PermanentRedirect"))) {
      ctx.session()
          .<Map<String, CollectionError>>shared(MOVED, java.util.concurrent.ConcurrentHashMap::new)
          .putIfAbsent(bucket, error);
    }
    return false;
  }

  private static Buckets listBuckets(CollectContext ctx) {
    var home = ctx.session().client(S3Client.class, ctx.session().homeRegion());
    var buckets = new ArrayList<Buckets.Bucket>();
    var unreadable = new HashMap<String, CollectionError>();
    var request = ListBucketsRequest.builder().maxBuckets(PAGE).build();
    for (var b : home.listBucketsPaginator(request).buckets()) {
      var region = b.bucketRegion();
      if (region == null || region.isBlank()) {
        try {
          region =
              location(
                  home.getBucketLocation(r -> r.bucket(b.name())).locationConstraintAsString());
        } catch (AwsServiceException e) {
          unreadable.put(
              b.name(), bucketError(e, ctx.session().homeRegion(), "GetBucketLocation", b.name()));
          continue;
        }
      }
      buckets.add(new Buckets.Bucket(b.name(), region));
    }
    return new Buckets(buckets, unreadable);
  }

  /**
   * GetBucketLocation answers null/empty for us-east-1 and {@code EU} for old eu-west-1 buckets.
   */
  static String location(String constraint) {
    if (constraint == null || constraint.isBlank() || "null".equals(constraint)) {
      return "us-east-1";
    }
    return "EU".equals(constraint) ? "eu-west-1" : constraint;
  }

  static BucketPublicAccessBlocks bucketPublicAccessBlocks(CollectContext ctx) {
    return new BucketPublicAccessBlocks(
        perBucket(
            ctx,
            "GetPublicAccessBlock",
            (s3, bucket) -> {
              try {
                var c =
                    s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
                return flags(c);
              } catch (AwsServiceException e) {
                if (hasCode(e, NO_PUBLIC_ACCESS_BLOCK)) {
                  return PublicAccessBlock.absent();
                }
                throw e;
              }
            }));
  }

  private static PublicAccessBlock flags(PublicAccessBlockConfiguration c) {
    return new PublicAccessBlock(
        true,
        isTrue(c.blockPublicAcls()),
        isTrue(c.ignorePublicAcls()),
        isTrue(c.blockPublicPolicy()),
        isTrue(c.restrictPublicBuckets()));
  }

  /** GetBucketPolicy, then GetBucketPolicyStatus only for buckets that have a policy. */
  static BucketPolicies bucketPolicies(CollectContext ctx) {
    return new BucketPolicies(
        perBucket(
            ctx,
            "GetBucketPolicy",
            (s3, bucket) -> {
              String text;
              try {
                text = s3.getBucketPolicy(r -> r.bucket(bucket)).policy();
              } catch (AwsServiceException e) {
                if (hasCode(e, Set.of("NoSuchBucketPolicy"))) {
                  return BucketPolicies.Policy.none();
                }
                throw e;
              }
              var document = PolicyDocuments.parse(text);
              boolean isPublic;
              try {
                var status = s3.getBucketPolicyStatus(r -> r.bucket(bucket)).policyStatus();
                isPublic = status != null && isTrue(status.isPublic());
              } catch (AwsServiceException e) {
                if (!hasCode(e, Set.of("NoSuchBucketPolicy"))) {
                  throw e;
                }
                isPublic = false; // the policy was deleted between the two calls
              }
              return new BucketPolicies.Policy(document, isPublic);
            }));
  }

  static BucketAcls bucketAcls(CollectContext ctx) {
    return new BucketAcls(
        perBucket(
            ctx,
            "GetBucketAcl",
            (s3, bucket) -> {
              var grants = new ArrayList<String>();
              for (var g : s3.getBucketAcl(r -> r.bucket(bucket)).grants()) {
                var grantee = g.grantee();
                if (grantee == null || grantee.type() != Type.GROUP) {
                  continue;
                }
                if (ALL_USERS.equals(grantee.uri())) {
                  grants.add("AllUsers:" + g.permissionAsString());
                } else if (AUTHENTICATED_USERS.equals(grantee.uri())) {
                  grants.add("AuthenticatedUsers:" + g.permissionAsString());
                }
              }
              return new BucketAcls.Acl(grants);
            }));
  }

  static BucketOwnership bucketOwnership(CollectContext ctx) {
    return new BucketOwnership(
        perBucket(
            ctx,
            "GetBucketOwnershipControls",
            (s3, bucket) -> {
              try {
                var rules =
                    s3.getBucketOwnershipControls(r -> r.bucket(bucket))
                        .ownershipControls()
                        .rules();
                return new BucketOwnership.Ownership(
                    rules.isEmpty() ? null : rules.get(0).objectOwnershipAsString());
              } catch (AwsServiceException e) {
                if (hasCode(e, Set.of("OwnershipControlsNotFoundError"))) {
                  return new BucketOwnership.Ownership(null);
                }
                throw e;
              }
            }));
  }

  static BucketVersioning bucketVersioning(CollectContext ctx) {
    return new BucketVersioning(
        perBucket(
            ctx,
            "GetBucketVersioning",
            (s3, bucket) -> {
              var answer = s3.getBucketVersioning(r -> r.bucket(bucket));
              var status = answer.statusAsString();
              var mfaDelete = answer.mfaDeleteAsString();
              return new BucketVersioning.Versioning(
                  status == null || status.isBlank() ? "Disabled" : status,
                  mfaDelete == null || mfaDelete.isBlank() ? null : mfaDelete);
            }));
  }

  static BucketLogging bucketLogging(CollectContext ctx) {
    return new BucketLogging(
        perBucket(
            ctx,
            "GetBucketLogging",
            (s3, bucket) -> {
              var enabled = s3.getBucketLogging(r -> r.bucket(bucket)).loggingEnabled();
              return new BucketLogging.Logging(enabled == null ? null : enabled.targetBucket());
            }));
  }

  /**
   * GetBucketTagging per bucket in its region ({@code NoSuchTagSet}: no tags). Tags serve only
   * exceptions, so a failure stays with its bucket even when every bucket fails: the errors list
   * the buckets by cause, and no verdict waits on them.
   */
  static BucketTags bucketTags(CollectContext ctx) {
    var out = new HashMap<String, Fact<Map<String, String>>>();
    Buckets buckets;
    try {
      buckets = buckets(ctx);
    } catch (RuntimeException e) {
      // The bucket list itself failed: the rules are UNKNOWN and Buckets reports the cause.
      return new BucketTags(out);
    }
    for (var bucket : buckets.buckets()) {
      try {
        var tags = new HashMap<String, String>();
        ctx.session()
            .client(S3Client.class, bucket.region())
            .getBucketTagging(r -> r.bucket(bucket.name()))
            .tagSet()
            .forEach(t -> tags.put(t.key(), t.value()));
        out.put(bucket.name(), Fact.known(tags));
      } catch (AwsServiceException e) {
        if (hasCode(e, Set.of("NoSuchTagSet"))) {
          out.put(bucket.name(), Fact.known(Map.of()));
        } else {
          var error = Failures.classify(e, "s3", bucket.region(), "GetBucketTagging");
          if (!goneOrMoved(ctx, e, bucket.name(), error)) {
            out.put(bucket.name(), Fact.unknown(error));
          }
        }
      } catch (RuntimeException e) {
        out.put(
            bucket.name(),
            Fact.unknown(Failures.classify(e, "s3", bucket.region(), "GetBucketTagging")));
      }
    }
    return new BucketTags(out);
  }

  /** A per-bucket read; a failure is kept for that bucket only. */
  @FunctionalInterface
  interface BucketRead<T> {
    T read(S3Client s3, String bucket);
  }

  /**
   * Reads one setting of every bucket in its region. When every bucket fails the same way (e.g. the
   * action is not granted), the whole dataset is unknown, so the error is reported once.
   */
  static <T> Map<String, Fact<T>> perBucket(
      CollectContext ctx, String operation, BucketRead<T> read) {
    var buckets = buckets(ctx).buckets();
    var out = new HashMap<String, Fact<T>>();
    RuntimeException first = null;
    var failures = 0;
    for (var bucket : buckets) {
      try {
        out.put(
            bucket.name(),
            Fact.known(
                read.read(ctx.session().client(S3Client.class, bucket.region()), bucket.name())));
      } catch (RuntimeException e) {
        var error = bucketError(e, bucket.region(), operation, bucket.name());
        if (goneOrMoved(ctx, e, bucket.name(), error)) {
          continue; // deleted since it was listed: no value, settleNamed drops it from the list
        }
        failures++;
        first = first == null ? e : first;
        out.put(bucket.name(), Fact.unknown(error));
      }
    }
    if (failures > 0 && failures == buckets.size()) {
      throw first;
    }
    return out;
  }

  private static CollectionError bucketError(
      Throwable e, String region, String operation, String bucket) {
    var error = Failures.classify(e, "s3", region, operation);
    return new CollectionError(
        error.service(),
        error.region(),
        error.operation(),
        error.reason(),
        "bucket " + bucket + ": " + error.message());
  }

  private static boolean hasCode(AwsServiceException e, Set<String> codes) {
    return e.awsErrorDetails() != null && codes.contains(e.awsErrorDetails().errorCode());
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }
}
