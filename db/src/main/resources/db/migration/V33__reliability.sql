-- A row the broker refuses for good (a record over its size limit, say) is parked with the reason
-- instead of blocking every row behind it; an admin sees parked rows and can send them again.
alter table outbox_event
    add column parked_at   timestamptz,
    add column park_reason text;
drop index outbox_event_unpublished;
create index outbox_event_unsent on outbox_event (id) where published_at is null and parked_at is null;
create index outbox_event_parked on outbox_event (id) where parked_at is not null;

-- The trainers name the runs they hold in their heartbeats: last_seen_at is the latest, and a
-- requested run nobody has reported for a while is failed by the stale-run watchdog.
alter table training_run
    add column last_seen_at timestamptz,
    add column worker_id    text;
create index training_run_requested on training_run (requested_at) where state = 'REQUESTED';

-- A cycle started again from the stage where another failed, on the same frozen labels.
alter table training_cycle
    add column retry_of uuid references training_cycle (id);
