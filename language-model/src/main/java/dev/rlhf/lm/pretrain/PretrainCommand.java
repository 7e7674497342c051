package dev.rlhf.lm.pretrain;

import dev.rlhf.lm.demo.DemoCorpus;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.SpecialToken;
import dev.rlhf.lm.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Command-line pretraining:
 *
 * <pre>
 * java dev.rlhf.lm.pretrain.PretrainCommand --corpus corpus.txt --out checkpoints/base \
 *     --steps 2000 --batch 16 --context 128 --layers 4 --heads 4 --width 128 --lr 1e-3 --seed 1
 * </pre>
 *
 * <p>The corpus file holds documents separated by {@code <|endoftext|>}; {@code --corpus demo}
 * generates the demo corpus ({@code --documents} of them) instead.
 */
public final class PretrainCommand {

  private PretrainCommand() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> o = parse(args);
    Tokenizer tokenizer = Tokenizer.byName(o.getOrDefault("tokenizer", "byte"));
    GptConfig config =
        new GptConfig(
            intOpt(o, "layers", 4),
            intOpt(o, "heads", 4),
            intOpt(o, "width", 128),
            intOpt(o, "context", 128),
            tokenizer.vocabSize(),
            Float.parseFloat(o.getOrDefault("dropout", "0")),
            true,
            true);
    int steps = intOpt(o, "steps", 2000);
    long seed = Long.parseLong(o.getOrDefault("seed", "1"));
    PretrainOptions defaults =
        PretrainOptions.defaults(config, steps, intOpt(o, "batch", 16), seed);
    float lr = Float.parseFloat(o.getOrDefault("lr", String.valueOf(defaults.lr())));
    PretrainOptions options =
        new PretrainOptions(
            config,
            steps,
            defaults.batch(),
            lr,
            lr / 10,
            defaults.warmupSteps(),
            defaults.weightDecay(),
            defaults.gradClip(),
            defaults.evalEvery(),
            defaults.evalBatches(),
            defaults.sampleEvery(),
            seed,
            defaults.validationFraction());
    String corpus = required(o, "corpus");
    List<String> documents;
    String description;
    if (corpus.equals("demo")) {
      int count = intOpt(o, "documents", 20000);
      documents = new DemoCorpus(seed).documents(count);
      description = "demo corpus, seed " + seed + ", " + count + " documents";
    } else {
      documents =
          Arrays.stream(
                  Files.readString(Path.of(corpus)).split(SpecialToken.END_OF_TEXT.text(), -1))
              .filter(d -> !d.isBlank())
              .toList();
      description = "file " + corpus;
    }
    Path out = Path.of(required(o, "out"));
    try (ProgressBar bar =
        new ProgressBarBuilder().setTaskName("pretrain").setInitialMax(steps).build()) {
      Pretrainer.Result r =
          new Pretrainer(options, tokenizer, progressBarListener(bar))
              .run(documents, description, out, o.getOrDefault("version", "base"));
      System.out.printf(
          "%nsaved %s: val loss %.3f -> %.3f in %.0f s (%.0f tokens/s)%n",
          r.checkpoint(),
          r.initialValidationLoss(),
          r.validationLoss(),
          r.seconds(),
          r.tokensPerSecond());
    }
  }

  /** Shows steps and loss on {@code bar}; prints evaluations and samples to standard output. */
  public static PretrainListener progressBarListener(ProgressBar bar) {
    return new PretrainListener() {
      @Override
      public void onStep(int step, int totalSteps, float loss, float lr) {
        bar.stepTo(step);
        bar.setExtraMessage(String.format(" loss %.3f lr %.1e", loss, lr));
      }

      @Override
      public void onEvaluation(int step, float trainLoss, float validationLoss) {
        System.out.printf(
            "%nstep %d: train loss %.3f, val loss %.3f%n", step, trainLoss, validationLoss);
      }

      @Override
      public void onSample(int step, String text) {
        System.out.printf("%n--- sample at step %d ---%n%s%n", step, text);
      }
    };
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      o.put(args[i].substring(2), args[++i]);
    }
    return o;
  }

  private static String required(Map<String, String> o, String name) {
    String v = o.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  private static int intOpt(Map<String, String> o, String name, int fallback) {
    return o.containsKey(name) ? Integer.parseInt(o.get(name)) : fallback;
  }
}
