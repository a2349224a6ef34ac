package dev.outpost.edge.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.outpost.support.HouseRules;

/** The house rules (web-support's {@link HouseRules}) on edge-route's main code. */
@AnalyzeClasses(packages = "dev.outpost.edge", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule independent =
      HouseRules.neverDependsOn("dev.outpost.edge", "dev.outpost.central");

  @ArchTest
  static final ArchRule noSqlInControllersOrRoutes = HouseRules.noSqlInControllersOrRoutes();

  @ArchTest static final ArchRule noFieldInjection = HouseRules.noFieldInjection();
}
