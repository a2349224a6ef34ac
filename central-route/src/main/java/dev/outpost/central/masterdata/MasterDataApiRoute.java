package dev.outpost.central.masterdata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.springframework.stereotype.Component;

/**
 * Central's master-data HTTP API: the admin API ({@code /api/v1/masterdata/{set}}) to list,
 * create or replace and delete records, and the sync API terminals pull snapshots and checksums
 * from ({@code /api/v1/masterdata-sync/...}). Writes go to PostgreSQL only; the triggers and the
 * outbox route carry them to the terminals like any other application's writes.
 */
@Component
public class MasterDataApiRoute extends RouteBuilder {
  static final String BASE = "/api/v1/masterdata";
  static final String SYNC_BASE = "/api/v1/masterdata-sync";
  static final String LIST = "direct:masterdata-list";
  static final String FIND = "direct:masterdata-find";
  static final String UPSERT = "direct:masterdata-upsert";
  static final String DELETE = "direct:masterdata-delete";
  static final String SNAPSHOT = "direct:masterdata-snapshot";
  static final String CHECKSUMS = "direct:masterdata-checksums";
  /** Inbound headers the routes read; everything else a client sends is dropped first. */
  static final String[] INBOUND_ALLOWED = {"set", "id", "terminal", "visitsSince", Exchange.HTTP_METHOD, Exchange.CONTENT_TYPE};

  private final MasterDataService service;

  public MasterDataApiRoute(MasterDataService service) {
    this.service = service;
  }

  @Override
  public void configure() {
    // JSON is read and written with Contracts.mapper() (exact decimals).
    restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

    onException(MasterDataException.class)
        .handled(true)
        .process(e -> {
          MasterDataException p = e.getProperty(Exchange.EXCEPTION_CAUGHT, MasterDataException.class);
          problem(e, p.status, p.getMessage());
        });
    onException(IllegalArgumentException.class)
        .handled(true)
        .process(e -> problem(e, 400, e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()));

    rest(BASE)
        .get("/{set}").id("rest-masterdata-list").to(LIST)
        .get("/{set}/{id}").id("rest-masterdata-find").to(FIND)
        .put("/{set}/{id}").id("rest-masterdata-upsert").to(UPSERT)
        .delete("/{set}/{id}").id("rest-masterdata-delete").to(DELETE);
    rest(SYNC_BASE)
        .get("/checksums").id("rest-masterdata-checksums").to(CHECKSUMS)
        .get("/snapshots/{set}").id("rest-masterdata-snapshot").to(SNAPSHOT);

    from(LIST).routeId("masterdata-list")
        .removeHeaders("*", INBOUND_ALLOWED)
        .process(e -> ok(e, 200, service.list(e.getMessage().getHeader("set", String.class))));
    from(FIND).routeId("masterdata-find")
        .removeHeaders("*", INBOUND_ALLOWED)
        .process(e -> ok(e, 200, service.find(header(e, "set"), header(e, "id"))));
    from(UPSERT).routeId("masterdata-upsert")
        .removeHeaders("*", INBOUND_ALLOWED)
        .process(e -> ok(e, 200, service.upsert(header(e, "set"), header(e, "id"), e.getMessage().getBody(String.class))));
    from(DELETE).routeId("masterdata-delete")
        .removeHeaders("*", INBOUND_ALLOWED)
        .process(e -> {
          if (!service.delete(header(e, "set"), header(e, "id"))) {
            throw new MasterDataException(404, "no live " + header(e, "set") + " record " + header(e, "id"));
          }
          e.getMessage().removeHeaders("*");
          e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
          e.getMessage().setBody(null);
        });
    from(SNAPSHOT).routeId("masterdata-snapshot")
        .removeHeaders("*", INBOUND_ALLOWED)
        .process(e -> ok(e, 200, service.snapshot(header(e, "set"), header(e, "terminal"))));
    from(CHECKSUMS).routeId("masterdata-checksums")
        .removeHeaders("*", INBOUND_ALLOWED)
        .process(e -> ok(e, 200, service.checksums(header(e, "terminal"), header(e, "visitsSince"))));
  }

  private static String header(Exchange e, String name) {
    return e.getMessage().getHeader(name, String.class);
  }

  private static void ok(Exchange e, int status, String json) {
    e.getMessage().removeHeaders("*");
    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    e.getMessage().setBody(json);
  }

  private static void problem(Exchange e, int status, String detail) {
    ObjectNode doc = Contracts.mapper().createObjectNode();
    doc.put("type", "https://outpost.dev/problems/masterdata");
    doc.put("title", status == 404 ? "Not found" : "Refused");
    doc.put("status", status);
    doc.put("detail", detail);
    e.getMessage().removeHeaders("*");
    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
    e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
    e.getMessage().setBody(MasterRows.write(doc));
  }
}
