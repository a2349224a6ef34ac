package dev.outpost.broker.security;

import dev.outpost.contracts.Destinations;
import org.apache.activemq.artemis.core.security.CheckType;

/**
 * What an enrolled terminal may do on central's broker, and nothing more: send to its own inbound
 * address, consume its own receipts and master-data changes, and create those three addresses (and
 * the two queues) if they do not exist yet. Every other address — another terminal's, central's
 * inbound queue, the DLQ, {@code activemq.management} — and every other kind of access (browse,
 * delete, manage) is refused.
 *
 * <p>Artemis's {@code security-settings} match addresses by wildcard but cannot say "the user's own
 * address", so the rule is code, called by {@link OutpostSecurityManager#authorize}.
 */
public final class TerminalPermissions {
  private TerminalPermissions() {}

  public static boolean allows(String terminalId, CheckType check, String address) {
    if (terminalId == null || address == null) {
      return false;
    }
    String bare = bareAddress(address);
    if (bare == null) {
      return false;
    }
    String inbound = Destinations.OPS_IN_PREFIX + terminalId;
    String receipts = Destinations.RECEIPTS_PREFIX + terminalId;
    String masterData = Destinations.MASTERDATA_PREFIX + terminalId;
    boolean ownQueue = bare.equals(receipts) || bare.equals(masterData);
    return switch (check) {
      case SEND -> bare.equals(inbound);
      case CREATE_ADDRESS -> bare.equals(inbound) || ownQueue;
      case CONSUME, CREATE_DURABLE_QUEUE -> ownQueue;
      default -> false;
    };
  }

  /** {@code addr} or a fully qualified {@code addr::queue} whose queue is the address itself. */
  private static String bareAddress(String address) {
    int sep = address.indexOf("::");
    if (sep < 0) {
      return address;
    }
    String a = address.substring(0, sep);
    return a.equals(address.substring(sep + 2)) ? a : null;
  }
}
