package dev.rlhf.labeling.domain;

/** How a project orders the ranking tasks it makes from completion requests (after priority). */
public enum Selection {
  /**
   * No selection: the tasks in the order the runtime's answers arrived, which says nothing about
   * the prompt (the default).
   */
  RANDOM,
  /** First the prompts whose sampled completions differ most ({@code CompletionDiversity}). */
  UNCERTAINTY
}
