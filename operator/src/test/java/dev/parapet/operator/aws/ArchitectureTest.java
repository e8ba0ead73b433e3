package dev.parapet.operator.aws;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the engine's layering (only {@code aws.collect} touches the SDK; rules do no I/O; the
 * engine knows no Kubernetes) and the operator's: its packages form no cycle.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parapet.operator");
  }

  @Test
  void onlyTheCollectAndExportPackagesUseTheAwsSdk() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.parapet.operator.aws.collect..",
            "dev.parapet.operator.aws.export..",
            "dev.parapet.operator.demo..",
            "dev.parapet.operator.remediation..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("software.amazon.awssdk..")
        .because(
            "collectors are the only code that reads AWS, the Security Hub exporter and the"
                + " remediation actions the only code"
                + " that writes to it (the demo's seeder writes to the emulator only)")
        .check(main);
  }

  @Test
  void rulesDoNoIo() {
    noClasses()
        .that()
        .resideInAPackage("dev.parapet.operator.aws.rules..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "software.amazon.awssdk..",
            "java.io..",
            "java.nio..",
            "java.net..",
            "java.sql..",
            "dev.parapet.operator.aws.collect..",
            "dev.parapet.operator.aws.engine..",
            "io.fabric8..",
            "jakarta.ws..")
        .because("rules are pure functions of the inventory")
        .check(main);
  }

  @Test
  void theActivityDetectorDoesNoIo() {
    noClasses()
        .that()
        .resideInAPackage("dev.parapet.operator.aws.events.activity..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "software.amazon.awssdk..",
            "java.io..",
            "java.nio..",
            "java.net..",
            "dev.parapet.operator.aws.collect..",
            "dev.parapet.operator.aws.engine..",
            "io.fabric8..",
            "jakarta..")
        .because("activity rules are pure functions of one CloudTrail record")
        .check(main);
  }

  @Test
  void inventoryAndEngineDoNotDependOnKubernetes() {
    noClasses()
        .that()
        .resideInAPackage("dev.parapet.operator.aws..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..", "dev.parapet.api..")
        .because("the engine must be usable without Kubernetes")
        .check(main);
  }

  /**
   * Of the webhook module, the engine may use only the credential library every output path shares
   * (the one redactor and the detectors behind it, with their time budget); policies, admission and
   * rules stay out of it. The rule below keeps that library free of Kubernetes.
   */
  @Test
  void theEngineUsesOnlyTheWebhooksCredentialLibrary() {
    noClasses()
        .that()
        .resideInAPackage("dev.parapet.operator.aws..")
        .should()
        .dependOnClassesThat(
            JavaClass.Predicates.resideInAPackage("dev.parapet.webhook..")
                .and(
                    JavaClass.Predicates.resideOutsideOfPackages(
                        "dev.parapet.webhook.secrets..", "dev.parapet.webhook.budget..")))
        .because("the engine judges AWS; it only borrows the redactor")
        .check(main);
  }

  @Test
  void theCredentialLibraryDependsOnNoKubernetes() {
    var library =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parapet.webhook.secrets", "dev.parapet.webhook.budget");
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.fabric8..",
            "io.javaoperatorsdk..",
            "io.quarkus..",
            "jakarta..",
            "dev.parapet.api..",
            "dev.parapet.operator..")
        .because("the engine uses it, and the engine must be usable without Kubernetes")
        .check(library);
  }

  @Test
  void theCliDoesNotDependOnTheAudit() {
    noClasses()
        .that()
        .resideInAPackage("dev.parapet.operator.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.parapet.operator.audit..")
        .because(
            "the CLI computes findings with findings.WorkloadFindings, as the audit does; the"
                + " audit's informers and scheduling are the controller's")
        .check(main);
  }

  @Test
  void operatorPackagesFormNoCycle() {
    slices()
        .matching("dev.parapet.operator.(*)..")
        .should()
        .beFreeOfCycles()
        .because(
            "each package builds on lower ones only (aws, scan, policy, findings, cloudaccount,"
                + " audit, cli): a cycle means two concepts that cannot change apart")
        .check(main);
  }

  /**
   * The engine's rules and the webhook's share {@code dev.parapet.core} (Severity, RuleMetadata):
   * it must stay free of Kubernetes, Quarkus, the AWS SDK and the modules that use it, or the
   * engine's rule above would hold only on paper.
   */
  @Test
  void theSharedCoreDependsOnNoFrameworkAndNoOtherModule() {
    var core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parapet.core");
    noClasses()
        .that()
        .resideInAPackage("dev.parapet.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.fabric8..",
            "io.javaoperatorsdk..",
            "io.quarkus..",
            "jakarta..",
            "software.amazon.awssdk..",
            "dev.parapet.api..",
            "dev.parapet.operator..",
            "dev.parapet.webhook..")
        .because("core is the vocabulary every module shares, the Kubernetes-free engine included")
        .check(core);
  }
}
