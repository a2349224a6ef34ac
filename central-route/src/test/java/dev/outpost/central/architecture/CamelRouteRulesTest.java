package dev.outpost.central.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.central.CentralTestEnv;
import dev.outpost.central.config.CentralErrorPolicy;
import dev.outpost.support.CamelRouteRules;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Camel house rules on central's real, started context (PostgreSQL, Artemis, every route and
 * the central-error-policy route configuration): each route and step has an id of its own, so
 * Hawtio's route diagram reads as the flow, and every endpoint URI passes Camel's catalog. See
 * {@link CamelRouteRules}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CamelRouteRulesTest {
  static final CentralTestEnv ENV = CentralTestEnv.create("central-route-rules");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    ENV.register(r);
  }

  @Autowired CamelContext camel;

  @Test
  void everyRouteAndStepHasItsOwnId() {
    assertThat(camel.getRoutes()).isNotEmpty();
    assertThat(CamelRouteRules.missingIds(camel))
        .as("routes and steps without an id (Hawtio would show process2, to3, ...)")
        .isEmpty();
  }

  @Test
  void everyRouteTakesItsErrorHandlingFromCentralErrorPolicy() {
    ModelCamelContext model = (ModelCamelContext) camel;
    assertThat(model.getRouteDefinitions())
        .allSatisfy(
            r ->
                assertThat(r.getAppliedRouteConfigurationIds())
                    .as("route configurations applied to " + r.getRouteId())
                    .hasSize(1)
                    .allMatch(id -> id.startsWith(CentralErrorPolicy.ID)));
    for (String retryNextTick :
        List.of("dlq-depth-sampler", "central-import-drop-folder", "masterdata-outbox-publish")) {
      assertThat(model.getRouteDefinition(retryNextTick).getAppliedRouteConfigurationIds())
          .containsExactly(CentralErrorPolicy.ID);
    }
    RouteDefinition ingest = model.getRouteDefinition("central-ingest-batch");
    assertThat(ingest.getAppliedRouteConfigurationIds())
        .containsExactly(CentralErrorPolicy.CALLER_RETRIES);
    // The caller sees the failure itself: no redelivery, no handling in between.
    assertThat(ingest.getErrorHandlerFactory()).isInstanceOf(NoErrorHandlerDefinition.class);
  }

  @Test
  void everyEndpointUriIsValid() {
    assertThat(CamelRouteRules.invalidEndpoints(camel))
        .as("endpoint URIs Camel's catalog refuses")
        .isEmpty();
  }
}
