-- Informative preference pairs: what a reward model learns from (two completions of different
-- rank and different text, or the better response of an "all bad" ranking over a completion of
-- another text; events' PreferencePairs is the rule). Each ranking keeps its count, written when
-- it is submitted; the rankings made before this column are counted here by the same rule.
alter table ranking
    add column informative_pairs int not null default 0 check (informative_pairs >= 0);

update ranking r set informative_pairs =
    (select count(*)
       from ranking_entry a
       join completion ca on ca.id = a.completion_id
       join ranking_entry b on b.ranking_id = a.ranking_id and a.completion_id < b.completion_id
       join completion cb on cb.id = b.completion_id
      where a.ranking_id = r.id and a.rank <> b.rank and ca.text <> cb.text)
  + case when r.all_bad and coalesce(btrim(r.better_response), '') <> ''
         then (select count(*)
                 from ranking_entry e
                 join completion c on c.id = e.completion_id
                where e.ranking_id = r.id and c.text <> r.better_response)
         else 0 end;

-- A cycle's informative pairs, counted when its snapshot is frozen, and what the researcher was
-- warned of when it started (too few pairs for a reward model).
alter table training_cycle
    add column informative_pairs bigint not null default 0,
    add column warnings          jsonb  not null default '[]';

update training_cycle t set informative_pairs =
    (select coalesce(sum(r.informative_pairs), 0)
       from cycle_snapshot_label s
       join outbox_event o on o.event_id = s.event_id
       join ranking r on r.id = (o.payload ->> 'rankingId')::uuid
      where s.cycle_id = t.id and s.label_type = 'RANKING');
