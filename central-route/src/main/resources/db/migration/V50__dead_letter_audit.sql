-- Every action a person (REST, CLI, JMX) took on a dead letter: who, when, what, outcome.
create table dead_letter_audit (
    id           bigserial primary key,
    at           timestamptz not null default clock_timestamp(),
    actor        text not null,
    -- LIST is not audited (reads); REPLAY, EDIT_REPLAY and DISCARD are.
    action       text not null check (action in ('REPLAY', 'EDIT_REPLAY', 'DISCARD')),
    -- The broker's JMSMessageID of the dead letter acted on.
    message_id   text not null,
    operation_id uuid,
    terminal_id  text,
    -- ACCEPTED, DUPLICATE, REJECTED (back in the DLQ with new_reason), DISCARDED.
    outcome      text not null,
    -- The reason the dead letter had before the action.
    old_reason   text,
    -- The new rejection reason when a replay failed again.
    new_reason   text,
    -- Free text: the person's reason for a discard, or the new rejection's detail.
    detail       text,
    -- The body as edited before an EDIT_REPLAY.
    edited_body  text
);
create index dead_letter_audit_operation on dead_letter_audit (operation_id);
create index dead_letter_audit_at on dead_letter_audit (at);
