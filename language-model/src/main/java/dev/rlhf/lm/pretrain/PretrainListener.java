package dev.rlhf.lm.pretrain;

/** Receives pretraining progress (a progress bar, a log, a training-progress event stream). */
public interface PretrainListener {

  /** After each optimizer step. */
  default void onStep(int step, int totalSteps, float loss, float lr) {}

  /** After each validation. */
  default void onEvaluation(int step, float trainLoss, float validationLoss) {}

  /** A sample generated from the current weights. */
  default void onSample(int step, String text) {}

  /** Ignores everything. */
  PretrainListener NONE = new PretrainListener() {};
}
