package dev.outpost.edge.ingest;

import dev.outpost.edge.http.ProblemException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Failures of the append stage travel back to the waiting HTTP route, which answers them; an
 * expected refusal (409, 503) is not worth a WARN with the whole exchange in the log.
 */
@Component(AnswerOnlyExceptionHandler.NAME)
public class AnswerOnlyExceptionHandler implements ExceptionHandler {
  public static final String NAME = "answerOnlyExceptionHandler";
  private static final Logger LOG = LoggerFactory.getLogger(AnswerOnlyExceptionHandler.class);

  @Override
  public void handleException(Throwable exception) {
    handleException(null, null, exception);
  }

  @Override
  public void handleException(String message, Throwable exception) {
    handleException(message, null, exception);
  }

  @Override
  public void handleException(String message, Exchange exchange, Throwable exception) {
    if (exception instanceof ProblemException p) {
      LOG.debug("Append refused with {}: {}", p.status(), p.getMessage());
    } else {
      LOG.warn("Append stage failed; the caller answers it: {}", String.valueOf(exception));
    }
  }
}
