-- The agreement of the rankings of each task, computed for one project's rankings only (or, with
-- a null project, for all): a project's dashboard read the view ranking_task_agreement joined to
-- its tasks, and PostgreSQL cannot push that join into the view's grouping, so every project's
-- agreement was computed first (seconds at 100k tasks). The view is now this function over all
-- projects: one definition of the measure.
create function ranking_task_agreement_of(project uuid)
returns table (task_id uuid, agreement numeric, rankings bigint)
language sql stable as $$
with entries as (
    select r.task_id, r.id as ranking_id, e.completion_id, e.rank
    from ranking r join ranking_entry e on e.ranking_id = r.id
    where $1 is null or r.task_id in (select t.id from task t where t.project_id = $1)
)
select a1.task_id,
       avg(case when sign(a1.rank - b1.rank) = sign(a2.rank - b2.rank) then 1.0 else 0.0 end),
       count(distinct a1.ranking_id) + 1
from entries a1
join entries b1 on b1.ranking_id = a1.ranking_id and b1.completion_id > a1.completion_id
join entries a2 on a2.task_id = a1.task_id and a2.ranking_id > a1.ranking_id and a2.completion_id = a1.completion_id
join entries b2 on b2.ranking_id = a2.ranking_id and b2.completion_id = b1.completion_id
group by a1.task_id
$$;

create or replace view ranking_task_agreement as
select task_id, agreement, rankings from ranking_task_agreement_of(null);
