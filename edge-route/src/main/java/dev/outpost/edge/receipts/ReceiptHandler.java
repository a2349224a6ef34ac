package dev.outpost.edge.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.OperationValidator;
import dev.outpost.contracts.Outcome;
import dev.outpost.contracts.Receipt;
import dev.outpost.contracts.Violation;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.ledger.LedgerStatus;
import dev.outpost.edge.ledger.LedgerStore;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Marks the ledger from a receipt: ACCEPTED or DUPLICATE make the row ACCEPTED, REJECTED keeps
 * reason and detail. A garbled receipt, another terminal's, or one for an unknown operation is
 * logged and acknowledged: retrying it could never help.
 */
@Component
public class ReceiptHandler implements Processor {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiptHandler.class);

  private final LedgerStore store;
  private final OperationValidator validator;
  private final String terminalId;

  public ReceiptHandler(LedgerStore store, OperationValidator validator, EdgeProperties props) {
    this.store = store;
    this.validator = validator;
    this.terminalId = props.terminalId();
  }

  @Override
  public void process(Exchange exchange) {
    String text = exchange.getMessage().getBody(String.class);
    JsonNode doc;
    try {
      doc = Contracts.mapper().readTree(text == null ? "" : text);
    } catch (IOException e) {
      LOG.warn("Dropping a receipt that is not JSON: {}", e.getMessage());
      return;
    }
    if (doc == null || doc.isMissingNode()) {
      LOG.warn("Dropping an empty receipt");
      return;
    }
    List<Violation> violations = validator.validateReceipt(doc);
    if (!violations.isEmpty()) {
      LOG.warn("Dropping an invalid receipt: {}", violations);
      return;
    }
    Receipt receipt = Contracts.mapper().convertValue(doc, Receipt.class);
    if (!terminalId.equals(receipt.terminalId())) {
      LOG.warn(
          "Dropping receipt {} addressed to terminal {}",
          receipt.operationId(),
          receipt.terminalId());
      return;
    }
    boolean rejected = receipt.outcome() == Outcome.REJECTED;
    LedgerStatus status =
        switch (receipt.outcome()) {
          case REJECTED -> LedgerStatus.REJECTED;
          case FLAGGED -> LedgerStatus.FLAGGED;
          case ACCEPTED, DUPLICATE -> LedgerStatus.ACCEPTED;
        };
    boolean known =
        store.applyReceipt(
            receipt.operationId().toString(),
            status,
            rejected && receipt.reason() != null ? receipt.reason().name() : null,
            // FLAGGED says why; ACCEPTED may say SUPERSEDED or CONFLICT_CENTRAL_WINS.
            receipt.detail(),
            Instant.now());
    if (!known) {
      LOG.info(
          "Receipt for unknown operation {} ({}); acknowledged",
          receipt.operationId(),
          receipt.outcome());
    }
  }
}
