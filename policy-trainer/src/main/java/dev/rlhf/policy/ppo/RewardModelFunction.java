package dev.rlhf.policy.ppo;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.policy.train.PaddedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reward model as a reward: a checkpoint of kind REWARD whose network carries a reward head,
 * read at the {@code <|reward|>} token appended after the completion (the chat template's reward
 * input). It uses its own tokenizer, so policy and reward model need not share one. It runs without
 * gradients: it is frozen.
 */
public final class RewardModelFunction implements RewardFunction {

  private final LanguageModel network;
  private final ChatTemplate template;

  private RewardModelFunction(LanguageModel network) {
    this.network = network;
    this.template = network.chatTemplate();
  }

  /** Loads the reward model of a checkpoint directory. */
  public static RewardModelFunction load(Path checkpoint, Device device) {
    CheckpointKind kind = Checkpoints.readMetadata(checkpoint).kind();
    if (kind != CheckpointKind.REWARD) {
      throw new IllegalArgumentException(checkpoint + " is a " + kind + " checkpoint, not REWARD");
    }
    LanguageModel network = Checkpoints.load(checkpoint, device);
    if (!network.hasRewardHead()) {
      network.close();
      throw new IllegalArgumentException(checkpoint + " has no reward head");
    }
    return new RewardModelFunction(network);
  }

  @Override
  public double[] score(List<List<Turn>> prompts, List<String> completions) {
    int context = network.config().blockSize();
    List<int[]> sequences = new ArrayList<>();
    long[] readAt = new long[completions.size()];
    for (int i = 0; i < completions.size(); i++) {
      ChatTemplate.RewardInput input = template.rewardInput(prompts.get(i), completions.get(i));
      int[] tokens = input.tokens();
      if (tokens.length > context) {
        // Keep the end: the reward token must be read, and it sees the completion before it.
        tokens = java.util.Arrays.copyOfRange(tokens, tokens.length - context, tokens.length);
      }
      sequences.add(tokens);
      readAt[i] = tokens.length - 1;
    }
    int pad = network.tokenizer().specialId(SpecialToken.END_OF_TEXT);
    try (NDManager step = network.manager().newSubManager()) {
      NDArray ids = PaddedBatch.of(sequences, pad).toArray(step); // (B, T)
      NDArray hidden = network.hidden(ids, null, false); // (B, T, C)
      float[] scores = network.rewards(hidden, readAt, false).toFloatArray(); // (B)
      double[] out = new double[scores.length];
      for (int i = 0; i < scores.length; i++) {
        out[i] = scores[i];
      }
      return out;
    }
  }

  @Override
  public void close() {
    network.close();
  }
}
