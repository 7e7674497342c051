package dev.rlhf.labeling.domain;

/** What a contractor does for a task. */
public enum TaskType {
  /** Write the ideal assistant response to the prompt. */
  DEMONSTRATION,
  /** Order the task's completions from best to worst (ties allowed), or say all are bad. */
  RANKING,
  /** Write the correct response to a conversation a deployed model got wrong. */
  CORRECTION,
  /** Blind A/B: say which of two completions from different policy versions is better. */
  COMPARISON;

  /** Ranking-like tasks are answered with a ranking; the others with a demonstration. */
  public boolean isRanking() {
    return this == RANKING || this == COMPARISON;
  }
}
