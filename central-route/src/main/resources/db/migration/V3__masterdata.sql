-- Master data sent down to terminals. Every master row carries a version taken from one
-- sequence on every insert and update, so terminals keep the highest version (last-version-wins)
-- and per-set checksums (count + hash of id:version) are exact. Triggers capture every change,
-- whoever makes it (Outpost's admin API or any application writing PostgreSQL directly), into
-- masterdata_outbox, which central-route publishes to the terminals and then deletes.
create sequence masterdata_version;

alter table products add column version bigint not null default 0;
alter table members add column version bigint not null default 0;
alter table visits add column version bigint not null default 0;
alter table matches add column version bigint not null default 0;
alter table accreditations add column version bigint not null default 0;

-- Team rosters: a player belongs to a team (matches name their home_team/away_team).
create table players (
    id           text primary key,
    team         text not null,
    name         text not null,
    shirt_number integer,
    updated_at   timestamptz not null default now(),
    deleted      boolean not null default false,
    version      bigint not null default 0
);
create index players_team on players (team);

-- Box-office ticket types; match_id null = valid for any match.
create table ticket_types (
    id         text primary key,
    name       text not null,
    price      numeric(12, 2) not null check (price >= 0),
    match_id   text references matches (id),
    available  boolean not null default true,
    updated_at timestamptz not null default now(),
    deleted    boolean not null default false,
    version    bigint not null default 0
);

-- Staff who sign in on terminals (cashiers, gate staff, referees). Only hashes travel.
create table operators (
    id         text primary key,
    name       text not null,
    -- Comma-separated roles, e.g. CASHIER,GATE,REFEREE.
    roles      text not null,
    -- PBKDF2 hash of the PIN or password: pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>.
    pin_hash   text not null,
    active     boolean not null default true,
    updated_at timestamptz not null default now(),
    deleted    boolean not null default false,
    version    bigint not null default 0
);

-- Rows present before change capture get their first version here (no outbox rows: terminals
-- bootstrap from a snapshot).
update products set version = nextval('masterdata_version');
update members set version = nextval('masterdata_version');
update visits set version = nextval('masterdata_version');
update matches set version = nextval('masterdata_version');
update accreditations set version = nextval('masterdata_version');

create index visits_opened on visits (opened_at);

-- Changes waiting to be published. Rows are deleted by id once the broker has them, never by
-- a watermark: transactions commit out of id order.
create table masterdata_outbox (
    id         bigserial primary key,
    set_name   text not null,
    record_id  text not null,
    version    bigint not null,
    -- The row as to_jsonb gives it; null for a hard delete.
    row_data   jsonb,
    created_at timestamptz not null default clock_timestamp()
);

-- Terminals that asked for a snapshot are registered and receive changes from then on.
alter table terminals add column masterdata_pulled_at timestamptz;

create function masterdata_stamp() returns trigger language plpgsql as $$
begin
    new.version := nextval('masterdata_version');
    -- Applications writing directly need not maintain updated_at themselves.
    if tg_op = 'UPDATE' then
        new.updated_at := now();
    end if;
    return new;
end
$$;

-- tg_argv[0] = set name, tg_argv[1] = id column.
create function masterdata_capture() returns trigger language plpgsql as $$
declare
    old_id text;
    new_id text;
begin
    if tg_op in ('UPDATE', 'DELETE') then
        old_id := to_jsonb(old) ->> tg_argv[1];
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        new_id := to_jsonb(new) ->> tg_argv[1];
    end if;
    -- A hard delete, or the old id of a row whose id changed: a tombstone with a fresh version.
    if old_id is not null and old_id is distinct from new_id then
        insert into masterdata_outbox (set_name, record_id, version, row_data)
        values (tg_argv[0], old_id, nextval('masterdata_version'), null);
    end if;
    if new_id is not null then
        insert into masterdata_outbox (set_name, record_id, version, row_data)
        values (tg_argv[0], new_id, new.version, to_jsonb(new));
    end if;
    return null;
end
$$;

create trigger products_version before insert or update on products for each row execute function masterdata_stamp();
create trigger products_capture after insert or update or delete on products for each row execute function masterdata_capture('products', 'id');
create trigger members_version before insert or update on members for each row execute function masterdata_stamp();
create trigger members_capture after insert or update or delete on members for each row execute function masterdata_capture('members', 'id');
create trigger visits_version before insert or update on visits for each row execute function masterdata_stamp();
create trigger visits_capture after insert or update or delete on visits for each row execute function masterdata_capture('visits', 'id');
create trigger matches_version before insert or update on matches for each row execute function masterdata_stamp();
create trigger matches_capture after insert or update or delete on matches for each row execute function masterdata_capture('matches', 'id');
create trigger accreditations_version before insert or update on accreditations for each row execute function masterdata_stamp();
create trigger accreditations_capture after insert or update or delete on accreditations for each row execute function masterdata_capture('accreditations', 'qr_code');
create trigger players_version before insert or update on players for each row execute function masterdata_stamp();
create trigger players_capture after insert or update or delete on players for each row execute function masterdata_capture('players', 'id');
create trigger ticket_types_version before insert or update on ticket_types for each row execute function masterdata_stamp();
create trigger ticket_types_capture after insert or update or delete on ticket_types for each row execute function masterdata_capture('ticket-types', 'id');
create trigger operators_version before insert or update on operators for each row execute function masterdata_stamp();
create trigger operators_capture after insert or update or delete on operators for each row execute function masterdata_capture('operators', 'id');
