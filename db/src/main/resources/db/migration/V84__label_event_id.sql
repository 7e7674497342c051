-- The id of the event that announced each label (its own event, never a correction's), kept on
-- the label's row: a training snapshot selects it with the labels instead of finding each label's
-- event in the outbox by its payload (two million index probes into the outbox at 1M tasks).
alter table demonstration add column event_id uuid;
alter table ranking add column event_id uuid;

update demonstration x set event_id = o.event_id
  from outbox_event o
 where coalesce(o.payload ->> 'demonstrationId', o.payload ->> 'rankingId') = x.id::text
   and o.event_type = 'DemonstrationSubmitted'
   and not exists (select 1 from label_review v where v.correction_event_id = o.event_id);

update ranking x set event_id = o.event_id
  from outbox_event o
 where coalesce(o.payload ->> 'demonstrationId', o.payload ->> 'rankingId') = x.id::text
   and o.event_type = 'RankingSubmitted'
   and not exists (select 1 from label_review v where v.correction_event_id = o.event_id);
