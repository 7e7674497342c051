package dev.rlhf.policy.dpo;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.rlhf.events.contract.TrainingMetrics;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.tokenizer.Turn;
import dev.rlhf.lm.train.DataParallel;
import dev.rlhf.lm.train.Scalars;
import dev.rlhf.lm.train.Shard;
import dev.rlhf.policy.config.DpoConfig;
import dev.rlhf.policy.eval.SampledAnswers;
import dev.rlhf.policy.sft.SftExample;
import dev.rlhf.policy.sft.SftTrainer;
import dev.rlhf.policy.train.FineTuningLoop;
import dev.rlhf.policy.train.LoopState;
import dev.rlhf.policy.train.ProgressListener;
import dev.rlhf.policy.train.RunCheckpoint;
import dev.rlhf.training.preferences.PreferenceDataset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Direct preference optimisation: the policy, started from the SFT version, learns from the pairs
 * of the snapshot's rankings against the same SFT version frozen as its reference. A step is one
 * teacher-forced pass over every distinct completion of a batch of prompts, chosen and rejected
 * alike (one pass per {@link LengthBuckets length bucket}), then {@link DpoLoss} over their pairs.
 * Validations measure the held-out pairs (loss, implicit-reward accuracy and margin,
 * log-probabilities of both sides) and the KL of the policy's own answers to the reference; the
 * {@link FineTuningLoop} keeps the weights of the lowest held-out loss, checkpoints and resumes.
 *
 * <p>With {@code ptxCoef} above 0 and demonstrations given, each step also pays that weight times
 * the language-modelling loss on as many demonstrations as the step has distinct responses, drawn
 * by the step's seed (so a resumed run draws the same ones), as PPO's ptx term does.
 */
public final class DpoTrainer {

  /** The run's state file in its work directory. */
  public static final String STATE_FILE = "dpo-state.json";

  /**
   * The mean log-probability of the held-out chosen responses under the reference, in the published
   * metrics: what {@link TrainingMetrics#HELDOUT_LOGP_CHOSEN} is compared with.
   */
  public static final String REFERENCE_LOGP_CHOSEN = "reference_logp_chosen";

  /** Held-out prompts answered at each validation to estimate the KL to the reference. */
  static final int KL_PROMPTS = 16;

  private static final int SAMPLES = 2;

  /**
   * @param metrics the kept weights' held-out figures and the run's counts, as published
   * @param warnings what the researcher must know: the chosen responses became less likely
   * @param steps steps taken (fewer than configured after an early stop)
   * @param keptStep the step whose weights the policy holds
   */
  public record Result(
      Map<String, Double> metrics, List<String> warnings, int steps, int keptStep) {}

  private final DpoConfig config;
  private final ProgressListener listener;
  private final List<SftExample> demonstrations;
  private final List<Device> devices;

  /** A trainer without demonstrations: no ptx term whatever {@code ptxCoef} says. */
  public DpoTrainer(DpoConfig config, ProgressListener listener) {
    this(config, listener, List.of());
  }

  /**
   * @param demonstrations what the ptx term trains on (SFT's training examples of the snapshot)
   */
  public DpoTrainer(DpoConfig config, ProgressListener listener, List<SftExample> demonstrations) {
    this(config, listener, demonstrations, List.of());
  }

  /**
   * @param devices the training devices, data-parallel (the first is the policy's); empty: the
   *     policy's alone
   */
  public DpoTrainer(
      DpoConfig config,
      ProgressListener listener,
      List<SftExample> demonstrations,
      List<Device> devices) {
    this.config = config;
    this.listener = listener;
    this.demonstrations = List.copyOf(demonstrations);
    this.devices = List.copyOf(devices);
  }

  /** Steps of a run over {@code trainPrompts} prompts. */
  public int steps(int trainPrompts) {
    return config.epochs() * stepsPerEpoch(trainPrompts);
  }

  private int stepsPerEpoch(int trainPrompts) {
    return (trainPrompts + config.promptsPerBatch() - 1) / config.promptsPerBatch();
  }

