-- A cycle's snapshot is listed oldest label first (GET /api/cycles/{id}/labels, the console's
-- snapshot page). That order came from each label's outbox row: every page joined the whole
-- snapshot with the outbox and sorted it (seconds at a million labels). The snapshot row now
-- carries when its label was made, and an index serves the pages in that order.
alter table cycle_snapshot_label add column labelled_at timestamptz;
update cycle_snapshot_label l set labelled_at = o.created_at
  from outbox_event o where o.event_id = l.event_id;
create index cycle_snapshot_label_order on cycle_snapshot_label (cycle_id, labelled_at, event_id);
