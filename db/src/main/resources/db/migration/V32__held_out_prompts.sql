-- Prompts a project holds out for evaluating policy versions: they never become tasks or labels,
-- so no version is trained on them.
alter table prompt add column held_out boolean not null default false;
create index prompt_held_out on prompt (project_id, created_at) where held_out;
