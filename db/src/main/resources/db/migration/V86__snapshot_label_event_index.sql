-- Nothing looks a snapshot's labels up by event id alone (lineage goes through model_version_label,
-- a cycle's labels through the primary key's cycle_id), and a cycle start over 2M labels paid for
-- 2M insertions into this index of random uuids.
drop index cycle_snapshot_label_event;
