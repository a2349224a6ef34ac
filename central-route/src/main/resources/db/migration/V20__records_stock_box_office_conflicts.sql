-- Generic entities terminals create or edit offline (customers, suppliers, ...), resolved by the
-- entity's conflict policy. A record's version is the triple (updated_at, updated_by_terminal,
-- updated_by_operation) compared in that order, so last-write-wins has one answer whatever the
-- arrival order.
create table entity_records (
    entity               text not null,
    id                   uuid not null,
    data                 jsonb not null default '{}',
    deleted              boolean not null default false,
    updated_at           timestamptz not null,
    updated_by_terminal  text not null,
    updated_by_operation uuid not null,
    -- MERGE policy only: each field's own version, {"field": ["<updatedAt>", "<terminal>", "<operationId>"]}.
    field_versions       jsonb not null default '{}',
    primary key (entity, id)
);

-- Changes held for a person to decide (policy MANUAL): both versions, and the decision.
create table conflicts (
    id           bigserial primary key,
    entity       text not null,
    record_id    uuid not null,
    operation_id uuid not null references operations (operation_id),
    terminal_id  text not null,
    stored       jsonb,
    incoming     jsonb not null,
    status       text not null default 'OPEN' check (status in ('OPEN', 'RESOLVED')),
    created_at   timestamptz not null default now(),
    resolution   text check (resolution in ('INCOMING', 'STORED')),
    resolved_by  text,
    resolved_at  timestamptz,
    note         text
);
create index conflicts_open on conflicts (status, created_at);

-- Stock: deltas merge (sum), so every arrival order gives the same level.
create table stock_levels (
    product_id text not null references products (id),
    location   text not null,
    quantity   bigint not null default 0,
    updated_at timestamptz not null default now(),
    primary key (product_id, location)
);

create table stock_movements (
    operation_id uuid primary key references operations (operation_id),
    terminal_id  text not null,
    product_id   text not null references products (id),
    location     text not null,
    delta        bigint not null,
    reason       text,
    occurred_at  timestamptz not null
);

create table box_office_sales (
    operation_id uuid primary key references operations (operation_id),
    terminal_id  text not null,
    match_id     text not null references matches (id),
    total        numeric(12, 2) not null,
    paid         boolean not null,
    buyer_name   text,
    observations text,
    occurred_at  timestamptz not null
);

create table box_office_sale_lines (
    operation_id   uuid not null references box_office_sales (operation_id),
    line_no        integer not null,
    ticket_type_id text not null references ticket_types (id),
    quantity       integer not null,
    unit_price     numeric(12, 2) not null,
    primary key (operation_id, line_no)
);

-- Holes in a terminal's sequence as central sees it: operations not (yet) applied. They close
-- when a late lane, the DLQ replay or a day-file import brings the missing operations.
create view terminal_gaps as
select terminal_id, sequence + 1 as first_missing, next_sequence - 1 as last_missing
from (select terminal_id, sequence,
             lead(sequence) over (partition by terminal_id order by sequence) as next_sequence
      from operations) s
where next_sequence > sequence + 1
union all
select terminal_id, 1, min(sequence) - 1
from operations
group by terminal_id
having min(sequence) > 1;
