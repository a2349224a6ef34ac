-- The terminal's ledger: one row per operation a POS app posted and the edge answered 2xx.
-- Instants are epoch milliseconds (BIGINT): Derby's TIMESTAMP has no zone and would shift
-- with the JVM's default zone.
CREATE TABLE ledger (
  operation_id   CHAR(36)      NOT NULL,
  -- Assigned by the edge, strictly increasing, never reused (see edge_counter).
  sequence_no    BIGINT        NOT NULL,
  op_type        VARCHAR(100)  NOT NULL,
  schema_version INT           NOT NULL,
  -- As the POS sent it (ISO-8601 with offset).
  occurred_at    VARCHAR(64)   NOT NULL,
  received_at    BIGINT        NOT NULL,
  -- The exact envelope JSON sent to central (terminalId and sequence filled in).
  envelope       CLOB(2M)      NOT NULL,
  -- SHA-256 of the canonical type, schemaVersion, occurredAt and payload: same id, other payload -> 409.
  payload_hash   CHAR(64)      NOT NULL,
  status         VARCHAR(16)   NOT NULL,
  reason         VARCHAR(32),
  detail         VARCHAR(2000),
  -- Null until the durable send to outpost.outbound succeeded; start-up re-sends such rows.
  queued_at      BIGINT,
  receipt_at     BIGINT,
  CONSTRAINT ledger_pk PRIMARY KEY (operation_id),
  CONSTRAINT ledger_sequence_uq UNIQUE (sequence_no),
  CONSTRAINT ledger_status_ck CHECK (status IN ('QUEUED', 'ACCEPTED', 'REJECTED'))
);

CREATE INDEX ledger_status_ix ON ledger (status);
CREATE INDEX ledger_receipt_ix ON ledger (receipt_at);

-- Counters that must never go back, e.g. the sequence: a row removed after a failed send does
-- not give its number to the next operation.
CREATE TABLE edge_counter (
  name          VARCHAR(64) NOT NULL,
  counter_value BIGINT      NOT NULL,
  CONSTRAINT edge_counter_pk PRIMARY KEY (name)
);

INSERT INTO edge_counter (name, counter_value) VALUES ('sequence', 0);
