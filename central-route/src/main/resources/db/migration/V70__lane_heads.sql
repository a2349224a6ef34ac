-- Per-lane order at central: the highest sequence applied or rejected in each terminal's lane
-- (message group <terminal>:<lane>). An operation whose lane predecessor (its lanePrevious
-- header) is neither here nor in operations waits on the queue until it is (LaneOrder).
create table lane_heads (
    terminal_id text   not null,
    lane_group  text   not null,
    sequence    bigint not null,
    updated_at  timestamptz not null default now(),
    primary key (terminal_id, lane_group)
);
