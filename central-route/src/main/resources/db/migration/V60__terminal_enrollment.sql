-- Terminals are born by enrollment (./outpost terminals add, POST /api/v1/terminals), not by
-- first contact: an enrolled terminal has a credential (the SHA-256 of its secret; the secret
-- itself is only in its enrollment file). Central's broker logs terminals in against these rows
-- (broker-config's JdbcTerminalDirectory); a revoked terminal is refused from revoked_at on.
alter table terminals add column enrolled_at timestamptz;
alter table terminals add column enrolled_by text;
alter table terminals add column credential_hash text;
alter table terminals add column revoked_at timestamptz;
alter table terminals add column revoked_by text;
-- Master-data scope given at enrollment (e.g. {"matches": ["m-1"]}); informational for now.
alter table terminals add column scope jsonb not null default '{}'::jsonb;
create index terminals_revoked_at on terminals (revoked_at) where revoked_at is not null;
