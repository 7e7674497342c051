package dev.rlhf.launcher.alignment;

import dev.rlhf.launcher.alignment.AlignmentRun.Progress;
import dev.rlhf.launcher.alignment.AlignmentRun.Prompts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reward model of an earlier alignment run against the crew's judge, per question kind, from
 * the run's checkpoints alone (no platform): the versions it kept (the base, SFT, PPO) answer the
 * run's held-out prompts again, and every pair of distinct answers the judge tells apart is put to
 * the reward model. A run started since prints the same line with the DPO version's answers too.
 *
 * <p>Usage, as the benchmark is run: {@code DATA=<run data dir>
 * BENCH_MAIN=dev.rlhf.launcher.alignment.RewardAgreementCheck bench/alignment/run.sh <work dir>
 * <judge> <seed>} (default sizes).
 */
final class RewardAgreementCheck {

  private RewardAgreementCheck() {}

  public static void main(String[] args) throws Exception {
    // args[0] is the base checkpoint, as the benchmark's main gets it: the run has its own copy.
    Path data = Path.of(args[1]).toAbsolutePath();
    Judge judge = Judge.named(args[2]);
    long seed = Long.parseLong(args[3]);
    Progress progress =
        AlignmentRun.JSON.readValue(
            data.resolve("alignment-" + judge.name() + "-" + seed + ".json").toFile(),
            Progress.class);
    var prompts = Prompts.of(judge, seed, AlignmentRun.Sizes.DEFAULT).heldOut();
    Evaluation evaluation = new Evaluation(data.resolve("checkpoints"), judge, prompts, seed);
    List<Evaluation.Answers> answers = new ArrayList<>();
    for (String version : new String[] {"demo-base", progress.sft(), progress.ppo()}) {
      if (version != null) answers.add(evaluation.answers(version));
    }
    System.out.printf(
        "judge %s, seed %d: reward model %s against the judge on held-out answers: %s%n",
        judge.name(), seed, progress.rm(), evaluation.rewardAgreement(progress.rm(), answers));
  }
}
