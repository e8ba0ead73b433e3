/**
 * The AWS posture engine: given an account, credentials and a cloud policy, produce the exact set
 * of rule results. Usable without Kubernetes; the reconciler maps CRDs onto {@link
 * dev.parapet.operator.aws.engine.ScanRequest} and calls {@link
 * dev.parapet.operator.aws.engine.ScanEngine#scan}.
 *
 * <h2>Layout</h2>
 *
 * <ul>
 *   <li>{@code collect} - the only package importing the AWS SDK (enforced by {@code
 *       ArchitectureTest}): client factory, credentials, retry/timeouts, call counter, one
 *       collector per dataset.
 *   <li>{@code inventory} - immutable records; every dataset is {@code Known} or {@code
 *       Unknown(reason)} per region (or once, under {@code global}, for account-wide data).
 *   <li>{@code rules} - pure functions of the inventory plus parameters, one class per check, with
 *       their metadata next to them; no I/O, no SDK.
 *   <li>{@code engine} - the public API: identity check, region resolution, bounded concurrent
 *       collection, policy application (selection, overrides, exemptions, de-duplication), report.
 * </ul>
 *
 * <h2>Adding a collector</h2>
 *
 * <ol>
 *   <li>Add a record implementing {@code Dataset} under {@code inventory/<service>/}, annotated
 *       with {@code @DatasetSpec(service = "...", global = true|false, actions = {...})} listing
 *       every IAM action the collector calls (this is where least privilege comes from).
 *   <li>In {@code collect/<Service>Collector.java} write a static method {@code D
 *       name(CollectContext)} that reads it with the SDK paginator and the largest page size, no
 *       per-resource calls when a list call can answer; throw SDK exceptions freely (they become
 *       {@code Unknown}).
 *   <li>Return it from the service's {@code all()} via {@code Collector.of(D.class, ...)} and add
 *       that {@code all()} to {@code CollectorRegistry.defaults()} (one line).
 * </ol>
 *
 * <h2>Adding a rule</h2>
 *
 * <ol>
 *   <li>Create {@code rules/<service>/<Name>Rule.java} extending {@code RegionalRule} (judged per
 *       region) or {@code GlobalRule} (judged once), with a {@code static final RuleDefinition
 *       DEFINITION} (stable id {@code aws-<service>-<what>}, title and remediation in en + ja, URL,
 *       severity from {@code dev.parapet.core.Severity}, resource type, CIS and FSBP ids, {@code
 *       reads(...)} datasets); its {@code metadata()} is the shared {@code
 *       dev.parapet.core.RuleMetadata}.
 *   <li>Emit one {@code RuleResult.fail(resource, evidence)} or {@code pass(resource)} per judged
 *       resource; unknown datasets never reach your code (the base class emits UNKNOWN).
 *   <li>Append it to {@code RuleRegistry} (one line), write a fixture test (FAIL/PASS/UNKNOWN) and
 *       a moto test (violator gets exactly one FAIL, clean twin none), then regenerate the
 *       catalogue: {@code ./mvnw -B -pl operator -am test -Dtest=CatalogueDriftTest
 *       -Dsurefire.failIfNoSpecifiedTests=false -Dparapet.update=true}.
 * </ol>
 */
package dev.parapet.operator.aws;
