package org.pgeventstore.bootstrap;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dependency rule of the hexagon, checked on the compiled classes of every module. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.pgeventstore");
    }

    @Test
    @DisplayName("the classes of every module are on the classpath, so the rules below cannot pass vacuously")
    void everyModuleIsImported() {
        for (String module : new String[] {"domain", "application", "adapters.postgres", "adapters.http", "adapters.nats",
                "bootstrap"}) {
            classes().that().resideInAPackage("org.pgeventstore." + module + "..").should().bePublic()
                    .orShould().notBePublic()
                    .allowEmptyShould(false)
                    .check(classes);
        }
    }

    @Test
    @DisplayName("domain depends on the JDK only")
    void domainIsJdkOnly() {
        classes().that().resideInAPackage("org.pgeventstore.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.pgeventstore.domain..", "java..")
                .check(classes);
    }

    @Test
    @DisplayName("application uses no Micronaut, jakarta or JDBC, and no adapter")
    void applicationIsFrameworkFree() {
        noClasses().that().resideInAPackage("org.pgeventstore.application..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micronaut..", "jakarta..", "java.sql..",
                        "javax.sql..", "org.pgeventstore.adapters..", "org.pgeventstore.bootstrap..")
                .check(classes);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "http", "nats"})
    @DisplayName("adapters never depend on each other, nor on bootstrap")
    void adaptersAreIndependent(String adapter) {
        String own = "org.pgeventstore.adapters." + adapter + "..";
        noClasses().that().resideInAPackage(own)
                .should().dependOnClassesThat(resideInAPackage("org.pgeventstore.adapters..")
                        .and(not(resideInAPackage(own))).or(resideInAPackage("org.pgeventstore.bootstrap..")))
                .check(classes);
    }

    @Test
    @DisplayName("only the NATS adapter and bootstrap use the NATS client")
    void natsClientStaysInItsAdapter() {
        noClasses().that().resideOutsideOfPackages("org.pgeventstore.adapters.nats..", "org.pgeventstore.bootstrap..")
                .should().dependOnClassesThat().resideInAPackage("io.nats..")
                .check(classes);
    }

    @Test
    @DisplayName("domain and application depend on nothing outward")
    void innerLayersDoNotReachOut() {
        noClasses().that().resideInAPackage("org.pgeventstore.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("org.pgeventstore.application..",
                        "org.pgeventstore.adapters..", "org.pgeventstore.bootstrap..")
                .check(classes);
    }

    @Test
    @DisplayName("the generic aggregate seam and the event store, snapshot and statistics packages never depend on orders")
    void genericCodeNeverDependsOnOrders() {
        noClasses().that().resideInAnyPackage("org.pgeventstore.application.aggregate..",
                        "org.pgeventstore.application.eventstore..", "org.pgeventstore.application.snapshot..",
                        "org.pgeventstore.application.stats..", "org.pgeventstore.application.relay..",
                        "org.pgeventstore.adapters.nats..", "org.pgeventstore.adapters.postgres.relay..")
                .should().dependOnClassesThat().resideInAnyPackage("..order..")
                .check(classes);
    }

    @Test
    @DisplayName("the generic projection code never depends on the order read model, nor on any order code")
    void projectionsDoNotKnowOrders() {
        // Production classes only: the port contracts in the test-jars exercise the generic code with orders.
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.pgeventstore.application.projection", "org.pgeventstore.adapters.postgres.projection");
        noClasses().that().resideInAnyPackage("org.pgeventstore.application.projection..",
                        "org.pgeventstore.adapters.postgres.projection..")
                .should().dependOnClassesThat().resideInAPackage("..order..")
                .check(production);
    }
}
