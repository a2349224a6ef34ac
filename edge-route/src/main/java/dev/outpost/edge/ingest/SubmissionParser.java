package dev.outpost.edge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.OperationEnvelope;
import dev.outpost.contracts.OperationTypes;
import dev.outpost.contracts.OperationValidator;
import dev.outpost.contracts.StorableText;
import dev.outpost.contracts.ValidationResult;
import dev.outpost.contracts.Violation;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.sync.CentralClock;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Turns a posted body into a {@link Submission}: size limit (413), JSON syntax and nesting depth
 * (400), the submission schema (400 naming every bad field), then the edge's defaults.
 */
@Component
public class SubmissionParser implements Processor {
  private static final ObjectReader STRICT_READER =
      Contracts.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final OperationValidator validator;
  private final int maxBodyBytes;
  private final Duration maxClockAhead;
  private final Instant earliestOccurredAt;
  private final CentralClock centralClock;

  public SubmissionParser(
      OperationValidator validator, EdgeProperties props, CentralClock centralClock) {
    this.validator = validator;
    this.maxBodyBytes = props.ingest().maxBodyBytes();
    this.maxClockAhead = props.ingest().maxClockAhead();
    this.earliestOccurredAt = props.ingest().earliestOccurredAt();
    this.centralClock = centralClock;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    byte[] body = boundedBody(exchange);
    JsonNode doc = parse(body);
    ValidationResult result = validator.validateSubmission(doc);
    if (result.unsupportedVersion()) {
      throw new ProblemException(
          400,
          "unsupported-version",
          "Unsupported schema version",
          "This terminal does not know schemaVersion "
              + doc.path("schemaVersion").asText()
              + " of type "
              + doc.path("type").asText(),
          List.of(new Violation("/schemaVersion", "unsupported schema version")));
    }
    if (!result.isValid()) {
      throw new ProblemException(
          400,
          "schema-invalid",
          "Invalid operation",
          result.violations().size() + " field(s) do not match the schema: " + result.summary(),
          result.violations());
    }
    Violation unstorable = StorableText.firstUnstorable(doc);
    if (unstorable != null) {
      // Central would refuse it (SCHEMA_INVALID) after a 202: say so while the POS is waiting.
      throw new ProblemException(
          400,
          "schema-invalid",
          "Invalid operation",
          "1 field(s) do not match the schema: "
              + unstorable.pointer()
              + " "
              + unstorable.message(),
          List.of(unstorable));
    }
    Submission submission = toSubmission((ObjectNode) doc);
    // Judged by central's clock as measured, so a terminal whose own clock is days behind does not
    // refuse the correct times of its POS.
    checkClock(submission.envelope().occurredAt().toInstant(), centralClock.now());
    exchange.getMessage().setBody(submission);
  }

  /** The clock policy (docs/semantics.md, "Time"): the POS clock must be roughly right. */
  void checkClock(Instant occurredAt, Instant now) {
    String problem = null;
    if (occurredAt.isAfter(now.plus(maxClockAhead))) {
      problem = "is more than " + maxClockAhead + " ahead of the current time " + now;
    } else if (occurredAt.isBefore(earliestOccurredAt)) {
      problem = "is before " + earliestOccurredAt + ", the earliest instant a terminal records";
    }
    if (problem != null) {
      String detail = "occurredAt " + occurredAt + " " + problem + "; check the POS clock";
      throw new ProblemException(
          400,
          "clock-out-of-range",
          "occurredAt out of range",
          detail,
          List.of(new Violation("/occurredAt", detail)));
    }
  }

  static Submission toSubmission(ObjectNode doc) {
    String operationId =
        doc.hasNonNull("operationId")
            ? OperationIds.normalize(doc.get("operationId").asText())
            : OperationIds.newV7().toString();
    int version =
        doc.hasNonNull("schemaVersion")
            ? doc.get("schemaVersion").asInt()
            : OperationTypes.DEFAULT_SCHEMA_VERSION;
    String type = doc.get("type").asText();
    String occurredAt = doc.get("occurredAt").asText();
    JsonNode payload = doc.get("payload");
    OperationEnvelope envelope =
        new OperationEnvelope(
            UUID.fromString(operationId), type, version, null, null, instant(occurredAt), payload);
    return new Submission(
        envelope, occurredAt, PayloadHash.of(type, version, occurredAt, payload), Instant.now());
  }

  /** The schema's date-time admits a leap second (23:59:60), which no instant type holds. */
  private static OffsetDateTime instant(String occurredAt) {
    try {
      return OffsetDateTime.parse(occurredAt);
    } catch (DateTimeParseException e) {
      throw new ProblemException(
          400,
          "schema-invalid",
          "Invalid operation",
          "occurredAt is not an instant this terminal can record",
          List.of(
              new Violation(
                  "/occurredAt", "not an instant with offset like 2026-11-23T21:15:00Z")));
    }
  }

  private byte[] boundedBody(Exchange exchange) throws Exception {
    Object raw = exchange.getMessage().getBody();
    byte[] bytes;
    if (raw == null) {
      bytes = new byte[0];
    } else if (raw instanceof InputStream in) {
      // Read at most one byte past the limit: enough to know it is too big.
      bytes = in.readNBytes(maxBodyBytes + 1);
    } else {
      bytes = exchange.getMessage().getMandatoryBody(byte[].class);
    }
    if (bytes.length > maxBodyBytes) {
      throw tooLarge(maxBodyBytes);
    }
    return bytes;
  }

  public static ProblemException tooLarge(int maxBodyBytes) {
    return new ProblemException(
        413,
        "too-large",
        "Body too large",
        "The body exceeds the limit of " + maxBodyBytes + " bytes");
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw malformed("The body is empty; an operation is a JSON object");
    }
    try {
      JsonNode doc = STRICT_READER.readTree(body);
      if (doc == null || doc.isMissingNode()) {
        throw malformed("The body is empty; an operation is a JSON object");
      }
      return doc;
    } catch (StreamConstraintsException e) {
      // Nesting deeper than Contracts.MAX_NESTING_DEPTH, or a number or string beyond Jackson's
      // length limits: the message says which.
      throw malformed("The JSON exceeds a limit: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw malformed("The body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw malformed("The body could not be read: " + e.getMessage());
    }
  }

  private static ProblemException malformed(String detail) {
    return new ProblemException(
        400, "malformed-json", "Malformed JSON", detail, List.of(new Violation("", detail)));
  }
}
