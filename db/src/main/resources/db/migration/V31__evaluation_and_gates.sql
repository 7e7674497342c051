-- What a trainer says the researcher must know about a version (a reward-hacking guard that
-- stopped its run), its evaluation against its parent (policies), and the reason given when a
-- version was promoted although its evaluation did not pass.
alter table model_version
    add column warnings           jsonb not null default '[]',
    add column evaluation         jsonb,
    add column promotion_override text;

-- The reason a researcher gave for letting PPO use a reward model below the accuracy gate.
alter table training_cycle
    add column reward_gate_override text;
