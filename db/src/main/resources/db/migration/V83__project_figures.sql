-- Dashboard figures kept up to date instead of recounted (issue 27 part 5). The statistics of a
-- project counted all of its rows on every request (1-2 s per count at 2M labels) and its ranking
-- agreement self-joined every ranking entry of the project (12-16 s at 100k tasks). Triggers on the
-- tables the figures come from now keep them in small tables, in the transaction of the change
-- itself: a label is counted when its row is inserted and uncounted when it is deleted, so a row
-- that is never inserted twice (an idempotent resubmission or a redelivered event inserts nothing)
-- is never counted twice, a rolled-back submission counts nothing, and every writer (the service,
-- a script, a future retention or deletion job) keeps them right without knowing of them.
--
-- The figure tables take changes as rows appended, never updated: a change inserts its amounts
-- (+1 for a label inserted, -1 for one deleted) and a figure is the sum of its rows. Updating one
-- counter row instead would make every submission of a project wait on that row until the one
-- before commits, and a transaction changing many rows (an import, a bulk delete, this migration)
-- would update one row as many times, each time walking the row's versions left by the previous
-- ones (quadratic: 20,000 updates of one row in a transaction took 8 s here). compact_project_figures()
-- folds the rows of each project and day (or type, flag, contractor) into one; the labeling service
-- runs it every 30 s (rlhf.statistics.compaction-interval), so a statistics request sums the folded
-- rows plus the last seconds' changes.
--
-- Triggers do not fire under session_replication_role = replica (bulk loads): whoever loads that
-- way calls refresh_project_figures(project) afterwards, as the migration does for existing rows.

-- Prompts and labels per UTC day of their creation; the project's totals are the sums over days.
create table project_daily_figures (
    project_id        uuid   not null,
    day               date   not null,
    prompts           bigint not null default 0,
    demonstrations    bigint not null default 0,
    rankings          bigint not null default 0,
    informative_pairs bigint not null default 0,
    ratings           bigint not null default 0
);
create index project_daily_figures_project on project_daily_figures (project_id, day);

-- How many completion ratings carry each flag.
create table project_flag_figures (
    project_id uuid   not null,
    flag       text   not null,
    ratings    bigint not null
);
create index project_flag_figures_project on project_flag_figures (project_id, flag);

-- Open tasks per type and the answers they still want (answers_wanted - slots_taken).
create table project_queue_figures (
    project_id uuid   not null,
    type       text   not null,
    open_tasks bigint not null,
    open_slots bigint not null
);
create index project_queue_figures_project on project_queue_figures (project_id, type);

-- The agreement of each task with two rankings or more to compare (the function
-- ranking_task_agreement_of gives the same rows by recounting), and per project their sum and
-- number, so the mean is one division.
create table task_ranking_agreement (
    task_id    uuid    primary key,
    project_id uuid    not null,
    agreement  numeric not null,
    rankings   bigint  not null
);
create index task_ranking_agreement_project on task_ranking_agreement (project_id);

create table project_agreement_figures (
    project_id    uuid    not null,
    tasks         bigint  not null,
    agreement_sum numeric not null
);
create index project_agreement_figures_project on project_agreement_figures (project_id);

