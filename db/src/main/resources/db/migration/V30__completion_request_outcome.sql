-- What became of a completion request's answer: a ranking task, or nothing because fewer than two
-- distinct completions came back (no preference signal). Near-duplicates are merged before a task
-- is made; how many were merged is kept for the researcher.
alter table completion_request
    add column outcome text check (outcome in ('RANKING_TASK', 'NO_SIGNAL')),
    add column duplicates_merged int not null default 0;
