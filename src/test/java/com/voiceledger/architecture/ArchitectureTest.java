package com.voiceledger.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.springframework.data.repository.Repository;

/** House rules the compiler cannot check. */
class ArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.voiceledger");

    @Test
    void vaadinStaysInViewsAndTheShell() {
        ArchRule rule = noClasses().that().resideOutsideOfPackages("..ui..", "com.voiceledger")
                .and().doNotHaveSimpleName("SecurityConfiguration")
                .should().dependOnClassesThat().resideInAPackage("com.vaadin..");
        rule.check(CLASSES);
    }

    @Test
    void viewsNeverTouchRepositoriesOrJdbc() {
        noClasses().that().resideInAPackage("..ui..")
                .should().dependOnClassesThat().areAssignableTo(Repository.class)
                .orShould().dependOnClassesThat().resideInAPackage("org.springframework.jdbc..")
                .orShould().dependOnClassesThat().resideInAPackage("..internal..")
                .check(CLASSES);
    }

    @Test
    void repositoriesLiveInInternalPackages() {
        classes().that().areAssignableTo(Repository.class).should().resideInAPackage("..internal..").check(CLASSES);
    }

    @Test
    void moneyAndQuantitiesAreNeverFloatingPoint() {
        fields().that().areDeclaredInClassesThat().resideOutsideOfPackage("..ui..")
                .should().notHaveRawType(double.class).andShould().notHaveRawType(float.class)
                .andShould().notHaveRawType(Double.class).andShould().notHaveRawType(Float.class)
                .check(CLASSES);
        noMethods().that().areDeclaredInClassesThat().resideInAnyPackage("..usage..", "..ingestion..")
                .should().haveRawReturnType(double.class).orShould().haveRawReturnType(float.class)
                .check(CLASSES);
    }

    @Test
    void nothingReadsTheClockDirectly() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDate.class, "now")
                .orShould().callMethod(java.time.ZonedDateTime.class, "now")
                .check(CLASSES);
    }
}
