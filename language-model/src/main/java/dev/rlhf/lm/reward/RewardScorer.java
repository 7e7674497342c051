package dev.rlhf.lm.reward;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.lm.GradMode;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.tokenizer.ChatTemplate;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.tokenizer.Turn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A frozen reward model that scores completions: a checkpoint of kind REWARD whose network carries
 * a reward head, read at the {@code <|reward|>} token the chat template appends after the
 * completion (the input the reward trainer trained it on). It uses its own tokenizer, so the policy
 * that wrote the completions need not share it. Scoring runs without gradients.
 */
public final class RewardScorer implements AutoCloseable {

  /**
   * Directory of a published reward model's independent check model, inside its checkpoint
   * (reward-trainer writes it; PPO and the runtime's selection read it).
   */
  public static final String CHECK_MODEL = "check";

  private final LanguageModel network;
  private final ChatTemplate template;

  private RewardScorer(LanguageModel network) {
    this.network = network;
    this.template = network.chatTemplate();
  }

  /**
   * Loads the reward model of a checkpoint directory.
   *
   * @throws IllegalArgumentException when the checkpoint is not a reward model with a reward head
   */
  public static RewardScorer load(Path checkpoint, Device device) {
    CheckpointKind kind = Checkpoints.readMetadata(checkpoint).kind();
    if (kind != CheckpointKind.REWARD) {
      throw new IllegalArgumentException(checkpoint + " is a " + kind + " checkpoint, not REWARD");
    }
    LanguageModel network = Checkpoints.load(checkpoint, device);
    if (!network.hasRewardHead()) {
      network.close();
      throw new IllegalArgumentException(checkpoint + " has no reward head");
    }
    return new RewardScorer(network);
  }

  /** A scorer over a network that has a reward head; closing the scorer closes the network. */
  public static RewardScorer of(LanguageModel network) {
    if (!network.hasRewardHead()) {
      throw new IllegalArgumentException("the network has no reward head");
    }
    return new RewardScorer(network);
  }

  /** The scalar reward of each completion of one conversation, in their order. */
  public double[] score(List<Turn> conversation, List<String> completions) {
    return scoreEach(completions.stream().map(c -> conversation).toList(), completions);
  }

  /**
   * The scalar reward of each completion after its own conversation, in one batch. A sequence
   * longer than the context keeps its end: the reward token must be read, and it sees the
   * completion before it.
   */
  public double[] scoreEach(List<List<Turn>> conversations, List<String> completions) {
    if (conversations.size() != completions.size()) {
      throw new IllegalArgumentException("one conversation per completion");
    }
    if (completions.isEmpty()) return new double[0];
    int context = network.config().blockSize();
    List<int[]> sequences = new ArrayList<>();
    long[] readAt = new long[completions.size()];
    for (int i = 0; i < completions.size(); i++) {
      int[] tokens = template.rewardInput(conversations.get(i), completions.get(i)).tokens();
      if (tokens.length > context) {
        tokens = Arrays.copyOfRange(tokens, tokens.length - context, tokens.length);
      }
      sequences.add(tokens);
      readAt[i] = tokens.length - 1;
    }
    int width = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
    // Right padding: the causal mask keeps pads after a sequence from reaching its reward token.
    long[] ids = new long[sequences.size() * width];
    Arrays.fill(ids, network.tokenizer().specialId(SpecialToken.END_OF_TEXT));
    for (int b = 0; b < sequences.size(); b++) {
      int[] s = sequences.get(b);
      for (int t = 0; t < s.length; t++) ids[b * width + t] = s[t];
    }
    try (GradMode.Scope off = GradMode.off();
        NDManager step = network.manager().newSubManager()) {
      NDArray tokens = step.create(ids, new Shape(sequences.size(), width)); // (B, T)
      NDArray hidden = network.hidden(tokens, null, false); // (B, T, C)
      float[] scores = network.rewards(hidden, readAt, false).toFloatArray(); // (B)
      double[] out = new double[scores.length];
      for (int i = 0; i < scores.length; i++) out[i] = scores[i];
      return out;
    }
  }

  @Override
  public void close() {
    network.close();
  }
}
