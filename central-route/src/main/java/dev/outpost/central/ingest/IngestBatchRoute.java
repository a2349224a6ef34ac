package dev.outpost.central.ingest;

import dev.outpost.central.config.CentralErrorPolicy;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The ingest flow for one batch: every source (bridge, import, replay) hands its batch of {@link
 * InboundMessage}s here, through {@link IngestCycle}, and gets one {@link IngestResult} per message
 * back. Errors are not handled here on purpose: a transient failure must reach the caller, which
 * holds the messages unacknowledged and retries.
 */
@Component
public class IngestBatchRoute extends RouteBuilder {
  public static final String ENDPOINT = "direct:ingest-batch";

  /**
   * Header: the caller's own writes for the batch's transaction ({@code
   * Consumer<List<IngestResult>>}).
   */
  static final String ALSO_IN_TRANSACTION = "outpostAlsoInTransaction";

  @Override
  public void configure() {
    from(ENDPOINT)
        .routeId("central-ingest-batch")
        // No Camel error handling: the caller decides (retry a transient failure, keep the batch).
        .routeConfigurationId(CentralErrorPolicy.CALLER_RETRIES)
        .bean(OperationApplier.class, "applyBatch(${body}, ${header." + ALSO_IN_TRANSACTION + "})")
        .id("apply-batch-in-one-transaction");
  }
}
