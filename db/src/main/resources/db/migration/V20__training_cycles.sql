-- Training cycles: a researcher's request to run some of the stages SFT, REWARD, PPO in order on
-- a frozen snapshot of labels. Every state lives here so a cycle's page survives any restart.

-- state: RUNNING, SUCCEEDED, FAILED, CANCELLED (see cycles.CycleState).
create table training_cycle (
    id              uuid        primary key,
    project_id      uuid        references project (id),
    state           text        not null check (state in ('RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    base_version    text        not null,
    reward_version  text,
    failure_reason  text,
    created_by      text        not null,
    created_at      timestamptz not null default now(),
    finished_at     timestamptz
);
create index training_cycle_created on training_cycle (created_at desc);

-- One stage of a cycle, run by a trainer under run id = id. base_version and reward_version are
-- filled when the run is requested (a later stage learns them from the stage before).
create table training_run (
    id               uuid        primary key,
    cycle_id         uuid        not null references training_cycle (id),
    position         int         not null,
    stage            text        not null check (stage in ('SFT', 'REWARD', 'PPO')),
    state            text        not null check (state in ('WAITING', 'REQUESTED', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    hyper_parameters jsonb       not null,
    base_version     text,
    reward_version   text,
    produced_version text,
    failure_reason   text,
    requested_at     timestamptz,
    finished_at      timestamptz,
    unique (cycle_id, position)
);

-- The frozen snapshot: exactly the label events (outbox event ids of DemonstrationSubmitted and
-- RankingSubmitted) present when the cycle started.
create table cycle_snapshot_label (
    cycle_id   uuid not null references training_cycle (id),
    event_id   uuid not null,
    label_type text not null check (label_type in ('DEMONSTRATION', 'RANKING')),
    primary key (cycle_id, event_id)
);
create index cycle_snapshot_label_event on cycle_snapshot_label (event_id);

-- Progress reported by the trainers, in arrival order; the id orders the live stream.
create table training_progress (
    id          bigserial   primary key,
    event_id    uuid        not null unique,
    cycle_id    uuid        not null references training_cycle (id),
    run_id      uuid        not null references training_run (id),
    stage       text        not null,
    step        bigint      not null,
    total_steps bigint      not null,
    metrics     jsonb       not null,
    samples     jsonb       not null,
    reported_at timestamptz not null
);
create index training_progress_cycle on training_progress (cycle_id, id);

-- The model registry: every policy and reward version a trainer published, with its lineage.
-- reward_version is the reward model a PPO version was trained against (a second parent).
create table model_version (
    version         text        primary key,
    kind            text        not null check (kind in ('POLICY', 'REWARD')),
    parent_version  text,
    reward_version  text,
    cycle_id        uuid,
    run_id          uuid,
    stage           text,
    checkpoint_path text        not null,
    metrics         jsonb       not null,
    published_at    timestamptz not null,
    promoted_at     timestamptz,
    promoted_by     text
);
create index model_version_parent on model_version (parent_version);
create index model_version_reward on model_version (reward_version);

-- The label events a version was trained on directly, as its trainer reported them.
create table model_version_label (
    version  text not null references model_version (version),
    event_id uuid not null,
    primary key (version, event_id)
);
create index model_version_label_event on model_version_label (event_id);
