-- Label review (issue 24): a sampled share of every project's labels and every label of a
-- contractor under watch go to reviewers, who accept, reject with a reason, or correct them.
-- Projects get members and task caps; training snapshots get filters; imports find duplicates.

-- The share of a project's labels reviewers see (0..1). A project without a row uses the
-- service's default (rlhf.review.default-rate). Whether a label is sampled is decided from its id,
-- so the same label is always in or out at a given rate.
create table project_review_settings (
    project_id  uuid             primary key references project (id),
    review_rate double precision not null check (review_rate >= 0 and review_rate <= 1),
    updated_by  text             not null,
    updated_at  timestamptz      not null default now()
);

-- Contractors whose every label goes to review, until taken off the watch list.
create table watched_contractor (
    account_id uuid        primary key references app_user (id),
    reason     text        not null,
    watched_by text        not null,
    watched_at timestamptz not null default now()
);

-- One review per label (a demonstration or a ranking, by its id). A correction is the label of
-- record from then on: corrected_response (a demonstration) or corrected_ranks (a ranking, as
-- {completionId: rank}); the label row itself is never changed. original_event_id is the label's
-- own event; correction_event_id the event that announced the corrected label to the trainers.
create table label_review (
    id                  uuid        primary key,
    label_id            uuid        not null unique,
    label_type          text        not null check (label_type in ('DEMONSTRATION', 'RANKING')),
    project_id          uuid        not null references project (id),
    contractor_id       uuid        not null references app_user (id),
    reviewer_id         uuid        not null references app_user (id) check (reviewer_id <> contractor_id),
    outcome             text        not null check (outcome in ('ACCEPTED', 'REJECTED', 'CORRECTED')),
    reason              text,
    corrected_response  text,
    corrected_ranks     jsonb,
    -- The informative preference pairs of a corrected ranking (ranking.informative_pairs's rule).
    corrected_informative_pairs int check (corrected_informative_pairs >= 0),
    original_event_id   uuid,
    correction_event_id uuid,
    reviewed_at         timestamptz not null default now(),
    check (outcome <> 'REJECTED' or reason is not null),
    check (outcome <> 'CORRECTED' or corrected_response is not null or corrected_ranks is not null)
);
create index label_review_contractor on label_review (contractor_id, reviewed_at desc);
create index label_review_project on label_review (project_id, reviewed_at desc);

-- Finds a label's events (its own and a correction's) from its id.
create index outbox_event_label_id on outbox_event
    ((coalesce(payload ->> 'demonstrationId', payload ->> 'rankingId')))
    where event_type in ('DemonstrationSubmitted', 'RankingSubmitted');

-- Who may draw a project's tasks, and how many. A project without a row (every project made
-- before this migration) is open to every contractor without caps: an upgrade locks nobody out.
-- members_only is switched on when a researcher adds the first member, and stays on until a
-- researcher opens the project again. Caps count the tasks a contractor took (active or
-- submitted) in the last hour and the last 24 hours.
create table project_access (
    project_id      uuid        primary key references project (id),
    members_only    boolean     not null default false,
    hourly_task_cap int         check (hourly_task_cap >= 1),
    daily_task_cap  int         check (daily_task_cap >= 1),
    updated_by      text        not null,
    updated_at      timestamptz not null default now()
);

create table project_member (
    project_id uuid        not null references project (id),
    account_id uuid        not null references app_user (id),
    added_by   text        not null,
    added_at   timestamptz not null default now(),
    primary key (project_id, account_id)
);
create index project_member_account on project_member (account_id);
create index assignment_contractor_leased on assignment (contractor_id, leased_at);

-- What a cycle's snapshot was asked to hold besides the label types its stages need (arena votes,
-- reviewed labels only, guideline version, dates, contractors). Cycles started before this
-- migration took arena votes like any ranking, and say so.
alter table training_cycle
    add column snapshot_filter jsonb not null default '{}';
update training_cycle set snapshot_filter = '{"includeArenaVotes": true}';

-- Duplicate prompts: the same turns (role and text, ignoring case and runs of white space).
create function prompt_fingerprint(conversation jsonb) returns text
    language sql immutable parallel safe as $$
    select md5(coalesce(string_agg(
               lower(t ->> 'role') || ':' || lower(btrim(regexp_replace(t ->> 'text', '\s+', ' ', 'g'))),
               chr(10) order by n), ''))
      from jsonb_array_elements(conversation) with ordinality as x(t, n)
$$;
alter table prompt
    add column fingerprint text generated always as (prompt_fingerprint(conversation)) stored;
create index prompt_project_fingerprint on prompt (project_id, fingerprint);
