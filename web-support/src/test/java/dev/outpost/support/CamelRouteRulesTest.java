package dev.outpost.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The rules find what they are for: a misspelt endpoint option (also in a toD's static part and
 * behind a placeholder) and steps without ids, on a context that is built but not started (Camel
 * would refuse to start the bad endpoint; the rule names route, URI and option first).
 */
class CamelRouteRulesTest {
  @Test
  void unknownEndpointOptionIsReportedWithRouteUriAndOption() throws Exception {
    try (CamelContext context = new DefaultCamelContext()) {
      context.getPropertiesComponent().addInitialProperty("tick", "1000");
      context.addRoutes(
          new RouteBuilder() {
            @Override
            public void configure() {
              from("timer:x?peroid=1000").routeId("bad-timer").log("tick").id("log-tick");
              from("timer:y?period={{tick}}")
                  .routeId("good-timer")
                  .toD("timer:z?delai=5&name=${body}")
                  .id("send-dynamic");
            }
          });

      assertThat(CamelRouteRules.invalidEndpoints(context))
          .hasSize(2)
          .anySatisfy(
              f ->
                  assertThat(f)
                      .contains("route bad-timer")
                      .contains("timer:x?peroid=1000")
                      .contains("peroid"))
          .anySatisfy(f -> assertThat(f).contains("route good-timer").contains("delai"));
    }
  }

  @Test
  void validEndpointsPass() throws Exception {
    try (CamelContext context = new DefaultCamelContext()) {
      context.addRoutes(
          new RouteBuilder() {
            @Override
            public void configure() {
              from("timer:x?period=1000&delay=5").routeId("ok").to("log:x?level=DEBUG").id("log");
            }
          });

      assertThat(CamelRouteRules.invalidEndpoints(context)).isEmpty();
    }
  }

  @Test
  void stepsWithoutIdsAreNamedWithTheirRoute() throws Exception {
    try (CamelContext context = new DefaultCamelContext()) {
      context.addRoutes(
          new RouteBuilder() {
            @Override
            public void configure() {
              onException(IllegalStateException.class)
                  .id("on-illegal-state")
                  .maximumRedeliveries(2)
                  .log("given up")
                  .id("log-given-up");
              from("direct:a")
                  .routeId("half-named")
                  .log("named")
                  .id("log-named")
                  .choice()
                  .id("pick")
                  .when(simple("${body} == 'x'"))
                  .id("when-x")
                  .log("inside when, no id")
                  .otherwise()
                  .id("otherwise")
                  .log("inside otherwise")
                  .id("log-otherwise")
                  .end();
              from("direct:b").log("anonymous route");
              rest("/api")
                  .get("/named")
                  .id("rest-named")
                  .to("direct:named")
                  .post("/x")
                  .to("direct:x");
              from("direct:named").routeId("named").log("named").id("log-named-verb");
              from("direct:x").routeId("x").log("x").id("log-x");
            }
          });

      assertThat(CamelRouteRules.missingIds(context))
          .hasSize(5)
          .anySatisfy(f -> assertThat(f).contains("redelivery policy"))
          .anySatisfy(f -> assertThat(f).contains("route half-named").contains("inside when"))
          .anySatisfy(f -> assertThat(f).contains("rest POST /api/x"))
          .anySatisfy(f -> assertThat(f).contains("direct:b").contains("routeId"))
          .anySatisfy(f -> assertThat(f).contains("direct:b").contains("anonymous route"));
    }
  }
}
