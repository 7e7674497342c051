-- Active selection by the reward model. A completion request of a project under UNCERTAINTY
-- selection names the project's newest reward model (null: none to score with); the runtime scores
-- the completions with it and its check model; the ranking task's selection score is then how
-- unsure they are about its pairs, and the task says which signal ordered it.
alter table completion_request add column reward_version text;

-- Scalar rewards of a completion by the reward model its request named, and by that model's check
-- model; null when unscored (no reward model, scoring failed, or not from a request).
alter table completion add column reward_score double precision;
alter table completion add column check_reward_score double precision;

-- What ordered a task under UNCERTAINTY: REWARD_MODEL (the reward models' uncertainty about its
-- pairs) or DIVERSITY (how much its completions differ: the fallback without reward scores); null
-- for tasks that were not scored. selection_reward_version is the reward model that scored it.
alter table task add column selection_signal text
    check (selection_signal in ('REWARD_MODEL', 'DIVERSITY'));
alter table task add column selection_reward_version text;
