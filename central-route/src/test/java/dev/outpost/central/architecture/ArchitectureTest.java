package dev.outpost.central.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.outpost.support.HouseRules;
import java.util.Map;
import java.util.Set;

/** The house rules (web-support's {@link HouseRules}) on central-route's main code. */
@AnalyzeClasses(
    packages = "dev.outpost.central",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule independent =
      HouseRules.neverDependsOn("dev.outpost.central", "dev.outpost.edge");

  @ArchTest
  static final ArchRule sqlOnlyInPersistence =
      HouseRules.sqlOnlyInPersistence(
          Map.of(
              "dev.outpost.central.ingest.TransientFailures",
              "tells a retryable SQLException from a poison message, runs no SQL"));

  @ArchTest
  static final ArchRule featuresMeetThroughPorts =
      HouseRules.featuresMeetThroughPorts(
          "dev.outpost.central", Set.of("api", "config", "observability", "security"));

  @ArchTest static final ArchRule noFieldInjection = HouseRules.noFieldInjection();
}
