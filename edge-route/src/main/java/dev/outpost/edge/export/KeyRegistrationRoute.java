package dev.outpost.edge.export;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Retries the day-file key registration at central every 30 s until it is done. */
@Component
public class KeyRegistrationRoute extends RouteBuilder {
  private static final String TIMER =
      "timer:key-registration?period={{outpost.keys.registration-retry-ms:30000}}&delay=2000";
  private final KeyRegistration registration;

  public KeyRegistrationRoute(KeyRegistration registration) {
    this.registration = registration;
  }

  @Override
  public void configure() {
    from(TIMER)
        .routeId("key-registration")
        .filter(e -> !registration.registered())
        .id("only-while-unregistered")
        .bean(registration, "registerIfNeeded")
        .id("register-key-at-central");
  }
}
