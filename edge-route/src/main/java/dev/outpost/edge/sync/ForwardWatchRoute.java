package dev.outpost.edge.sync;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Samples the bridge's progress every second for lastForwardedAt. */
@Component
public class ForwardWatchRoute extends RouteBuilder {
  static final String TIMER = "timer:forward-watch?period=1000&delay=1000";

  private final ForwardTracker tracker;

  public ForwardWatchRoute(ForwardTracker tracker) {
    this.tracker = tracker;
  }

  @Override
  public void configure() {
    from(TIMER).routeId("forward-watch").process(e -> tracker.poll()).id("note-last-forwarded-at");
  }
}
