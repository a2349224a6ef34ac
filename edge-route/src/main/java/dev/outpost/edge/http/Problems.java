package dev.outpost.edge.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Violation;
import dev.outpost.support.ProblemResponse;
import java.util.List;

/**
 * RFC 9457 problem documents, rendered by web-support's {@link ProblemResponse}, with the edge's
 * {@code errors}.
 */
public final class Problems {
  public static final String MEDIA_TYPE = ProblemResponse.MEDIA_TYPE;
  public static final String TYPE_BASE = ProblemResponse.TYPE_BASE;

  private Problems() {}

  public static String json(
      int status, String slug, String title, String detail, List<Violation> errors) {
    ObjectNode doc = ProblemResponse.document(status, slug, title, detail);
    ArrayNode list = doc.putArray("errors");
    for (Violation v : errors) {
      list.addObject().put("pointer", v.pointer()).put("message", v.message());
    }
    return ProblemResponse.json(doc);
  }
}
