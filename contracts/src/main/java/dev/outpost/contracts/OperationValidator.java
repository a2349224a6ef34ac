package dev.outpost.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates operations against the JSON Schemas in {@code classpath:schemas/}, reporting every
 * violation by JSON pointer. Thread-safe; build one and share it.
 */
public final class OperationValidator {
  private static final String BASE = "https://outpost.dev/schemas/";

  private final JsonSchemaFactory factory =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          b ->
              b.jsonMapper(Contracts.mapper())
                  .schemaMappers(m -> m.mapPrefix(BASE, "classpath:schemas/")));
  private final SchemaValidatorsConfig config =
      SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_POINTER)
          .formatAssertionsEnabled(true)
          .build();
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

  /** What a POS app posts to its terminal: no terminalId/sequence, optional operationId. */
  public ValidationResult validateSubmission(JsonNode doc) {
    return validate(doc, "submission.v1.json");
  }

  /** A full envelope as central receives it. */
  public ValidationResult validateEnvelope(JsonNode doc) {
    return validate(doc, "envelope.v1.json");
  }

  /** A receipt (used by the edge to refuse a garbled receipt rather than mis-mark its ledger). */
  public List<Violation> validateReceipt(JsonNode doc) {
    return violations(schema("receipt.v1.json"), doc, "");
  }

  /** Central's receipts for one terminal from one ingest batch. */
  public List<Violation> validateReceiptBatch(JsonNode doc) {
    return violations(schema("receipt-batch.v1.json"), doc, "");
  }

  /**
   * A terminal's day file (structure only): each operation in it is checked again by central's
   * ingest path, so one bad operation is rejected on its own rather than refusing the file.
   */
  public List<Violation> validateDayFile(JsonNode doc) {
    return violations(schema("day-file.v1.json"), doc, "");
  }

  private ValidationResult validate(JsonNode doc, String envelopeSchema) {
    List<Violation> found = new ArrayList<>(violations(schema(envelopeSchema), doc, ""));
    boolean unsupported = false;
    JsonNode typeNode = doc.path("type");
    JsonNode versionNode = doc.path("schemaVersion");
    int version =
        versionNode.canConvertToInt() ? versionNode.asInt() : OperationTypes.DEFAULT_SCHEMA_VERSION;
    if (typeNode.isTextual() && doc.path("payload").isObject()) {
      String type = typeNode.asText();
      if (!OperationTypes.isKnownType(type)) {
        found.add(new Violation("/type", "unknown operation type '" + type + "'"));
      } else if (!OperationTypes.isSupported(type, version)) {
        unsupported = true;
      } else {
        found.addAll(
            violations(
                schema("payloads/" + type + ".v" + version + ".json"),
                doc.get("payload"),
                "/payload"));
        if (found.isEmpty()) {
          found.addAll(businessShape(type, doc.get("payload")));
        }
      }
    }
    found.sort(Comparator.comparing(Violation::pointer));
    return new ValidationResult(List.copyOf(found), unsupported && found.isEmpty());
  }

  /** Rules a schema cannot say: a sale's total equals the sum of its lines. */
  private List<Violation> businessShape(String type, JsonNode payload) {
    if (OperationTypes.BOX_OFFICE_SALE_RECORDED.equals(type)) {
      BoxOfficeSalePayload sale =
          Contracts.mapper().convertValue(payload, BoxOfficeSalePayload.class);
      return totalMatches(sale.total(), sale.linesTotal());
    }
    if (OperationTypes.SALE_RECORDED.equals(type)) {
      SalePayload sale = Contracts.mapper().convertValue(payload, SalePayload.class);
      return totalMatches(sale.total(), sale.linesTotal());
    }
    return List.of();
  }

  private static List<Violation> totalMatches(BigDecimal total, BigDecimal expected) {
    if (total.compareTo(expected) != 0) {
      return List.of(
          new Violation(
              "/payload/total",
              "total "
                  + total.toPlainString()
                  + " does not equal the sum of the lines "
                  + expected.toPlainString()));
    }
    return List.of();
  }

  /** Digits a number may have before, and after, its decimal point. */
  static final int MAX_DIGITS = 30;

  private static void outOfRangeNumbers(JsonNode node, String pointer, List<Violation> out) {
    if (node.isNumber()) {
      BigDecimal n = node.decimalValue();
      int integerDigits = n.precision() - n.scale();
      if (integerDigits > MAX_DIGITS || n.scale() > MAX_DIGITS) {
        out.add(
            new Violation(
                pointer,
                "number out of range: at most "
                    + MAX_DIGITS
                    + " digits before and after the decimal point"));
      }
    } else if (node.isObject()) {
      node.properties()
          .forEach(e -> outOfRangeNumbers(e.getValue(), pointer + "/" + escape(e.getKey()), out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        outOfRangeNumbers(node.get(i), pointer + "/" + i, out);
      }
    }
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private JsonSchema schema(String file) {
    return schemas.computeIfAbsent(
        file, f -> factory.getSchema(SchemaLocation.of(BASE + f), config));
  }

  private static List<Violation> violations(JsonSchema schema, JsonNode doc, String prefix) {
    // Checked before the schema: multipleOf on 1e999999999 makes BigDecimal overflow (an
    // ArithmeticException, not a violation), and such a number is no amount anyway.
    List<Violation> outOfRange = new ArrayList<>();
    outOfRangeNumbers(doc, prefix, outOfRange);
    if (!outOfRange.isEmpty()) {
      return outOfRange;
    }
    Set<ValidationMessage> messages = schema.validate(doc);
    List<Violation> out = new ArrayList<>();
    for (ValidationMessage m : messages) {
      String pointer = prefix + m.getInstanceLocation().toString();
      if (m.getProperty() != null
          && ("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))) {
        pointer = pointer + "/" + m.getProperty();
      }
      out.add(new Violation(pointer, m.getError()));
    }
    return out;
  }
}
