package dev.outpost.edge.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.outpost.support.HouseRules;
import java.util.Map;
import java.util.Set;

/** The house rules (web-support's {@link HouseRules}) on edge-route's main code. */
@AnalyzeClasses(packages = "dev.outpost.edge", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule independent =
      HouseRules.neverDependsOn("dev.outpost.edge", "dev.outpost.central");

  @ArchTest
  static final ArchRule sqlOnlyInPersistence =
      HouseRules.sqlOnlyInPersistence(
          Map.of(
              "dev.outpost.edge.ledger.DerbyShutdown",
              "stops embedded Derby through its shutdown URL, runs no statement"));

  @ArchTest
  static final ArchRule featuresMeetThroughPorts =
      HouseRules.featuresMeetThroughPorts(
          "dev.outpost.edge", Set.of("config", "http", "observability", "security"));

  @ArchTest static final ArchRule noFieldInjection = HouseRules.noFieldInjection();
}
