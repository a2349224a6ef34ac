package dev.outpost.edge.ingest;

import org.apache.camel.Predicate;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The serialized heart of ingest: one consumer, so taking the next sequence, committing the ledger
 * row and sending it to the outbound queue happen for one operation at a time, and sequence N
 * always reaches the queue before N+1. Start-up repair runs on the same consumer, before the first
 * new operation.
 *
 * <p>Errors are not handled here: they travel back to the waiting HTTP route, which answers.
 */
@Component
public class LedgerAppendRoute extends RouteBuilder {
  /** Callers wait for the outcome however long the send takes, so the answer is always true. */
  public static final String URI = "seda:ledger-append?waitForTaskToComplete=Always&timeout=0";

  static final String CONSUMER =
      "seda:ledger-append?concurrentConsumers=1&exceptionHandler=#"
          + AnswerOnlyExceptionHandler.NAME;
  static final String RESULT = "outpost.ingestResult";

  static final Predicate IS_REPAIR_NOW = e -> e.getMessage().getBody() == RepairRequest.NOW;
  static final Predicate IS_REPAIR = e -> e.getMessage().getBody() instanceof RepairRequest;
  static final Predicate IS_NEWLY_RECORDED =
      e -> e.getMessage().getBody() instanceof IngestResult r && r.created();

  private final LedgerAppender appender;
  private final StartupRepair repair;

  public LedgerAppendRoute(LedgerAppender appender, StartupRepair repair) {
    this.appender = appender;
    this.repair = repair;
  }

  @Override
  public void configure() {
    errorHandler(noErrorHandler());

    from(CONSUMER)
        .routeId("ledger-append")
        .process(e -> repair.ensureRepaired())
        .id("ensure-startup-repair")
        .choice()
        .id("repair-or-record")
        .when(IS_REPAIR_NOW)
        .id("is-repair-now")
        .process(e -> repair.repairNow())
        .id("repair-now")
        .when(IS_REPAIR)
        .id("is-repair-request")
        .log("Start-up repair done")
        .id("log-repair-done")
        .otherwise()
        .id("is-submission")
        .bean(appender, "record")
        .id("record-in-ledger")
        .filter(IS_NEWLY_RECORDED)
        .id("send-only-newly-recorded")
        .setProperty(RESULT, body())
        .id("keep-ingest-result")
        .doTry()
        .id("try-send-outbound")
        .setBody(simple("${body.entry}"))
        .id("take-ledger-entry")
        .to(OutboundSendRoute.URI)
        .id("send-outbound")
        .doCatch(Exception.class)
        .id("on-send-failure")
        .process(appender::forgetAfterFailedSend)
        .id("forget-after-failed-send")
        .end()
        .setBody(exchangeProperty(RESULT))
        .id("restore-ingest-result")
        .end()
        .end();
  }
}
