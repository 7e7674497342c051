-- The labeling domain: accounts, projects with versioned guidelines, prompts, tasks handed out as
-- leased assignments, and the labels contractors make (demonstrations, rankings, ratings).

-- People who sign in. roles is a comma-separated subset of contractor,reviewer,researcher,admin.
create table app_user (
    id            uuid        primary key,
    username      text        not null unique,
    password_hash text        not null,
    roles         text        not null,
    active        boolean     not null default true,
    created_at    timestamptz not null default now()
);

-- A labeling effort; overlap says how many distinct contractors answer each task of a type.
create table project (
    id                    uuid        primary key,
    name                  text        not null unique,
    description           text        not null default '',
    demonstration_overlap int         not null check (demonstration_overlap between 1 and 20),
    ranking_overlap       int         not null check (ranking_overlap between 1 and 20),
    created_at            timestamptz not null default now()
);

-- Guidelines are never edited in place: a change is a new version, and every label records
-- the version it was made under.
create table guideline_version (
    id         uuid        primary key,
    project_id uuid        not null references project (id),
    version    int         not null,
    markdown   text        not null,
    created_by text        not null,
    created_at timestamptz not null default now(),
    unique (project_id, version)
);

-- A conversation to answer: turns [{role, text}] in order, ending with a user turn.
create table prompt (
    id           uuid        primary key,
    project_id   uuid        not null references project (id),
    conversation jsonb       not null,
    source       text        not null,
    tags         jsonb       not null default '[]',
    author_id    uuid        references app_user (id),
    created_at   timestamptz not null default now()
);
create index prompt_project on prompt (project_id, created_at);

-- A request to the runtime for k completions of a prompt; answered at most once.
create table completion_request (
    id             uuid        primary key,
    project_id     uuid        not null references project (id),
    prompt_id      uuid        not null references prompt (id),
    policy_version text,
    k              int         not null check (k between 2 and 9),
    sampling       jsonb       not null,
    requested_by   text        not null,
    requested_at   timestamptz not null default now(),
    fulfilled_at   timestamptz
);

-- One sampled text, with the policy and sampling that produced it.
create table completion (
    id             uuid        primary key,
    prompt_id      uuid        not null references prompt (id),
    request_id     uuid        references completion_request (id),
    text           text        not null,
    policy_version text        not null,
    sampling       jsonb       not null,
    created_at     timestamptz not null default now()
);
create index completion_request_id on completion (request_id);

-- Work to do. slots_taken counts assignments that are active or submitted; a task hands out
-- slots until slots_taken = answers_wanted.
create table task (
    id                    uuid        primary key,
    project_id            uuid        not null references project (id),
    prompt_id             uuid        not null references prompt (id),
    type                  text        not null check (type in ('DEMONSTRATION', 'RANKING', 'CORRECTION', 'COMPARISON')),
    state                 text        not null check (state in ('OPEN', 'COMPLETE', 'CANCELLED')),
    priority              int         not null default 0,
    answers_wanted        int         not null check (answers_wanted >= 1),
    answers_done          int         not null default 0,
    slots_taken           int         not null default 0 check (slots_taken >= 0 and slots_taken <= answers_wanted),
    completion_request_id uuid        unique references completion_request (id),
    created_at            timestamptz not null default now()
);
create index task_open_queue on task (project_id, priority desc, created_at) where state = 'OPEN';

-- The completions a task shows, in the order shown.
create table task_completion (
    task_id       uuid not null references task (id),
    completion_id uuid not null references completion (id),
    position      int  not null,
    primary key (task_id, completion_id)
);

