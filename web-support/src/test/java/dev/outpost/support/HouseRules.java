package dev.outpost.support;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.lang.ArchRule;
import org.springframework.web.bind.annotation.RestController;

/**
 * The house rules both apps check on every build (each app's {@code ArchitectureTest}); every rule
 * says how to fix a violation. See docs/architecture.md, "Build guards".
 */
public final class HouseRules {
  private HouseRules() {}

  /** {@code app} (e.g. dev.outpost.edge) never depends on {@code other} (dev.outpost.central). */
  public static ArchRule neverDependsOn(String app, String other) {
    return noClasses()
        .that()
        .resideInAPackage(app + "..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(other + "..")
        .because(
            "central and terminals meet only through contracts and the broker; "
                + "put what both need in contracts, broker-config or web-support");
  }

  public static ArchRule noSqlInControllersOrRoutes() {
    return noClasses()
        .that()
        .areAnnotatedWith(RestController.class)
        .or()
        .areAssignableTo("org.apache.camel.builder.RouteBuilder")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.jdbc..", "java.sql..", "javax.sql..")
        .because(
            "SQL belongs in a persistence class (a *Repository or *Store): move the query there "
                + "and call it from the controller or route");
  }

  public static ArchRule noFieldInjection() {
    return noFields()
        .should()
        .beAnnotatedWith("org.springframework.beans.factory.annotation.Autowired")
        .orShould()
        .beAnnotatedWith("org.springframework.beans.factory.annotation.Value")
        .orShould()
        .beAnnotatedWith("jakarta.inject.Inject")
        .orShould()
        .beAnnotatedWith("jakarta.annotation.Resource")
        .because(
            "dependencies come in through the constructor, so a class shows what it needs "
                + "and can be built in a test");
  }
}
