package dev.parapet.operator.cloud;

import dev.parapet.api.v1alpha1.CloudAccountSpec;
import dev.parapet.api.v1alpha1.PosturePolicySpec;
import dev.parapet.operator.aws.collect.CredentialSource;
import dev.parapet.operator.aws.engine.CloudPolicy;
import dev.parapet.operator.aws.engine.Exemption;
import dev.parapet.operator.aws.engine.InvalidPolicyException;
import dev.parapet.operator.aws.engine.ScanRequest;
import dev.parapet.operator.aws.rules.RuleParameters;
import dev.parapet.operator.aws.rules.Severity;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps the CRDs onto the engine's Kubernetes-free API: a PosturePolicy's cloud part and exceptions
 * onto a {@link CloudPolicy}, a CloudAccount (with its Secret values resolved by the caller) onto a
 * {@link ScanRequest}. Merging several policies is the caller's business.
 */
public final class AwsScanMapping {
  private AwsScanMapping() {}

  /** Reads one key of a Secret in the CloudAccount's namespace; null when absent. */
  @FunctionalInterface
  public interface SecretValues {
    String get(String secretName, String key);
  }

  /**
   * The engine policy of one PosturePolicy. Frameworks empty selects every rule (include is then
   * moot); exceptions naming namespaces, names or labels are Kubernetes-only and skipped here.
   * Exemption names are {@code <policy>/<exception name or exceptions[i]>}.
   */
  public static CloudPolicy policy(String policyName, PosturePolicySpec spec) {
    var cloud = spec.cloud();
    var frameworks = new HashSet<String>();
    var include = new HashSet<String>();
    var exclude = new HashSet<String>();
    var overrides = new LinkedHashMap<String, Severity>();
    var parameters = RuleParameters.defaults();
    if (cloud != null) {
      if (cloud.frameworks() != null) {
        cloud
            .frameworks()
            .forEach(
                f ->
                    frameworks.add(
                        f == PosturePolicySpec.Framework.CIS_AWS
                            ? CloudPolicy.CIS
                            : CloudPolicy.FSBP));
      }
      if (cloud.rules() != null) {
        if (!frameworks.isEmpty() && cloud.rules().include() != null) {
          include.addAll(cloud.rules().include());
        }
        if (cloud.rules().exclude() != null) {
          exclude.addAll(cloud.rules().exclude());
        }
      }
      if (cloud.severityOverrides() != null) {
        cloud
            .severityOverrides()
            .forEach(
                (rule, severity) ->
                    overrides.put(
                        rule, Severity.valueOf(severity.name().toLowerCase(Locale.ROOT))));
      }
      parameters = parameters(cloud.parameters());
    }
    var errors = new ArrayList<String>();
    var exemptions = new ArrayList<Exemption>();
    var exceptions =
        spec.exceptions() == null
            ? List.<PosturePolicySpec.PolicyException>of()
            : spec.exceptions();
    for (int i = 0; i < exceptions.size(); i++) {
      var x = exceptions.get(i);
      var m = x.match();
      if (m != null && (notEmpty(m.namespaces()) || notEmpty(m.names()) || notEmpty(m.labels()))) {
        continue;
      }
      var name =
          policyName
              + "/"
              + (x.name() == null || x.name().isBlank() ? "exceptions[" + i + "]" : x.name());
      Instant expiresAt = null;
      if (x.expiresAt() != null && !x.expiresAt().isBlank()) {
        try {
          expiresAt = OffsetDateTime.parse(x.expiresAt()).toInstant();
        } catch (DateTimeParseException e) {
          errors.add(
              "exceptions[" + i + "].expiresAt: '" + x.expiresAt() + "' is not an RFC 3339 time");
          continue;
        }
      }
      exemptions.add(
          new Exemption(
              name,
              x.rules(),
              m == null ? null : m.accounts(),
              m == null ? null : m.regions(),
              m == null ? null : m.resourceArns(),
              m == null ? null : m.tags(),
              x.reason(),
              expiresAt));
    }
    if (!errors.isEmpty()) {
      throw new InvalidPolicyException(errors);
    }
    return new CloudPolicy(frameworks, include, exclude, overrides, parameters, exemptions);
  }

