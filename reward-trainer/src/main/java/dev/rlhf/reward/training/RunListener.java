package dev.rlhf.reward.training;

/** What a reward run tells the outside world while it trains, and how it learns to stop. */
public interface RunListener {

  /** After each optimizer step (1-based {@code step}); may throw to abort the run. */
  void onStep(long step, long totalSteps, StepMetrics metrics);

  /** After each held-out evaluation (every epoch end). */
  void onEvaluation(long step, long totalSteps, Evaluation evaluation);

  /** Polled every step: true stops the run without publishing. */
  default boolean cancelled() {
    return false;
  }

  /**
   * @param loss this step's weighted loss
   * @param accuracy share of this step's pairs ordered correctly
   * @param lr learning rate of the step
   */
  record StepMetrics(double loss, double accuracy, double lr) {}

  /**
   * @param epoch 1-based epoch just finished
   * @param loss held-out loss, weighted per prompt like training
   * @param accuracy share of held-out pairs whose chosen text scored strictly higher
   */
  record Evaluation(int epoch, double loss, double accuracy) {}
}
