-- The version arena: one prompt answered by two policy versions, shown blind as a COMPARISON task.
-- Votes are the rankings contractors submit on that task; nothing else is stored for them.
create table arena_match (
    id           uuid        primary key,
    project_id   uuid        not null references project (id),
    prompt_id    uuid        not null references prompt (id),
    version_a    text        not null,
    version_b    text        not null check (version_b <> version_a),
    request_a    uuid        not null unique,
    request_b    uuid        not null unique,
    completion_a uuid        references completion (id),
    completion_b uuid        references completion (id),
    task_id      uuid        references task (id),
    requested_by text        not null,
    created_at   timestamptz not null default now()
);
