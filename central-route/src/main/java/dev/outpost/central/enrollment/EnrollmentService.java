package dev.outpost.central.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.broker.security.TerminalSecrets;
import dev.outpost.central.api.ApiProblems.ApiException;
import dev.outpost.central.config.BrokerTls;
import dev.outpost.central.config.CentralProperties;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.TerminalIds;
import java.time.Instant;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Enrollment: a terminal is born at central with a credential, and leaves with one enrollment file
 * (schema {@code contracts/.../schemas/enrollment.v1.json}) holding all it needs to start: its id,
 * central's broker and HTTP addresses, its credential, and the CA certificate it checks central's
 * broker with. The secret exists only in that file; central keeps its hash.
 */
@Service
public class EnrollmentService {
  private final EnrollmentRepository enrollments;
  private final CentralProperties props;
  private final BrokerTls tls;
  private final Set<String> reserved;

  public EnrollmentService(
      EnrollmentRepository enrollments, CentralProperties props, BrokerTls tls) {
    this.enrollments = enrollments;
    this.props = props;
    this.tls = tls;
    // A terminal must never log in as one of central's own broker users.
    this.reserved =
        Set.of(props.broker().user(), "central", "ops", "viewer", "admin", "outpost-cluster");
  }

  /**
   * Enrolls or re-enrolls a terminal and returns its enrollment file (the only copy of its secret).
   */
  public ObjectNode enroll(String terminalId, JsonNode scope, String actor) {
    if (!TerminalIds.isValid(terminalId)) {
      throw new IllegalArgumentException(
          "terminalId must be lower-case [a-z0-9-], 1 to 63 characters");
    }
    if (reserved.contains(terminalId)) {
      throw new IllegalArgumentException(
          "terminalId '" + terminalId + "' is reserved for central's own users");
    }
    if (scope != null && !scope.isNull() && !scope.isObject()) {
      throw new IllegalArgumentException(
          "scope must be a JSON object, e.g. {\"matches\": [\"m-1\"]}");
    }
    String secret = TerminalSecrets.generate();
    Instant at = enrollments.enroll(terminalId, secret, scope, actor);
    ObjectNode doc = Contracts.mapper().createObjectNode();
    doc.put("enrollmentVersion", 1);
    doc.put("terminalId", terminalId);
    doc.put("enrolledAt", at.toString());
    doc.put("brokerUrl", props.enrollment().brokerUrl());
    doc.put("brokerUser", terminalId);
    doc.put("brokerPassword", secret);
    doc.put("caCertificate", tls.caPem());
    doc.put("centralHttpUrl", props.enrollment().httpUrl());
    doc.put("httpUser", terminalId);
    doc.put("httpPassword", secret);
    doc.set(
        "scope", scope == null || scope.isNull() ? Contracts.mapper().createObjectNode() : scope);
    doc.put(
        "sandbox",
        !props.production() && props.enrollment().sandboxTerminals().contains(terminalId));
    return doc;
  }

  public void revoke(String terminalId, String actor) {
    if (!enrollments.revoke(terminalId, actor)) {
      throw new ApiException(
          HttpStatus.NOT_FOUND, "unknown-terminal", "terminal " + terminalId + " is not enrolled");
    }
  }
}
