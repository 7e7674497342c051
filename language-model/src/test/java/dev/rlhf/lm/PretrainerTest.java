package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.demo.DemoCorpus;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.pretrain.PretrainListener;
import dev.rlhf.lm.pretrain.PretrainOptions;
import dev.rlhf.lm.pretrain.Pretrainer;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.SpecialToken;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainerTest {

  @TempDir Path dir;

  @Test
  void shouldLearnTheDemoCorpusFormatInAFewHundredSteps() {
    ByteTokenizer tokenizer = new ByteTokenizer();
    GptConfig config = new GptConfig(2, 2, 64, 64, tokenizer.vocabSize(), 0f, true, true);
    PretrainOptions options =
        new PretrainOptions(config, 250, 16, 3e-3f, 3e-4f, 25, 0.1f, 1f, 125, 4, 0, 7, 0.05);
    List<String> samples = new ArrayList<>();
    PretrainListener listener =
        new PretrainListener() {
          @Override
          public void onSample(int step, String text) {
            samples.add(text);
          }
        };
    Pretrainer.Result result =
        new Pretrainer(options, tokenizer, listener)
            .run(new DemoCorpus(7).documents(3000), "demo corpus for a test", dir, "base-test");

    assertThat(result.initialValidationLoss()).isGreaterThan(5f);
    assertThat(result.validationLoss()).isLessThan(result.initialValidationLoss() / 3);
    CheckpointMetadata meta = Checkpoints.readMetadata(dir);
    assertThat(meta.kind()).isEqualTo(CheckpointKind.BASE);
    assertThat(meta.step()).isEqualTo(250);
    assertThat(meta.metrics().get("val_loss")).isEqualTo(result.validationLoss(), within());

    try (LanguageModel lm = Checkpoints.load(dir, Device.cpu())) {
      String eot = SpecialToken.END_OF_TEXT.text();
      List<int[]> prompts =
          IntStream.of(3, 11, 6)
              .mapToObj(a -> tokenizer.encodeWithSpecials(eot + a + " + " + (a % 5) + " ="))
              .toList();
      List<Completion> answers = new Generator(lm).generate(prompts, SamplingParams.greedy(6));
      for (Completion c : answers) {
        // The format of the corpus' arithmetic lines: " <number>." then a new line.
        assertThat(c.text()).matches("(?s) \\d+\\..*");
      }
    }
  }

  /** The metadata keeps the loss as a double printed in JSON; the result holds it as a float. */
  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-6);
  }
}
