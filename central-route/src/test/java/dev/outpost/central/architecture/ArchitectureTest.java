package dev.outpost.central.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.web.bind.annotation.RestController;

/** House rules of central-route, checked on every build (see docs/architecture.md). */
@AnalyzeClasses(packages = "dev.outpost.central", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule centralNeverDependsOnTheEdge =
      noClasses()
          .that().resideInAPackage("dev.outpost.central..")
          .should().dependOnClassesThat().resideInAPackage("dev.outpost.edge..")
          .because("central and terminals meet only through contracts and the broker; "
              + "put what both need in contracts, broker-config or web-support");

  @ArchTest
  static final ArchRule noSqlInControllersOrRoutes =
      noClasses()
          .that().areAnnotatedWith(RestController.class)
          .or().areAssignableTo(RouteBuilder.class)
          .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc..", "java.sql..", "javax.sql..")
          .because("SQL belongs in a persistence class (a *Repository or *Store): move the query there "
              + "and call it from the controller or route");

  @ArchTest
  static final ArchRule noFieldInjection =
      noFields()
          .should().beAnnotatedWith("org.springframework.beans.factory.annotation.Autowired")
          .orShould().beAnnotatedWith("org.springframework.beans.factory.annotation.Value")
          .orShould().beAnnotatedWith("jakarta.inject.Inject")
          .orShould().beAnnotatedWith("jakarta.annotation.Resource")
          .because("dependencies come in through the constructor, so a class shows what it needs "
              + "and can be built in a test");
}
