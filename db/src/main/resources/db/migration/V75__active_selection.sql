-- Active selection: how a project orders the ranking tasks it makes from completion requests.
-- RANDOM hands them out in the order the runtime's answers arrived (no signal about the prompt);
-- UNCERTAINTY first where the sampled completions differ most.
alter table project add column selection text not null default 'RANDOM'
    check (selection in ('RANDOM', 'UNCERTAINTY'));

-- A task's selection score under UNCERTAINTY (higher first, after priority); null for tasks that
-- were not scored, which come after the scored ones of the same priority.
alter table task add column selection_score double precision;

drop index task_open_queue;
create index task_open_queue on task (project_id, priority desc, selection_score desc nulls last, created_at)
    where state = 'OPEN';
