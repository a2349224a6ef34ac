package dev.outpost.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.outpost.support.fixture.app.beta.ReachesIn;
import dev.outpost.support.fixture.sql.FailureKinds;
import dev.outpost.support.fixture.sql.LeakyService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The new house rules catch what they forbid, and only that: each runs on small fixture classes
 * (dev.outpost.support.fixture) of which exactly one breaks it.
 */
class HouseRulesTest {
  private static final JavaClasses FIXTURES =
      new ClassFileImporter().importPackages("dev.outpost.support.fixture");

  @Test
  void sqlOutsidePersistenceIsReportedWithTheFix() {
    EvaluationResult r =
        HouseRules.sqlOnlyInPersistence(
                Map.of(FailureKinds.class.getName(), "classifies SQL failures"))
            .evaluate(FIXTURES);

    List<String> details = r.getFailureReport().getDetails();
    assertThat(details).isNotEmpty().allMatch(d -> d.contains(LeakyService.class.getName()));
    assertThat(r.getFailureReport().toString())
        .contains("move the statement there")
        .contains("FailureKinds (classifies SQL failures)");
  }

  @Test
  void infrastructureIsAllowedOnlyWhenNamed() {
    List<String> details =
        HouseRules.sqlOnlyInPersistence(Map.of())
            .evaluate(FIXTURES)
            .getFailureReport()
            .getDetails();

    assertThat(details).anyMatch(d -> d.contains(FailureKinds.class.getName()));
    assertThat(details)
        .noneMatch(d -> d.contains("OrderRepository") || d.contains("DatabaseWiring"));
  }

  @Test
  void reachingIntoAnotherFeatureIsReportedPortsAndSharedPackagesAreNot() {
    EvaluationResult r =
        HouseRules.featuresMeetThroughPorts("dev.outpost.support.fixture.app", Set.of("shared"))
            .evaluate(FIXTURES);

    List<String> details = r.getFailureReport().getDetails();
    assertThat(details)
        .isNotEmpty()
        .allMatch(
            d ->
                d.contains(ReachesIn.class.getName())
                    && d.contains("AlphaInternal is not a port of feature 'alpha'"));
    assertThat(r.getFailureReport().toString()).contains("annotate it @FeaturePort");
  }

  @Test
  void aSharedPackageLeftOutOfTheListIsAFeatureLikeAnyOther() {
    List<String> details =
        HouseRules.featuresMeetThroughPorts("dev.outpost.support.fixture.app", Set.of())
            .evaluate(FIXTURES)
            .getFailureReport()
            .getDetails();

    assertThat(details).anyMatch(d -> d.contains("Common is not a port of feature 'shared'"));
  }
}