  /**
   * Trains {@code policy} in place against the frozen {@code reference}, from {@code state} (saved
   * in {@code checkpoint} unless it is the start).
   */
  public Result train(
      LanguageModel policy,
      LanguageModel reference,
      PreferenceDataset data,
      LoopState state,
      RunCheckpoint<LoopState> checkpoint) {
    if (data.train().isEmpty()) {
      throw new IllegalArgumentException(
          "no preference pairs to train on: every ranking of the snapshot is a tie");
    }
    List<EncodedPreferences.Prompt> train =
        EncodedPreferences.encode(data.train(), reference, config.promptsPerBatch());
    List<EncodedPreferences.Prompt> heldOut =
        EncodedPreferences.encode(data.heldOut(), reference, config.promptsPerBatch());
    Objective objective = new Objective(policy, reference, train, heldOut);
    FineTuningLoop.Settings settings =
        new FineTuningLoop.Settings(
            "DPO",
            steps(train.size()),
            config.lr(),
            config.minLr(),
            config.warmupSteps(),
            config.weightDecay(),
            config.gradClip(),
            config.evalEvery(),
            config.patience(),
            true);
    FineTuningLoop.Result r =
        new FineTuningLoop(settings, listener, devices).run(policy, objective, state, checkpoint);
    Map<String, Double> metrics = new LinkedHashMap<>(r.state().bestMetrics());
    metrics.put(TrainingMetrics.TRAIN_PAIRS, (double) data.trainPairs());
    metrics.put(TrainingMetrics.HELDOUT_PAIRS, (double) data.heldOutPairs());
    metrics.put("initial_heldout_loss", (double) r.state().initialValidationLoss());
    metrics.put(REFERENCE_LOGP_CHOSEN, objective.referenceChosen);
    metrics.put("kept_step", (double) r.keptStep());
    return new Result(
        metrics,
        warnings(metrics, objective.referenceChosen, config.maxChosenLogpDrop()),
        r.steps(),
        r.keptStep());
  }

  /** Whether the held-out chosen responses lost more than {@code allowance} nats each. */
  static boolean chosenFalling(double chosen, double referenceChosen, float allowance) {
    return chosen < referenceChosen - allowance;
  }

  /** What the researcher must be told about the kept weights' held-out figures. */
  static List<String> warnings(Map<String, Double> kept, double referenceChosen, float allowance) {
    if (kept.getOrDefault(TrainingMetrics.CHOSEN_LOGP_FALLING, 0.0) == 0) return List.of();
    return List.of(
        String.format(
            Locale.ROOT,
            "the held-out chosen responses became less likely than under the reference: %.1f"
                + " nats per response against %.1f (more than the allowed %.1f lower). Both sides of"
                + " the pairs lost probability, which went to text nobody ranked; a larger beta,"
                + " fewer epochs or labelSmoothing usually keep it",
            kept.get(TrainingMetrics.HELDOUT_LOGP_CHOSEN),
            referenceChosen,
            allowance));
  }

  /** The steps and validations of one run. */
  private final class Objective implements FineTuningLoop.Objective {

    private final LanguageModel policy;
    private final LanguageModel reference;
    private final List<EncodedPreferences.Prompt> train;
    private final List<EncodedPreferences.Prompt> heldOut;
    private final List<List<Turn>> klPrompts;
    private final double referenceChosen;
    private final DpoLoss loss = new DpoLoss(config);
    private final int pad;
    private List<String> samples = List.of();

    Objective(
        LanguageModel policy,
        LanguageModel reference,
        List<EncodedPreferences.Prompt> train,
        List<EncodedPreferences.Prompt> heldOut) {
      this.policy = policy;
      this.reference = reference;
      this.train = train;
      this.heldOut = heldOut;
      this.pad = policy.tokenizer().specialId(SpecialToken.END_OF_TEXT);
      this.klPrompts =
          heldOut.stream().limit(KL_PROMPTS).map(p -> p.source().conversation()).toList();
      double sum = 0;
      int pairs = 0;
      for (EncodedPreferences.Prompt p : heldOut) {
        for (int c : p.source().chosen()) sum += p.reference()[c];
        pairs += p.source().pairCount();
      }
      this.referenceChosen = pairs == 0 ? Double.NaN : sum / pairs;
    }

    /**
     * A shard holds some of the batch's prompts with all their responses; its figures are sums over
     * its pairs divided by the batch's pairs, so the shards' figures add up to the batch's means.
     */
    @Override
    public DataParallel.Part loss(LanguageModel replica, NDManager m, int step, Shard shard) {
      int perEpoch = stepsPerEpoch(train.size());
      List<EncodedPreferences.Prompt> batch = batch(step / perEpoch, step % perEpoch);
      List<EncodedPreferences.Prompt> mine = shard.of(batch);
      if (mine.isEmpty()) return null;
      Pass pass = pass(replica, m, mine, true);
      int pairs = batch.stream().mapToInt(p -> p.source().pairCount()).sum();
      NDArray loss = shard.scaled(pass.terms.loss(), pass.rows.pairs(), pairs);
      NDArray total = loss;
      Map<String, NDArray> figures = new LinkedHashMap<>();
      if (config.ptxCoef() > 0 && !demonstrations.isEmpty()) {
        int responses = batch.stream().mapToInt(p -> p.responses().size()).sum();
        NDArray ptx = SftTrainer.shardLoss(replica, ptxBatch(step, responses), shard, pad, m);
        if (ptx != null) {
          total = total.add(Scalars.mul(ptx, config.ptxCoef()));
          figures.put(TrainingMetrics.PTX_LOSS, ptx);
        }
      }
      figures.put(TrainingMetrics.LOSS, loss);
      figures.put(TrainingMetrics.ACCURACY, Scalars.div(pass.correct().sum(), pairs));
      figures.put(TrainingMetrics.REWARD_MARGIN, Scalars.div(pass.terms.margins().sum(), pairs));
      figures.put(TrainingMetrics.LOGP_CHOSEN, Scalars.div(pass.chosenLogProbs().sum(), pairs));
      figures.put(TrainingMetrics.LOGP_REJECTED, Scalars.div(pass.rejectedLogProbs().sum(), pairs));
      return new DataParallel.Part(total, figures);
    }