-- When each contractor leased tasks of the project: a row per lease, folded to the latest per
-- contractor (assignments are never edited or deleted by the service; the trigger recounts the
-- contractor's rows if one is).
create table project_contractor_activity (
    project_id     uuid        not null,
    contractor_id  uuid        not null,
    last_leased_at timestamptz not null
);
create index project_contractor_activity_project on project_contractor_activity (project_id, contractor_id);

create function utc_day(at timestamptz) returns date
    language sql immutable as $$ select (at at time zone 'UTC')::date $$;

create function add_daily_figures(project uuid, day date, prompts bigint, demonstrations bigint,
                                  rankings bigint, pairs bigint, ratings bigint) returns void
    language sql as $$
    insert into project_daily_figures
        (project_id, day, prompts, demonstrations, rankings, informative_pairs, ratings)
    values ($1, $2, $3, $4, $5, $6, $7)
$$;

create function keep_prompt_figures() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then perform add_daily_figures(old.project_id, utc_day(old.created_at), -1, 0, 0, 0, 0); end if;
    if tg_op <> 'DELETE' then perform add_daily_figures(new.project_id, utc_day(new.created_at), 1, 0, 0, 0, 0); end if;
    return null;
end $$;
create trigger keep_prompt_figures after insert or delete on prompt
    for each row execute function keep_prompt_figures();
create trigger keep_prompt_figures_on_update after update on prompt
    for each row when (old.project_id is distinct from new.project_id or old.created_at is distinct from new.created_at)
    execute function keep_prompt_figures();

create function keep_demonstration_figures() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then perform add_daily_figures(old.project_id, utc_day(old.created_at), 0, -1, 0, 0, 0); end if;
    if tg_op <> 'DELETE' then perform add_daily_figures(new.project_id, utc_day(new.created_at), 0, 1, 0, 0, 0); end if;
    return null;
end $$;
create trigger keep_demonstration_figures after insert or delete on demonstration
    for each row execute function keep_demonstration_figures();
create trigger keep_demonstration_figures_on_update after update on demonstration
    for each row when (old.project_id is distinct from new.project_id or old.created_at is distinct from new.created_at)
    execute function keep_demonstration_figures();

create function keep_ranking_figures() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform add_daily_figures(old.project_id, utc_day(old.created_at), 0, 0, -1, -old.informative_pairs, 0);
    end if;
    if tg_op <> 'DELETE' then
        perform add_daily_figures(new.project_id, utc_day(new.created_at), 0, 0, 1, new.informative_pairs, 0);
    end if;
    return null;
end $$;
create trigger keep_ranking_figures after insert or delete on ranking
    for each row execute function keep_ranking_figures();
create trigger keep_ranking_figures_on_update after update on ranking
    for each row when (old.project_id is distinct from new.project_id or old.created_at is distinct from new.created_at
                       or old.informative_pairs is distinct from new.informative_pairs)
    execute function keep_ranking_figures();

-- A rating's project is its assignment's task's.
create function add_rating_figures(rating completion_rating, sign int) returns void
    language plpgsql as $$
declare
    project uuid;
begin
    select t.project_id into project
      from assignment a join task t on t.id = a.task_id where a.id = rating.assignment_id;
    if project is null then return; end if;
    perform add_daily_figures(project, utc_day(rating.created_at), 0, 0, 0, 0, sign);
    insert into project_flag_figures (project_id, flag, ratings)
    select project, x.flag, sign from jsonb_array_elements_text(rating.flags) x(flag);
end $$;

create function keep_rating_figures() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then perform add_rating_figures(old, -1); end if;
    if tg_op <> 'DELETE' then perform add_rating_figures(new, 1); end if;
    return null;
end $$;
create trigger keep_rating_figures after insert or delete on completion_rating
    for each row execute function keep_rating_figures();
create trigger keep_rating_figures_on_update after update on completion_rating
    for each row when (old.assignment_id is distinct from new.assignment_id or old.created_at is distinct from new.created_at
                       or old.flags is distinct from new.flags)
    execute function keep_rating_figures();

create function add_queue_figures(project uuid, type text, tasks bigint, slots bigint) returns void
    language sql as $$
    insert into project_queue_figures (project_id, type, open_tasks, open_slots)
    select $1, $2, $3, $4 where ($3, $4) <> (0, 0)
$$;

-- Leases and submissions update a task's slots and state: one row change each, old and new
-- contributions merged when the task stays in its project and type.
create function keep_queue_figures() returns trigger language plpgsql as $$
declare
    was_open boolean := tg_op <> 'INSERT' and old.state = 'OPEN';
    is_open  boolean := tg_op <> 'DELETE' and new.state = 'OPEN';
begin
    if was_open and is_open and old.project_id = new.project_id and old.type = new.type then
        perform add_queue_figures(new.project_id, new.type, 0,
            (new.answers_wanted - new.slots_taken) - (old.answers_wanted - old.slots_taken));
        return null;
    end if;
    if was_open then
        perform add_queue_figures(old.project_id, old.type, -1, -(old.answers_wanted - old.slots_taken));
    end if;
    if is_open then
        perform add_queue_figures(new.project_id, new.type, 1, new.answers_wanted - new.slots_taken);
    end if;
    return null;
end $$;
create trigger keep_queue_figures after insert or delete on task
    for each row execute function keep_queue_figures();
create trigger keep_queue_figures_on_update after update on task
    for each row when ((old.state = 'OPEN' or new.state = 'OPEN')
                       and (old.project_id, old.type, old.state, old.answers_wanted, old.slots_taken)
                           is distinct from (new.project_id, new.type, new.state, new.answers_wanted, new.slots_taken))
    execute function keep_queue_figures();

create function keep_agreement_figures() returns trigger language plpgsql as $$
begin
    -- refresh_project_figures rewrites these rows and recounts the sums itself.
    if current_setting('rlhf.refreshing_figures', true) = 'on' then return null; end if;
    if tg_op <> 'INSERT' then
        insert into project_agreement_figures (project_id, tasks, agreement_sum)
        values (old.project_id, -1, -old.agreement);
    end if;
    if tg_op <> 'DELETE' then
        insert into project_agreement_figures (project_id, tasks, agreement_sum)
        values (new.project_id, 1, new.agreement);
    end if;
    return null;
end $$;
create trigger keep_agreement_figures after insert or delete on task_ranking_agreement
    for each row execute function keep_agreement_figures();
create trigger keep_agreement_figures_on_update after update on task_ranking_agreement
    for each row when ((old.project_id, old.agreement) is distinct from (new.project_id, new.agreement))
    execute function keep_agreement_figures();

-- The recount of every task's agreement (V82), with the project's rankings found by a join to its
-- tasks: V82's "task_id in (select ... where project_id = $1)" sits beside "$1 is null or", so it
-- cannot become a join; PostgreSQL tests it per ranking against the tasks' ids, hashed while they fit
-- in work_mem (100k tasks) and by scanning all of them per ranking past that (quadratic: a 1M-task
-- project's recount ran for over 10 minutes without finishing).
create or replace function ranking_task_agreement_of(project uuid)
returns table (task_id uuid, agreement numeric, rankings bigint)
language sql stable as $$
with entries as (
    select r.task_id, r.id as ranking_id, e.completion_id, e.rank
    from task t join ranking r on r.task_id = t.id join ranking_entry e on e.ranking_id = r.id
    where $1 is null or t.project_id = $1
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

-- The agreement of one task's rankings: ranking_task_agreement_of narrowed to one task, the same
-- measure (no row with fewer than two rankings to compare). Change both together.
create function ranking_agreement_of_task(task uuid)
returns table (agreement numeric, rankings bigint)
language sql stable as $$
with entries as (
    select r.id as ranking_id, e.completion_id, e.rank
    from ranking r join ranking_entry e on e.ranking_id = r.id
    where r.task_id = $1
)
select avg(case when sign(a1.rank - b1.rank) = sign(a2.rank - b2.rank) then 1.0 else 0.0 end),
       count(distinct a1.ranking_id) + 1
from entries a1
join entries b1 on b1.ranking_id = a1.ranking_id and b1.completion_id > a1.completion_id
join entries a2 on a2.ranking_id > a1.ranking_id and a2.completion_id = a1.completion_id
join entries b2 on b2.ranking_id = a2.ranking_id and b2.completion_id = b1.completion_id
having count(*) > 0
$$;

-- Recounts one task's agreement row from its rankings (a handful of rows). The task row is locked
-- first, so two transactions changing rankings of one task recount one after the other, the later
-- one seeing the earlier one's rankings (submissions hold that lock already: they update the task).
create function recount_task_agreement(task uuid) returns void
    language plpgsql as $$
declare
    project uuid;
    measured record;
begin
    select t.project_id into project from task t where t.id = task for no key update;
    if project is null then return; end if;
    select * into measured from ranking_agreement_of_task(task);
    if measured.agreement is null then
        delete from task_ranking_agreement where task_id = task;
    else
        insert into task_ranking_agreement as a (task_id, project_id, agreement, rankings)
        values (task, project, measured.agreement, measured.rankings)
        on conflict (task_id) do update
            set project_id = excluded.project_id, agreement = excluded.agreement, rankings = excluded.rankings
            where (a.project_id, a.agreement, a.rankings)
                  is distinct from (excluded.project_id, excluded.agreement, excluded.rankings);
    end if;
end $$;

-- A ranking's entries are inserted after it in the same transaction: its agreement is recounted
-- at commit (a deferred trigger), once all are there. Entries written later on their own, and
-- any deletion, recount their task as well.
create function recount_agreement_of_ranking() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then perform recount_task_agreement(old.task_id); end if;
    if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.task_id is distinct from old.task_id) then
        perform recount_task_agreement(new.task_id);
    end if;
    return null;
end $$;
create constraint trigger recount_agreement_of_new_ranking after insert on ranking
    deferrable initially deferred
    for each row execute function recount_agreement_of_ranking();
create trigger recount_agreement_of_ranking after delete on ranking
    for each row execute function recount_agreement_of_ranking();
create trigger recount_agreement_of_moved_ranking after update on ranking
    for each row when (old.task_id is distinct from new.task_id)
    execute function recount_agreement_of_ranking();

create function recount_agreement_of_entry() returns trigger language plpgsql as $$
declare
    task uuid;
begin
    -- The entries of a ranking inserted by this transaction: its own deferred trigger, queued
    -- before theirs, recounts the task at commit with all of them.
    if tg_op = 'INSERT' and exists (select 1 from ranking r where r.id = new.ranking_id
                                     and r.xmin = pg_current_xact_id()::xid) then
        return null;
    end if;
    if tg_op <> 'INSERT' then
        select r.task_id into task from ranking r where r.id = old.ranking_id;
        if task is not null then perform recount_task_agreement(task); end if;
    end if;
    if tg_op <> 'DELETE' then
        select r.task_id into task from ranking r where r.id = new.ranking_id;
        if task is not null then perform recount_task_agreement(task); end if;
    end if;
    return null;
end $$;
create constraint trigger recount_agreement_of_entry after insert or update on ranking_entry
    deferrable initially deferred
    for each row execute function recount_agreement_of_entry();
create trigger recount_agreement_of_deleted_entry after delete on ranking_entry
    for each row execute function recount_agreement_of_entry();

create function keep_contractor_activity() returns trigger language plpgsql as $$
declare
    project uuid;
begin
    if tg_op = 'INSERT' then
        select t.project_id into project from task t where t.id = new.task_id;
        insert into project_contractor_activity (project_id, contractor_id, last_leased_at)
        values (project, new.contractor_id, new.leased_at);
        return null;
    end if;
    -- An assignment edited or deleted (the service does neither): recount the pairs it touched.
    perform recount_contractor_activity(t.project_id, old.contractor_id) from task t where t.id = old.task_id;
    if tg_op = 'UPDATE' then
        perform recount_contractor_activity(t.project_id, new.contractor_id) from task t where t.id = new.task_id;
    end if;
    return null;
end $$;

create function recount_contractor_activity(project uuid, contractor uuid) returns void
    language sql as $$
    delete from project_contractor_activity where project_id = $1 and contractor_id = $2;
    insert into project_contractor_activity (project_id, contractor_id, last_leased_at)
    select $1, $2, max(a.leased_at) from assignment a join task t on t.id = a.task_id
     where a.contractor_id = $2 and t.project_id = $1
    having max(a.leased_at) is not null;
$$;

create trigger keep_contractor_activity after insert or delete on assignment
    for each row execute function keep_contractor_activity();
create trigger keep_contractor_activity_on_update after update on assignment
    for each row when ((old.task_id, old.contractor_id, old.leased_at) is distinct from (new.task_id, new.contractor_id, new.leased_at))
    execute function keep_contractor_activity();

-- A task moved to another project (the service never does it) takes its agreement along.
create function move_task_agreement() returns trigger language plpgsql as $$
begin
    update task_ranking_agreement set project_id = new.project_id where task_id = new.id;
    return null;
end $$;
create trigger move_task_agreement after update on task
    for each row when (old.project_id is distinct from new.project_id)
    execute function move_task_agreement();

-- Recounts every figure of one project (null: of all) from its rows. Writers wait meanwhile (the
-- tables are locked against changes), so nothing is counted twice or missed while it runs. For
-- this migration and for bulk loads that ran without triggers; on a 1M-task project it takes as
-- long as the old dashboard's counts once (minutes), and nothing else needs it.
create function refresh_project_figures(project uuid) returns void
    language plpgsql as $$
begin
    lock table prompt, task, assignment, demonstration, ranking, ranking_entry, completion_rating
        in share mode;
    perform set_config('rlhf.refreshing_figures', 'on', true);

    delete from project_daily_figures where project is null or project_id = project;
    insert into project_daily_figures
        (project_id, day, prompts, demonstrations, rankings, informative_pairs, ratings)
    select l.project_id, l.day, sum(l.prompts), sum(l.demonstrations), sum(l.rankings),
           sum(l.pairs), sum(l.ratings)
      from (select p.project_id, utc_day(p.created_at) as day, 1 as prompts, 0 as demonstrations,
                   0 as rankings, 0 as pairs, 0 as ratings
              from prompt p where project is null or p.project_id = project
            union all
            select d.project_id, utc_day(d.created_at), 0, 1, 0, 0, 0
              from demonstration d where project is null or d.project_id = project
            union all
            select r.project_id, utc_day(r.created_at), 0, 0, 1, r.informative_pairs, 0
              from ranking r where project is null or r.project_id = project
            union all
            select t.project_id, utc_day(cr.created_at), 0, 0, 0, 0, 1
              from completion_rating cr join assignment a on a.id = cr.assignment_id
              join task t on t.id = a.task_id
             where project is null or t.project_id = project) l
     group by l.project_id, l.day;

    delete from project_flag_figures where project is null or project_id = project;
    insert into project_flag_figures (project_id, flag, ratings)
    select t.project_id, f.flag, count(*)
      from completion_rating cr join assignment a on a.id = cr.assignment_id
      join task t on t.id = a.task_id
      cross join jsonb_array_elements_text(cr.flags) f(flag)
     where project is null or t.project_id = project
     group by t.project_id, f.flag;

    delete from project_queue_figures where project is null or project_id = project;
    insert into project_queue_figures (project_id, type, open_tasks, open_slots)
    select t.project_id, t.type, count(*), sum(t.answers_wanted - t.slots_taken)
      from task t where t.state = 'OPEN' and (project is null or t.project_id = project)
     group by t.project_id, t.type;

    -- The per-task rows (their trigger is off meanwhile), then the project's sums from them.
    delete from task_ranking_agreement where project is null or project_id = project;
    insert into task_ranking_agreement (task_id, project_id, agreement, rankings)
    select a.task_id, t.project_id, a.agreement, a.rankings
      from ranking_task_agreement_of(project) a join task t on t.id = a.task_id;
    delete from project_agreement_figures where project is null or project_id = project;
    insert into project_agreement_figures (project_id, tasks, agreement_sum)
    select a.project_id, count(*), sum(a.agreement)
      from task_ranking_agreement a where project is null or a.project_id = project
     group by a.project_id;

    delete from project_contractor_activity where project is null or project_id = project;
    insert into project_contractor_activity (project_id, contractor_id, last_leased_at)
    select t.project_id, a.contractor_id, max(a.leased_at)
      from assignment a join task t on t.id = a.task_id
     where project is null or t.project_id = project
     group by t.project_id, a.contractor_id;
    perform set_config('rlhf.refreshing_figures', 'off', true);
end $$;

-- Folds the appended rows of each project and day (type, flag, contractor) into one; groups that
-- sum to nothing go. Safe beside writers and another compaction: the rows a statement deletes are
-- those its snapshot sees, rows committed meanwhile stay for the next round, and a row another
-- compaction deleted first is skipped. Returns the number of rows it removed.
create function compact_project_figures() returns bigint
    language plpgsql as $$
declare
    removed bigint := 0;
    n bigint;
begin
    with folded as (
        delete from project_daily_figures f
         using (select project_id, day from project_daily_figures group by project_id, day having count(*) > 1) g
         where f.project_id = g.project_id and f.day = g.day
        returning f.*),
    kept as (
        insert into project_daily_figures (project_id, day, prompts, demonstrations, rankings, informative_pairs, ratings)
        select project_id, day, sum(prompts), sum(demonstrations), sum(rankings), sum(informative_pairs), sum(ratings) from folded group by project_id, day
        having (sum(prompts), sum(demonstrations), sum(rankings), sum(informative_pairs), sum(ratings)) <> (0, 0, 0, 0, 0)
        returning 1)
    select (select count(*) from folded) - (select count(*) from kept) into n;
    removed := removed + n;
    with folded as (
        delete from project_flag_figures f
         using (select project_id, flag from project_flag_figures group by project_id, flag having count(*) > 1) g
         where f.project_id = g.project_id and f.flag = g.flag
        returning f.*),
    kept as (
        insert into project_flag_figures (project_id, flag, ratings)
        select project_id, flag, sum(ratings) from folded group by project_id, flag
        having sum(ratings) <> 0
        returning 1)
    select (select count(*) from folded) - (select count(*) from kept) into n;
    removed := removed + n;
    with folded as (
        delete from project_queue_figures f
         using (select project_id, type from project_queue_figures group by project_id, type having count(*) > 1) g
         where f.project_id = g.project_id and f.type = g.type
        returning f.*),
    kept as (
        insert into project_queue_figures (project_id, type, open_tasks, open_slots)
        select project_id, type, sum(open_tasks), sum(open_slots) from folded group by project_id, type
        having (sum(open_tasks), sum(open_slots)) <> (0, 0)
        returning 1)
    select (select count(*) from folded) - (select count(*) from kept) into n;
    removed := removed + n;
    with folded as (
        delete from project_agreement_figures f
         using (select project_id from project_agreement_figures group by project_id having count(*) > 1) g
         where f.project_id = g.project_id
        returning f.*),
    kept as (
        insert into project_agreement_figures (project_id, tasks, agreement_sum)
        select project_id, sum(tasks), sum(agreement_sum) from folded group by project_id
        having (sum(tasks), sum(agreement_sum)) <> (0, 0)
        returning 1)
    select (select count(*) from folded) - (select count(*) from kept) into n;
    removed := removed + n;
    with folded as (
        delete from project_contractor_activity f
         using (select project_id, contractor_id from project_contractor_activity group by project_id, contractor_id having count(*) > 1) g
         where f.project_id = g.project_id and f.contractor_id = g.contractor_id
        returning f.*),
    kept as (
        insert into project_contractor_activity (project_id, contractor_id, last_leased_at)
        select project_id, contractor_id, max(last_leased_at) from folded group by project_id, contractor_id
        returning 1)
    select (select count(*) from folded) - (select count(*) from kept) into n;
    removed := removed + n;
    return removed;
end $$;

select refresh_project_figures(null);

-- The agreement of every task, now read from the maintained rows (the export's minAgreement
-- filter reads it per task); ranking_task_agreement_of(project) remains the recount.
create or replace view ranking_task_agreement as
select task_id, agreement, rankings from task_ranking_agreement;
