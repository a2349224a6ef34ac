-- The terminal's copy of central's master data, one row per record of every set, kept by
-- last-version-wins. Deleted records stay as tombstones (deleted = TRUE) so a late, older change
-- cannot bring them back. Instants are epoch milliseconds.
CREATE TABLE md_record (
  set_name   VARCHAR(32)  NOT NULL,
  record_id  VARCHAR(200) NOT NULL,
  version    BIGINT       NOT NULL,
  deleted    BOOLEAN      NOT NULL,
  -- Second lookup: a visit's bracelet, a player's team, an accreditation's match.
  lookup_key VARCHAR(200),
  -- A visit's opening time: visits older than the scope are pruned.
  ref_time   BIGINT,
  data       CLOB(1M),
  applied_at BIGINT       NOT NULL,
  CONSTRAINT md_record_pk PRIMARY KEY (set_name, record_id)
);
CREATE INDEX md_record_lookup_ix ON md_record (set_name, lookup_key);

-- Per set: loaded by a full snapshot at least once, last successful pull (snapshot or matching
-- checksum), last change received.
CREATE TABLE md_set_state (
  set_name       VARCHAR(32) NOT NULL,
  loaded         BOOLEAN     NOT NULL,
  last_pull_at   BIGINT,
  last_change_at BIGINT,
  CONSTRAINT md_set_state_pk PRIMARY KEY (set_name)
);

-- Local projections, written in the same transaction as the ledger row.
-- Sales against a bracelet or member: consumption shown offline = central's figure + these
-- while their ledger row is still waiting for central.
CREATE TABLE md_local_sale (
  operation_id CHAR(36)      NOT NULL,
  bracelet_id  VARCHAR(200),
  member_id    VARCHAR(200),
  total        DECIMAL(12,2) NOT NULL,
  recorded_at  BIGINT        NOT NULL,
  CONSTRAINT md_local_sale_pk PRIMARY KEY (operation_id)
);
CREATE INDEX md_local_sale_bracelet_ix ON md_local_sale (bracelet_id);

-- Granted gate scans, for anti-passback: the holder is inside when the last one was IN.
CREATE TABLE md_gate_scan (
  operation_id CHAR(36)     NOT NULL,
  qr_code      VARCHAR(200) NOT NULL,
  match_id     VARCHAR(200) NOT NULL,
  direction    VARCHAR(8)   NOT NULL,
  sequence_no  BIGINT       NOT NULL,
  CONSTRAINT md_gate_scan_pk PRIMARY KEY (operation_id)
);
CREATE INDEX md_gate_scan_ix ON md_gate_scan (qr_code, match_id, sequence_no);
