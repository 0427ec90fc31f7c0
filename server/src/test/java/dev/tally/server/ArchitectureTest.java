package dev.tally.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hexagon, checked on the compiled classes: the build fails when a layer reaches where it must not. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.tally");
    }

    @Test
    void domain_dependsOnNothingButTheJdk() {
        noClasses().that().resideInAPackage("dev.tally.domain..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.tally.domain..", "java..", "javax.crypto..")
                .check(classes);
    }

    @Test
    void persistence_neverSeesTheTransportOrTheContract() {
        noClasses().that().resideInAPackage("dev.tally.persistence..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.grpc..", "dev.tally.proto..", "io.grpc..",
                        "dev.tally.server..", "com.google.inject..")
                .check(classes);
    }

    @Test
    void grpcAdapter_neverSeesPersistenceOrTheDatabase() {
        noClasses().that().resideInAPackage("dev.tally.grpc..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.persistence..", "org.jooq..", "java.sql..",
                        "dev.tally.server..", "com.google.inject..")
                .check(classes);
    }

    @Test
    void awsDoor_neverSeesTheOtherDoorPersistenceOrTheDatabase() {
        noClasses().that().resideInAPackage("dev.tally.aws..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.grpc..", "dev.tally.proto..", "io.grpc..",
                        "dev.tally.persistence..", "org.jooq..", "java.sql..", "dev.tally.server..", "com.google.inject..")
                .check(classes);
    }

    @Test
    void consoleDoor_neverSeesTheOtherDoorsPersistenceOrTheDatabase() {
        noClasses().that().resideInAPackage("dev.tally.console..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.aws..", "dev.tally.grpc..", "dev.tally.proto..", "io.grpc..",
                        "dev.tally.persistence..", "org.jooq..", "java.sql..", "dev.tally.server..", "com.google.inject..")
                .check(classes);
    }

    @Test
    void theSharedHttpListener_knowsNoDoorAndNoDomain() {
        noClasses().that().resideInAPackage("dev.tally.http..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.aws..", "dev.tally.grpc..", "dev.tally.console..",
                        "dev.tally.domain..", "dev.tally.persistence..", "dev.tally.server..")
                .check(classes);
    }

    @Test
    void grpcDoor_neverSeesTheAwsDoor() {
        noClasses().that().resideInAPackage("dev.tally.grpc..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.aws..", "dev.tally.http..", "io.netty..",
                        "com.fasterxml.jackson..")
                .check(classes);
    }

    @Test
    void telemetry_seesOnlyTheDomain_andNoDoorOrStoreSeesTelemetry() {
        noClasses().that().resideInAPackage("dev.tally.telemetry..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.grpc..", "dev.tally.aws..", "dev.tally.persistence..",
                        "dev.tally.proto..", "io.grpc..", "io.netty..", "org.jooq..", "java.sql..")
                .check(classes);
        // The doors and the store report through the domain's ports (CallObserver, Telemetry), never to Micrometer's
        // registry in a door; the store alone hands Micrometer to its connection pools.
        noClasses().that().resideInAnyPackage("dev.tally.grpc..", "dev.tally.aws..", "dev.tally.console..", "dev.tally.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.telemetry..", "io.micrometer..")
                .check(classes);
    }

    @Test
    void onlyTheServerUsesGuice() {
        noClasses().that().resideOutsideOfPackage("dev.tally.server..")
                .should().dependOnClassesThat().resideInAPackage("com.google.inject..")
                .check(classes);
    }

    @Test
    void domainContexts_reachEachOtherOnlyThroughCommon() {
        for (String context : new String[] {"access", "sync", "quota", "license"}) {
            noClasses().that().resideInAPackage("dev.tally.domain." + context + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(otherContexts(context))
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    private static String[] otherContexts(String context) {
        return java.util.stream.Stream.of("access", "sync", "quota", "license")
                .filter(c -> !c.equals(context)).map(c -> "dev.tally.domain." + c + "..").toArray(String[]::new);
    }
}
