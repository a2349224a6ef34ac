-- Every operation central accepted, exactly once: operation_id is the idempotency guard.
create table operations (
    operation_id   uuid primary key,
    -- Order in which central applied operations; per terminal it must follow sequence.
    arrival_no     bigserial not null unique,
    terminal_id    text not null,
    type           text not null,
    schema_version integer not null,
    sequence       bigint not null,
    occurred_at    timestamptz not null,
    received_at    timestamptz not null default clock_timestamp(),
    payload        jsonb not null,
    source         text not null default 'bridge' check (source in ('bridge', 'import', 'replay'))
);
create index operations_terminal_sequence on operations (terminal_id, sequence);

-- What central knows of each terminal; last_sequence only grows.
create table terminals (
    terminal_id   text primary key,
    last_sequence bigint not null default 0,
    first_seen_at timestamptz not null default now(),
    last_seen_at  timestamptz not null default now()
);

-- Master data (the sets later sent down to terminals). Soft delete, updated_at on every row.
create table products (
    id         text primary key,
    name       text not null,
    price      numeric(12, 2) not null check (price >= 0),
    available  boolean not null default true,
    updated_at timestamptz not null default now(),
    deleted    boolean not null default false
);

create table members (
    id         text primary key,
    name       text not null,
    active     boolean not null default true,
    updated_at timestamptz not null default now(),
    deleted    boolean not null default false
);

create table visits (
    id          text primary key,
    bracelet_id text not null,
    member_id   text references members (id),
    opened_at   timestamptz not null,
    closed_at   timestamptz,
    -- Sum of sale totals against this visit; each sale adds exactly once.
    consumed    numeric(12, 2) not null default 0,
    updated_at  timestamptz not null default now(),
    deleted     boolean not null default false
);
create index visits_bracelet on visits (bracelet_id, opened_at desc);

create table matches (
    id         text primary key,
    name       text not null,
    home_team  text not null,
    away_team  text not null,
    starts_at  timestamptz not null,
    updated_at timestamptz not null default now(),
    deleted    boolean not null default false
);

create table accreditations (
    qr_code    text primary key,
    holder     text not null,
    match_id   text not null references matches (id),
    kind       text not null,
    revoked    boolean not null default false,
    updated_at timestamptz not null default now(),
    deleted    boolean not null default false
);

-- Projections, written only for operations actually inserted into operations.
create table sales (
    operation_id uuid primary key references operations (operation_id),
    terminal_id  text not null,
    visit_id     text references visits (id),
    bracelet_id  text,
    member_id    text references members (id),
    total        numeric(12, 2) not null,
    paid         boolean not null,
    observations text,
    occurred_at  timestamptz not null,
    -- Set when the sale was accepted as a fact but needs a person's look (e.g. VISIT_CLOSED).
    review_flag  text
);

create table sale_lines (
    operation_id uuid not null references sales (operation_id),
    line_no      integer not null,
    product_id   text not null references products (id),
    quantity     integer not null,
    unit_price   numeric(12, 2) not null,
    primary key (operation_id, line_no)
);

create table access_events (
    operation_id uuid primary key references operations (operation_id),
    terminal_id  text not null,
    qr_code      text not null references accreditations (qr_code),
    match_id     text not null references matches (id),
    gate         text not null,
    direction    text not null,
    granted      boolean not null,
    reason       text,
    occurred_at  timestamptz not null,
    review_flag  text
);

create table match_events (
    operation_id uuid primary key references operations (operation_id),
    terminal_id  text not null,
    match_id     text not null references matches (id),
    minute       integer not null,
    kind         text not null,
    team         text not null,
    player_id    text,
    player_in_id text,
    notes        text,
    occurred_at  timestamptz not null
);
