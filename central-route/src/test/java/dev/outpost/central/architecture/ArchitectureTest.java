package dev.outpost.central.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.outpost.support.HouseRules;

/** The house rules (web-support's {@link HouseRules}) on central-route's main code. */
@AnalyzeClasses(
    packages = "dev.outpost.central",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule independent =
      HouseRules.neverDependsOn("dev.outpost.central", "dev.outpost.edge");

  @ArchTest
  static final ArchRule noSqlInControllersOrRoutes = HouseRules.noSqlInControllersOrRoutes();

  @ArchTest static final ArchRule noFieldInjection = HouseRules.noFieldInjection();
}
