package dev.outpost.central.demo;

import dev.outpost.contracts.PinHash;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Master data of the local demo (OUTPOST_DEMO_DATA=true): the bar's products, an active and a
 * closed visit, a member, a match and its accreditations. Inserted only where missing, so a restart
 * (or a person's edits) are kept. Off in production. Nothing but SQL, so a repository.
 */
@Component
@ConditionalOnProperty(name = "outpost.demo-data", havingValue = "true")
public class DemoDataRepository implements InitializingBean {
  private static final Logger LOG = LoggerFactory.getLogger(DemoDataRepository.class);
  private final JdbcTemplate jdbc;

  // Spring orders this after Flyway because it depends on the migrated DataSource's JdbcTemplate.
  public DemoDataRepository(JdbcTemplate jdbc, Flyway flyway) {
    this.jdbc = jdbc;
  }

  @Override
  public void afterPropertiesSet() {
    jdbc.update(
        "insert into products (id, name, price, available) values"
            + " ('beer', 'Beer 33cl', 3.50, true), ('water', 'Water 50cl', 1.50, true),"
            + " ('cola', 'Cola 33cl', 2.50, true), ('ticket-general', 'General admission', 20.00, true)"
            + " on conflict (id) do nothing");
    jdbc.update(
        "insert into members (id, name) values ('M-100', 'Ana Member'), ('M-200', 'Bo Partner')"
            + " on conflict (id) do nothing");
    jdbc.update(
        "insert into visits (id, bracelet_id, member_id, opened_at, closed_at) values"
            + " ('V-1001', 'B-1001', 'M-100', now(), null),"
            + " ('V-9999', 'B-9999', null, now() - interval '1 day', now() - interval '20 hours')"
            + " on conflict (id) do nothing");
    jdbc.update(
        "insert into matches (id, name, home_team, away_team, starts_at) values"
            + " ('demo-match', 'Demo FC v Sample United', 'Demo FC', 'Sample United', date_trunc('day', now()) + interval '20 hours')"
            + " on conflict (id) do nothing");
    jdbc.update(
        "insert into accreditations (qr_code, holder, match_id, kind, revoked) values"
            + " ('QR-0001', 'Press: Cam Era', 'demo-match', 'PRESS', false),"
            + " ('QR-0002', 'Steward: Rev Oked', 'demo-match', 'STAFF', true)"
            + " on conflict (qr_code) do nothing");
    jdbc.update(
        "insert into players (id, team, name, shirt_number) values"
            + " ('P-9', 'Demo FC', 'Nina Nine', 9), ('P-10', 'Demo FC', 'Teo Ten', 10),"
            + " ('P-21', 'Sample United', 'Tom Twentyone', 21), ('P-14', 'Sample United', 'Ivo Fourteen', 14)"
            + " on conflict (id) do nothing");
    jdbc.update(
        "insert into ticket_types (id, name, price, match_id) values"
            + " ('general', 'General admission', 20.00, 'demo-match'), ('reduced', 'Reduced', 12.50, 'demo-match')"
            + " on conflict (id) do nothing");
    // Demo staff; PIN 1234 (local sandbox only).
    jdbc.update(
        "insert into operators (id, name, roles, pin_hash) values"
            + " ('cashier-1', 'Cara Cashier', 'CASHIER', ?), ('gate-1', 'Gil Gate', 'GATE', ?)"
            + " on conflict (id) do nothing",
        PinHash.hash("1234"),
        PinHash.hash("1234"));
    LOG.info(
        "Demo master data in place (products beer/water, bracelets B-1001 active and B-9999 closed, demo-match)");
  }
}
