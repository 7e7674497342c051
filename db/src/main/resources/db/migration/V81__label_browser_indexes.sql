-- The label browser pages labels newest first. Within a project each label table's index on
-- (project_id, created_at) serves it; these serve the browser across all projects and one
-- contractor's labels, which otherwise read and sort every label (seconds at a million labels).
create index ranking_created on ranking (created_at);
create index ranking_contractor on ranking (contractor_id, created_at);
create index demonstration_created on demonstration (created_at);
create index demonstration_contractor on demonstration (contractor_id, created_at);
