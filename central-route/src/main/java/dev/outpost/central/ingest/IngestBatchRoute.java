package dev.outpost.central.ingest;

import dev.outpost.support.FeaturePort;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The ingest flow for one batch: every source (bridge, import, replay) hands its batch of {@link
 * InboundMessage}s here and gets one {@link IngestResult} per message back. Errors are not handled
 * here on purpose: a transient failure must reach the caller, which holds the messages
 * unacknowledged and retries.
 */
@FeaturePort
@Component
public class IngestBatchRoute extends RouteBuilder {
  public static final String ENDPOINT = "direct:ingest-batch";

  @Override
  public void configure() {
    // No Camel error handling: the caller decides (retry a transient failure, keep the batch).
    errorHandler(noErrorHandler());

    from(ENDPOINT)
        .routeId("central-ingest-batch")
        .bean(OperationApplier.class, "applyBatch(${body})");
  }
}
