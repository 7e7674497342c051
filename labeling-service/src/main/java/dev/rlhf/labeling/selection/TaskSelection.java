package dev.rlhf.labeling.selection;

import dev.rlhf.labeling.domain.Completion;
import dev.rlhf.labeling.domain.SelectionSignal;
import dev.rlhf.labeling.domain.Task;
import java.util.List;

/** Gives a ranking task of an UNCERTAINTY project its selection score and the signal behind it. */
public final class TaskSelection {

  private TaskSelection() {}

  /**
   * The reward models' uncertainty when a reward model scored every completion of the task,
   * otherwise the completions' diversity.
   *
   * @param rewardVersion the reward model that scored the completions, or null
   */
  public static void score(Task task, List<Completion> completions, String rewardVersion) {
    boolean scored =
        rewardVersion != null && completions.stream().allMatch(c -> c.rewardScore != null);
    if (scored) {
      List<Double> check =
          completions.stream().allMatch(c -> c.checkRewardScore != null)
              ? completions.stream().map(c -> c.checkRewardScore).toList()
              : List.of();
      task.selectionScore =
          RewardUncertainty.of(completions.stream().map(c -> c.rewardScore).toList(), check);
      task.selectionSignal = SelectionSignal.REWARD_MODEL;
      task.selectionRewardVersion = rewardVersion;
    } else {
      task.selectionScore = CompletionDiversity.of(completions.stream().map(c -> c.text).toList());
      task.selectionSignal = SelectionSignal.DIVERSITY;
      task.selectionRewardVersion = null;
    }
  }
}