    /** {@code size} demonstrations drawn by the step's own seed. */
    private List<SftExample> ptxBatch(int step, int size) {
      Random random = new Random(config.seed() * 1_000_003L + 7_919L * step + 1);
      List<SftExample> batch = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        batch.add(demonstrations.get(random.nextInt(demonstrations.size())));
      }
      return batch;
    }

    /** The {@code index}-th batch of an epoch; each epoch has its own seeded order of prompts. */
    private List<EncodedPreferences.Prompt> batch(int epoch, int index) {
      List<EncodedPreferences.Prompt> order = new ArrayList<>(train);
      Collections.shuffle(order, new Random(config.seed() * 1_000_003L + epoch));
      int from = index * config.promptsPerBatch();
      return order.subList(from, Math.min(order.size(), from + config.promptsPerBatch()));
    }

    @Override
    public FineTuningLoop.Validation validate() {
      if (heldOut.isEmpty()) return new FineTuningLoop.Validation(Float.NaN, Map.of());
      double loss = 0, correct = 0, margin = 0, chosen = 0, rejected = 0;
      int pairs = 0;
      for (int from = 0; from < heldOut.size(); from += config.promptsPerBatch()) {
        int to = Math.min(heldOut.size(), from + config.promptsPerBatch());
        try (NDManager m = policy.manager().newSubManager()) {
          Pass pass = pass(policy, m, heldOut.subList(from, to), false);
          loss += pass.terms.perPair().sum().getFloat();
          correct += pass.correct().sum().getFloat();
          margin += pass.terms.margins().sum().getFloat();
          chosen += pass.chosenLogProbs().sum().getFloat();
          rejected += pass.rejectedLogProbs().sum().getFloat();
          pairs += pass.rows.pairs();
        }
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put(TrainingMetrics.HELDOUT_LOSS, loss / pairs);
      metrics.put(TrainingMetrics.HELDOUT_ACCURACY, correct / pairs);
      metrics.put(TrainingMetrics.HELDOUT_REWARD_MARGIN, margin / pairs);
      metrics.put(TrainingMetrics.HELDOUT_LOGP_CHOSEN, chosen / pairs);
      metrics.put(TrainingMetrics.HELDOUT_LOGP_REJECTED, rejected / pairs);
      boolean falling = chosenFalling(chosen / pairs, referenceChosen, config.maxChosenLogpDrop());
      metrics.put(TrainingMetrics.CHOSEN_LOGP_FALLING, falling ? 1.0 : 0.0);
      metrics.put(TrainingMetrics.KL, kl());
      return new FineTuningLoop.Validation((float) (loss / pairs), metrics);
    }

    /** The policy's own answers to held-out prompts (also the samples shown), scored by both. */
    private double kl() {
      List<int[]> encoded = SampledAnswers.encode(policy, klPrompts);
      List<Completion> answers =
          SampledAnswers.sample(policy, encoded, config.maxNewTokens(), config.seed());
      samples = answers.stream().limit(SAMPLES).map(Completion::text).toList();
      return SampledAnswers.meanKl(policy, reference, encoded, answers);
    }

    @Override
    public List<String> samples() {
      return samples;
    }

    private Pass pass(
        LanguageModel network,
        NDManager m,
        List<EncodedPreferences.Prompt> prompts,
        boolean training) {
      EncodedPreferences.Rows rows = EncodedPreferences.Rows.of(prompts);
      NDArray logProbs =
          LengthBuckets.sequenceLogProbs(
              network, rows.rows(), LengthBuckets.of(rows.rows()), m, training); // (R)
      NDArray chosen = m.create(rows.chosen());
      NDArray rejected = m.create(rows.rejected());
      DpoLoss.Terms terms =
          loss.compute(
              logProbs,
              m.create(rows.reference()),
              m.create(rows.lengths()),
              chosen,
              rejected,
              m.create(rows.weights()));
      return new Pass(rows, logProbs, chosen, rejected, terms);
    }
  }

  /** One pass's rows, their log-probabilities under the policy and the pairs' loss terms. */
  private record Pass(
      EncodedPreferences.Rows rows,
      NDArray logProbs,
      NDArray chosenRows,
      NDArray rejectedRows,
      DpoLoss.Terms terms) {

    NDArray chosenLogProbs() {
      return logProbs.get(new NDIndex("{}", chosenRows));
    }

    NDArray rejectedLogProbs() {
      return logProbs.get(new NDIndex("{}", rejectedRows));
    }

    /** 1 for each pair whose chosen response has the higher implicit reward, else 0. */
    NDArray correct() {
      return terms.margins().gt(0).toType(DataType.FLOAT32, false);
    }
  }
}
