package dev.outpost.edge.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.edge.support.EdgeTestSupport;
import dev.outpost.support.CamelRouteRules;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Camel house rules on the terminal's real, started context (Derby, Artemis, every route and
 * route configuration): each route and step has an id of its own, so Hawtio's route diagram reads
 * as the flow, and every endpoint URI passes Camel's catalog. See {@link CamelRouteRules}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CamelRouteRulesTest {
  static final Path DATA = EdgeTestSupport.tempDataDir("route-rules");

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("outpost.terminal-id", () -> "till-route-rules");
    r.add("outpost.data-dir", DATA::toString);
    r.add("outpost.broker.in-vm-id", () -> "37");
    // Nobody listens there: the rules need the routes, not a central.
    r.add("outpost.central.broker-url", () -> "tcp://127.0.0.1:" + EdgeTestSupport.freePort());
    r.add("outpost.central.http-url", () -> "http://127.0.0.1:" + EdgeTestSupport.freePort());
    r.add("spring.jmx.unique-names", () -> "true");
  }

  @Autowired CamelContext camel;

  @Test
  void everyRouteAndStepHasItsOwnId() {
    ModelCamelContext model = (ModelCamelContext) camel;
    // The REST DSL's verbs too (their direct: routes are inlined: "ingest" starts at the verb).
    assertThat(model.getRestDefinitions().stream().flatMap(r -> r.getVerbs().stream()))
        .extracting(v -> v.getId())
        .contains("rest-post-operation", "rest-md-catalog");
    assertThat(model.getRouteDefinitions())
        .extracting(RouteDefinition::getRouteId)
        .contains("ingest", "masterdata-changes");
    assertThat(CamelRouteRules.missingIds(camel))
        .as("routes and steps without an id (Hawtio would show process2, to3, ...)")
        .isEmpty();
  }

  @Test
  void everyEndpointUriIsValid() {
    assertThat(CamelRouteRules.invalidEndpoints(camel))
        .as("endpoint URIs Camel's catalog refuses")
        .isEmpty();
  }
}
