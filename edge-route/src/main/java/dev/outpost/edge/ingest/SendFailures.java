package dev.outpost.edge.ingest;

import jakarta.jms.JMSException;
import java.util.Set;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;

/** Tells a send the broker refused from one whose outcome nobody knows. */
final class SendFailures {
  /** The request may have reached the journal; only its answer is missing. */
  private static final Set<ActiveMQExceptionType> UNCLEAR =
      Set.of(
          ActiveMQExceptionType.CONNECTION_TIMEDOUT,
          ActiveMQExceptionType.NOT_CONNECTED,
          ActiveMQExceptionType.DISCONNECTED,
          ActiveMQExceptionType.UNBLOCKED,
          ActiveMQExceptionType.REMOTE_DISCONNECT,
          ActiveMQExceptionType.TIMEOUT_EXCEPTION,
          ActiveMQExceptionType.TRANSACTION_OUTCOME_UNKNOWN);

  private SendFailures() {}

  static boolean isAmbiguous(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ActiveMQException a) {
        return UNCLEAR.contains(a.getType());
      }
      if (t instanceof JMSException j && j.getLinkedException() != null) {
        if (isAmbiguous(j.getLinkedException())) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
