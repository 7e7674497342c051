-- Demonstration gold: a demonstration task's gold answer (gold_task.answer) is a checklist
-- ({"checklist": ["item", ...]}, no required pairs). A reviewer scores each contractor's answer to
-- it on that checklist: one verdict per item, in the checklist's order (true: met). The scores join
-- the contractor's gold accuracy.
alter table label_review add column checklist_scores jsonb;
