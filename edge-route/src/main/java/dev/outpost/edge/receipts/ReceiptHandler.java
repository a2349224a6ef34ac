package dev.outpost.edge.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.OperationValidator;
import dev.outpost.contracts.Outcome;
import dev.outpost.contracts.Receipt;
import dev.outpost.contracts.ReceiptBatch;
import dev.outpost.contracts.Violation;
import dev.outpost.edge.broker.TerminalDeadLetters;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.ledger.LedgerStatus;
import dev.outpost.edge.ledger.LedgerStore;
import dev.outpost.edge.ledger.ReceiptUpdate;
import dev.outpost.edge.sync.CentralClock;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Marks the ledger from a receipt, or from a batch of them (one message per terminal and central
 * ingest batch, applied in one Derby transaction): ACCEPTED or DUPLICATE make the row ACCEPTED,
 * REJECTED keeps reason and detail. A garbled receipt or another terminal's goes to the terminal's
 * dead-letter queue ({@link TerminalDeadLetters}, shown on the operator page) and is acknowledged:
 * retrying it could never help. One for an unknown operation (purged by retention) is logged.
 */
@Component
public class ReceiptHandler implements Processor {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiptHandler.class);

  private final LedgerStore store;
  private final OperationValidator validator;
  private final String terminalId;
  private final TerminalDeadLetters deadLetters;
  private final CentralClock centralClock;
  static final String SOURCE = "receipts";

  public ReceiptHandler(
      LedgerStore store,
      OperationValidator validator,
      EdgeProperties props,
      TerminalDeadLetters deadLetters,
      CentralClock centralClock) {
    this.store = store;
    this.validator = validator;
    this.terminalId = props.terminalId();
    this.deadLetters = deadLetters;
    this.centralClock = centralClock;
  }

  @Override
  public void process(Exchange exchange) {
    String text = exchange.getMessage().getBody(String.class);
    JsonNode doc;
    try {
      doc = Contracts.mapper().readTree(text == null ? "" : text);
    } catch (IOException e) {
      deadLetters.put(SOURCE, text, "not JSON: " + e.getMessage());
      return;
    }
    if (doc == null || doc.isMissingNode()) {
      deadLetters.put(SOURCE, text, "empty");
      return;
    }
    boolean batch = doc.has("receipts");
    List<Violation> violations =
        batch ? validator.validateReceiptBatch(doc) : validator.validateReceipt(doc);
    if (!violations.isEmpty()) {
      deadLetters.put(
          SOURCE, text, (batch ? "not a receipt batch: " : "not a receipt: ") + violations);
      return;
    }
    List<Receipt> receipts =
        batch
            ? Contracts.mapper().convertValue(doc, ReceiptBatch.class).receipts()
            : List.of(Contracts.mapper().convertValue(doc, Receipt.class));
    List<ReceiptUpdate> updates = new ArrayList<>(receipts.size());
    Instant latestStamp = null;
    for (Receipt receipt : receipts) {
      if (!terminalId.equals(receipt.terminalId())) {
        deadLetters.put(
            SOURCE,
            text,
            "receipt "
                + receipt.operationId()
                + " is addressed to terminal "
                + receipt.terminalId());
        return;
      }
      updates.add(update(receipt));
      Instant stamp = receipt.processedAt() == null ? null : receipt.processedAt().toInstant();
      if (stamp != null && (latestStamp == null || stamp.isAfter(latestStamp))) {
        latestStamp = stamp;
      }
    }
    if (latestStamp != null) {
      // Central's clock, compared with this terminal's on every receipt (docs/semantics.md).
      centralClock.stampedBeforeNow(latestStamp);
    }
    for (String unknown : store.applyReceipts(updates, Instant.now())) {
      LOG.info("Receipt for unknown operation {}; acknowledged", unknown);
    }
  }

  private static ReceiptUpdate update(Receipt receipt) {
    boolean rejected = receipt.outcome() == Outcome.REJECTED;
    LedgerStatus status =
        switch (receipt.outcome()) {
          case REJECTED -> LedgerStatus.REJECTED;
          case FLAGGED -> LedgerStatus.FLAGGED;
          case ACCEPTED, DUPLICATE -> LedgerStatus.ACCEPTED;
        };
    return new ReceiptUpdate(
        receipt.operationId().toString(),
        status,
        rejected && receipt.reason() != null ? receipt.reason().name() : null,
        // FLAGGED says why; ACCEPTED may say SUPERSEDED or CONFLICT_CENTRAL_WINS.
        receipt.detail());
  }
}
