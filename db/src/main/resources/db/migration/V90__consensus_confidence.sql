-- The confidence a cycle's trust rule asked of a figure before flagging a contractor (how sure,
-- given the gold answers or comparisons it rests on, that it is under its threshold). Null for
-- cycles frozen before the rule weighed evidence: they flagged on the figure alone.
alter table cycle_consensus add column confidence double precision;
