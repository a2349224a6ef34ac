package dev.outpost.central.ingest;

import dev.outpost.support.FeaturePort;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of the database or the network (retry, never dead-letter) from one caused by the
 * message itself. When in doubt it says transient: a stalled consumer is visible and loses nothing,
 * a wrongly dead-lettered operation is a silent wrong answer.
 */
@FeaturePort
public final class TransientFailures {
  private TransientFailures() {}

  public static boolean isTransient(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CannotGetJdbcConnectionException
          || c instanceof CannotCreateTransactionException
          || c instanceof TransactionSystemException
          || c instanceof TransientDataAccessException
          || c instanceof SQLTransientException
          || c instanceof SQLRecoverableException
          || c instanceof java.net.SocketException
          || c instanceof java.io.EOFException) {
        return true;
      }
      if (c instanceof SQLException sql && sql.getSQLState() != null) {
        return isTransientState(sql.getSQLState());
      }
    }
    return false;
  }

  /** Two transactions got in each other's way (deadlock, serialization): retry at once. */
  public static boolean isContention(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("40")) {
        return true;
      }
    }
    return false;
  }

  /**
   * SQLSTATE classes that say nothing about the message: connection (08), resources (53), operator
   * intervention such as shutdown (57), system (58), rollback/deadlock (40), internal (XX), and our
   * own statements being wrong (42: a bug, not a bad message). Data (22) and integrity (23) errors
   * are the message's.
   */
  static boolean isTransientState(String state) {
    String cls = state.length() >= 2 ? state.substring(0, 2) : state;
    return switch (cls) {
      case "08", "53", "57", "58", "40", "XX", "42", "55" -> true;
      default -> false;
    };
  }
}
