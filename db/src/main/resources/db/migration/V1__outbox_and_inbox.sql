-- The transactional outbox: a state change and the event announcing it are written in one
-- transaction; the relay publishes rows in id order and stamps published_at.
create table outbox_event (
    id             bigserial primary key,
    event_id       uuid        not null unique,
    topic          text        not null,
    aggregate_key  text        not null,
    event_type     text        not null,
    payload        jsonb       not null,
    created_at     timestamptz not null default now(),
    published_at   timestamptz
);
create index outbox_event_unpublished on outbox_event (id) where published_at is null;

-- The inbox: a consumer records each event id in the same transaction as its effect, so a
-- redelivered event changes nothing.
create table processed_event (
    consumer     text        not null,
    event_id     uuid        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);

-- The workers (trainers, runtime) announce themselves; operators see which are up and on
-- which device.
create table worker_status (
    worker_id    text        primary key,
    service      text        not null,
    device       text        not null,
    started_at   timestamptz not null,
    last_seen_at timestamptz not null
);
