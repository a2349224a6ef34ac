-- Central may apply an operation and flag it for a person's review (a sale on a visit central
-- had closed, a change held for manual conflict resolution): the ledger shows FLAGGED.
ALTER TABLE ledger DROP CONSTRAINT ledger_status_ck;
ALTER TABLE ledger ADD CONSTRAINT ledger_status_ck CHECK (status IN ('QUEUED', 'ACCEPTED', 'FLAGGED', 'REJECTED'));