-- A slot of a task leased to one contractor. A contractor holds at most one assignment per task,
-- ever: what they skipped, let expire or answered is never offered to them again.
create table assignment (
    id                uuid        primary key,
    task_id           uuid        not null references task (id),
    contractor_id     uuid        not null references app_user (id),
    state             text        not null check (state in ('ACTIVE', 'SUBMITTED', 'SKIPPED', 'EXPIRED')),
    guideline_version int         not null,
    leased_at         timestamptz not null,
    lease_expires_at  timestamptz not null,
    finished_at       timestamptz,
    skip_reason       text,
    unique (task_id, contractor_id)
);
create index assignment_lease on assignment (lease_expires_at) where state = 'ACTIVE';
create index assignment_contractor on assignment (contractor_id, state);

create table demonstration (
    id                        uuid        primary key,
    assignment_id             uuid        not null unique references assignment (id),
    task_id                   uuid        not null references task (id),
    project_id                uuid        not null references project (id),
    prompt_id                 uuid        not null references prompt (id),
    contractor_id             uuid        not null references app_user (id),
    response                  text        not null,
    edited_from_completion_id uuid        references completion (id),
    time_spent_ms             bigint      not null check (time_spent_ms >= 0),
    guideline_version         int         not null,
    created_at                timestamptz not null default now()
);
create index demonstration_project on demonstration (project_id, created_at);

-- all_bad: every completion is bad; better_response, if written, is preferred over all of them.
create table ranking (
    id                uuid        primary key,
    assignment_id     uuid        not null unique references assignment (id),
    task_id           uuid        not null references task (id),
    project_id        uuid        not null references project (id),
    prompt_id         uuid        not null references prompt (id),
    contractor_id     uuid        not null references app_user (id),
    all_bad           boolean     not null,
    better_response   text,
    time_spent_ms     bigint      not null check (time_spent_ms >= 0),
    guideline_version int         not null,
    created_at        timestamptz not null default now()
);
create index ranking_project on ranking (project_id, created_at);
create index ranking_task on ranking (task_id);

-- rank 1 is best; equal ranks are ties.
create table ranking_entry (
    ranking_id    uuid not null references ranking (id),
    completion_id uuid not null references completion (id),
    rank          int  not null check (rank >= 1),
    primary key (ranking_id, completion_id)
);

-- Likert 1..5 judgements and flags of one completion by one contractor.
create table completion_rating (
    id            uuid        primary key,
    assignment_id uuid        not null references assignment (id),
    completion_id uuid        not null references completion (id),
    contractor_id uuid        not null references app_user (id),
    helpful       int         check (helpful between 1 and 5),
    truthful      int         check (truthful between 1 and 5),
    harmless      int         check (harmless between 1 and 5),
    flags         jsonb       not null default '[]',
    created_at    timestamptz not null default now(),
    unique (assignment_id, completion_id)
);

-- A submission's first result per (user, Idempotency-Key); a repeat returns it unchanged. The row
-- is written in the submission's transaction, so a rolled-back submission leaves no key behind.
create table idempotent_request (
    user_id    uuid        not null,
    key        text        not null,
    response   jsonb,
    created_at timestamptz not null default now(),
    primary key (user_id, key)
);

-- Agreement of the rankings of one task: over every two rankings and every two completions, the
-- share of completion pairs both order the same way (better, worse or tied). Null with one ranking.
create view ranking_task_agreement as
with entries as (
    select r.task_id, r.id as ranking_id, e.completion_id, e.rank
    from ranking r join ranking_entry e on e.ranking_id = r.id
)
select a1.task_id,
       avg(case when sign(a1.rank - b1.rank) = sign(a2.rank - b2.rank) then 1.0 else 0.0 end) as agreement,
       count(distinct a1.ranking_id) + 1 as rankings
from entries a1
join entries b1 on b1.ranking_id = a1.ranking_id and b1.completion_id > a1.completion_id
join entries a2 on a2.task_id = a1.task_id and a2.ranking_id > a1.ranking_id and a2.completion_id = a1.completion_id
join entries b2 on b2.ranking_id = a2.ranking_id and b2.completion_id = b1.completion_id
group by a1.task_id;
