-- The retention job (labeling-service retention.RetentionJob) deletes old bookkeeping rows in
-- batches, oldest first; these indexes let each batch find its rows without reading the table.
-- Label events are never deleted (snapshots and lineage join them), so they are left out of the
-- outbox's index, which then stays small however many labels a project has.
create index outbox_event_prunable on outbox_event (published_at)
    where published_at is not null and event_type not in ('DemonstrationSubmitted', 'RankingSubmitted');
create index processed_event_processed_at on processed_event (processed_at);
create index idempotent_request_created_at on idempotent_request (created_at);
