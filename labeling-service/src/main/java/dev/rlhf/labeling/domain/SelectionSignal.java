package dev.rlhf.labeling.domain;

/** What gave a ranking task its selection score under a project's UNCERTAINTY selection. */
public enum SelectionSignal {
  /**
   * How unsure the project's reward model (and its check model) are about the task's pairs ({@code
   * RewardUncertainty}): the runtime scored the completions.
   */
  REWARD_MODEL,
  /**
   * How much the task's completions differ ({@code CompletionDiversity}): the fallback when the
   * project has no reward model to score with or scoring failed.
   */
  DIVERSITY
}
