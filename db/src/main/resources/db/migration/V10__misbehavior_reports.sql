-- Misbehavior reports: bad answers of deployed model versions, reported by production systems
-- (HTTP with an API token, or the Kafka topic) and by people in the chat page; triaged by
-- reviewers into labeling work.

-- Tokens production systems send as "Authorization: Bearer <token>". Only a SHA-256 digest is
-- kept: the token itself is shown once, when it is issued. A revoked token stays listed.
create table report_api_token (
    id          uuid        primary key,
    source      text        not null,
    token_hash  text        not null unique,
    created_by  text        not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

-- One reported misbehavior. A repeat (same source and external id, or the same conversation by
-- its normalized hash) is merged into the first: report_count and last_reported_at go up, the
-- highest severity is kept.
create table misbehavior_report (
    id                    uuid        primary key,
    source                text        not null,
    external_id           text,
    conversation          jsonb       not null,
    conversation_hash     text        not null unique,
    model_version         text,
    category              text        not null check (category in ('HARMFUL', 'UNTRUTHFUL', 'UNHELPFUL', 'WRONG_REFUSAL', 'OTHER')),
    severity              int         not null check (severity between 1 and 5),
    text                  text        not null default '',
    state                 text        not null check (state in ('NEW', 'ACCEPTED', 'REJECTED')),
    report_count          int         not null default 1 check (report_count >= 1),
    first_reported_at     timestamptz not null default now(),
    last_reported_at      timestamptz not null default now(),
    -- Triage: who decided, when, why (rejections), and the work it made (acceptances).
    triaged_by            text,
    triaged_at            timestamptz,
    reject_reason         text,
    prompt_id             uuid        references prompt (id),
    correction_task_id    uuid        references task (id),
    completion_request_id uuid        references completion_request (id),
    unique (source, external_id)
);
create index misbehavior_report_queue on misbehavior_report (state, last_reported_at desc);
