package dev.rlhf.labeling.domain;

/** How a project orders the ranking tasks it makes from completion requests (after priority). */
public enum Selection {
  /**
   * No selection: the tasks in the order the runtime's answers arrived, which says nothing about
   * the prompt (the default).
   */
  RANDOM,
  /**
   * First the prompts the project's reward model and its check model are least sure about ({@code
   * RewardUncertainty}), when the project has a reward model; otherwise, or when scoring failed,
   * those whose sampled completions differ most ({@code CompletionDiversity}). Each task records
   * which signal ordered it ({@link SelectionSignal}).
   */
  UNCERTAINTY
}
