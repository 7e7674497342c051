-- Security hardening (issue 26): server-side sign-in sessions, who reported what, the chat answers
-- the service gave, and the keys clients of the model runtime use.

-- A browser sign-in. The cookie holds a random token; only its SHA-256 digest is stored, so the
-- table alone signs nobody in. Signing out, a password change or a reset deletes the rows: the
-- cookie is worthless from then on. A session ends after its idle timeout since last_seen_at and,
-- however active, after its absolute lifetime since created_at.
create table user_session (
    id            uuid        primary key,
    token_hash    text        not null unique,
    account_id    uuid        not null references app_user (id) on delete cascade,
    created_at    timestamptz not null,
    last_seen_at  timestamptz not null
);
create index user_session_account on user_session (account_id);

-- An answer the chat page got from the model runtime through this service, with the whole
-- conversation it ends: a chat report names the answer, so the conversation and the model version
-- of a report come from here, never from the reporter.
create table chat_answer (
    id             uuid        primary key,
    account_id     uuid        not null references app_user (id),
    conversation   jsonb       not null,
    model_version  text        not null,
    created_at     timestamptz not null default now()
);
create index chat_answer_account on chat_answer (account_id, created_at);

-- Everyone who reported a report (repeats merge into one report): none of them may triage it or
-- get a task made from it.
create table misbehavior_report_reporter (
    report_id   uuid not null references misbehavior_report (id),
    account_id  uuid not null references app_user (id),
    reported_at timestamptz not null default now(),
    primary key (report_id, account_id)
);
create index misbehavior_report_reporter_account on misbehavior_report_reporter (account_id);

-- A key a client of the model runtime sends as its bearer token; only its SHA-256 digest is kept
-- here and published to the runtime (rlhf.runtime.keys).
create table runtime_api_key (
    id          uuid        primary key,
    name        text        not null,
    token_hash  text        not null unique,
    created_by  text        not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
-- Task distribution looks up, per candidate task, whether a report made its prompt.
create index misbehavior_report_prompt on misbehavior_report (prompt_id);
