package dev.outpost.edge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Violation;
import java.io.UncheckedIOException;
import java.util.List;

/** RFC 9457 problem documents. */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "https://outpost.dev/problems/";

  private Problems() {}

  public static String json(int status, String slug, String title, String detail, List<Violation> errors) {
    ObjectNode doc = Contracts.mapper().createObjectNode();
    doc.put("type", TYPE_BASE + slug);
    doc.put("title", title);
    doc.put("status", status);
    doc.put("detail", detail);
    ArrayNode list = doc.putArray("errors");
    for (Violation v : errors) {
      list.addObject().put("pointer", v.pointer()).put("message", v.message());
    }
    try {
      return Contracts.mapper().writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
