-- Public keys terminals sign their day files with, registered by ops (PUT /api/v1/terminals/{id}/key).
create table terminal_keys (
    terminal_id   text primary key,
    algorithm     text not null default 'Ed25519',
    -- X.509 SubjectPublicKeyInfo, base64.
    public_key    text not null,
    fingerprint   text not null,
    registered_at timestamptz not null default now(),
    registered_by text not null
);

-- One row per day file handed to central (upload or drop folder), refused or processed.
create table imports (
    id              uuid primary key,
    received_at     timestamptz not null default now(),
    finished_at     timestamptz,
    actor           text not null,
    -- upload or folder
    via             text not null check (via in ('upload', 'folder')),
    file_name       text,
    -- RUNNING, DONE, REFUSED (nothing applied), FAILED (stopped by an error; importing again resumes safely)
    status          text not null check (status in ('RUNNING', 'DONE', 'REFUSED', 'FAILED')),
    refused_reason  text,
    terminal_id     text,
    from_day        date,
    to_day          date,
    zone            text,
    checksum        text,
    total           integer not null default 0,
    processed       integer not null default 0,
    accepted        integer not null default 0,
    duplicate       integer not null default 0,
    rejected        integer not null default 0,
    -- Per-type counts and sums of the file against central's, and operation ids missing on either side.
    completeness    jsonb
);
create index imports_terminal on imports (terminal_id, from_day);
