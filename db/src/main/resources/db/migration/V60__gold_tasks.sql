-- Gold tasks: ranking tasks whose answer a researcher knows. The queue mixes them in at the
-- project's gold rate and they look like any other task; every contractor may answer each once.
-- answer is what the researcher sent ({"order": [[id], [id, id]]} or {"better": id, "worse": id});
-- required_pairs the (better, worse) completion pairs it states, which a contractor's answer is
-- scored on.
create table gold_task (
    task_id        uuid        primary key references task (id),
    project_id     uuid        not null references project (id),
    answer         jsonb       not null,
    required_pairs jsonb       not null,
    marked_by      text        not null,
    marked_at      timestamptz not null default now()
);
create index gold_task_project on gold_task (project_id, marked_at);

-- The share of a project's task draws that hand out a gold task (when the contractor has one left).
create table project_gold_rate (
    project_id uuid             primary key references project (id),
    rate       double precision not null check (rate >= 0 and rate <= 1),
    updated_by text             not null,
    updated_at timestamptz      not null default now()
);

-- How a cycle's rankings became weighted pairs: the consensus method and quality thresholds the
-- researcher chose, and the trust weight each contractor got (frozen with the snapshot).
create table cycle_consensus (
    cycle_id            uuid        primary key references training_cycle (id),
    method              text        not null check (method in ('MAJORITY', 'BORDA', 'BRADLEY_TERRY')),
    min_gold_accuracy   double precision,
    min_agreement       double precision,
    below_threshold     text        not null check (below_threshold in ('EXCLUDE', 'DOWN_WEIGHT')),
    down_weight         double precision not null,
    contractor_weights  jsonb       not null,
    created_at          timestamptz not null default now()
);

-- The pairs a cycle's REWARD and DPO stages train on, with their loss weights. chosen and rejected
-- are completion ids, or the ranking id of a contractor's written better response.
create table cycle_weighted_pair (
    cycle_id   uuid             not null references training_cycle (id),
    position   int              not null,
    prompt_id  uuid             not null,
    chosen     uuid             not null,
    rejected   uuid             not null,
    confidence double precision not null,
    weight     double precision not null check (weight > 0 and weight <= 1),
    primary key (cycle_id, position)
);
