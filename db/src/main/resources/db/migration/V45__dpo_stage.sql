-- DPO joins the stages a cycle may run (after SFT, beside REWARD and PPO). The constraint is
-- PostgreSQL's default name for V20's inline check.
alter table training_run drop constraint training_run_stage_check;
alter table training_run
    add constraint training_run_stage_check check (stage in ('SFT', 'REWARD', 'PPO', 'DPO'));