  private static RuleParameters parameters(PosturePolicySpec.CloudParameters p) {
    var d = RuleParameters.defaults();
    if (p == null) {
      return d;
    }
    return new RuleParameters(
        p.sensitivePorts() == null || p.sensitivePorts().isEmpty()
            ? d.sensitivePorts()
            : Set.copyOf(p.sensitivePorts()),
        p.maxAccessKeyAgeDays() == null ? d.maxAccessKeyAgeDays() : p.maxAccessKeyAgeDays(),
        p.unusedCredentialDays() == null ? d.unusedCredentialDays() : p.unusedCredentialDays(),
        d.minPasswordLength(),
        d.passwordReusePrevention(),
        p.includeUnusedSecurityGroups() == null
            ? d.includeUnusedSecurityGroups()
            : p.includeUnusedSecurityGroups());
  }

  /**
   * The scan request of one CloudAccount under {@code policy}. Throws {@link
   * IllegalArgumentException} naming the field or Secret key when something is missing.
   */
  public static ScanRequest request(
      CloudAccountSpec spec, SecretValues secrets, CloudPolicy policy) {
    var credentials = credentials(spec, secrets);
    var services = spec.scan() == null ? null : spec.scan().services();
    var scoped =
        services == null
            ? policy
            : policy.withServices(
                services.include() == null ? Set.of() : Set.copyOf(services.include()),
                services.exclude() == null ? Set.of() : Set.copyOf(services.exclude()));
    var endpoint =
        spec.endpointOverride() == null || spec.endpointOverride().isBlank()
            ? null
            : URI.create(spec.endpointOverride());
    return new ScanRequest(spec.accountId(), spec.regions(), credentials, endpoint, null, scoped);
  }

  private static CredentialSource credentials(CloudAccountSpec spec, SecretValues secrets) {
    var c = spec.credentials();
    if (c == null || (c.assumeRole() == null && c.secretRef() == null)) {
      return new CredentialSource.DefaultChain();
    }
    if (c.assumeRole() != null && c.secretRef() != null) {
      throw new IllegalArgumentException(
          "credentials: set at most one of assumeRole and secretRef");
    }
    if (c.assumeRole() != null) {
      var r = c.assumeRole();
      var externalId = r.externalId();
      if (r.externalIdSecretRef() != null) {
        externalId =
            required(
                secrets,
                r.externalIdSecretRef().name(),
                r.externalIdSecretRef().key(),
                "credentials.assumeRole.externalIdSecretRef");
      }
      var session =
          r.sessionName() == null || r.sessionName().isBlank()
              ? "parapet-" + spec.accountId()
              : r.sessionName();
      return new CredentialSource.AssumeRole(
          r.roleArn(),
          externalId,
          session,
          r.durationSeconds() == null ? 3600 : r.durationSeconds(),
          null);
    }
    var ref = c.secretRef();
    var idKey = ref.accessKeyIdKey() == null ? "aws_access_key_id" : ref.accessKeyIdKey();
    var secretKey =
        ref.secretAccessKeyKey() == null ? "aws_secret_access_key" : ref.secretAccessKeyKey();
    var token =
        ref.sessionTokenKey() == null ? null : secrets.get(ref.name(), ref.sessionTokenKey());
    return new CredentialSource.StaticKeys(
        required(secrets, ref.name(), idKey, "credentials.secretRef"),
        required(secrets, ref.name(), secretKey, "credentials.secretRef"),
        token);
  }

  private static String required(SecretValues secrets, String name, String key, String field) {
    var value = secrets.get(name, key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          field + ": Secret '" + name + "' has no value for key '" + key + "'");
    }
    return value;
  }

  private static boolean notEmpty(List<?> list) {
    return list != null && !list.isEmpty();
  }

  private static boolean notEmpty(Map<?, ?> map) {
    return map != null && !map.isEmpty();
  }
}
