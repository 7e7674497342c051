package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.demo.DemoCorpus;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.pretrain.PretrainListener;
import dev.rlhf.lm.pretrain.PretrainOptions;
import dev.rlhf.lm.pretrain.Pretrainer;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new thread starts with PyTorch's grad mode on (DJL turns it off only in the thread that started
 * the engine). The runtime's loader thread pretrained the demo base in such a thread and failed at
 * the first optimizer step; nothing a caller must remember may be needed to train or sample there.
 */
class GradModeTest {

  @TempDir Path dir;

  @Test
  void shouldPretrainLoadAndSampleOnANewThreadWithoutTurningGradModeOff() throws Exception {
    Engine.getInstance(); // started here, so the new thread below is not the engine's
    AtomicBoolean gradModeOnAtStart = new AtomicBoolean();
    AtomicBoolean gradModeOnAtEnd = new AtomicBoolean();
    AtomicReference<String> sample = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                gradModeOnAtStart.set(JniUtils.isGradMode());
                ByteTokenizer tokenizer = new ByteTokenizer();
                GptConfig config =
                    new GptConfig(1, 2, 32, 32, tokenizer.vocabSize(), 0f, true, true);
                PretrainOptions options =
                    new PretrainOptions(config, 4, 4, 1e-3f, 1e-4f, 1, 0.1f, 1f, 2, 1, 0, 3, 0.1);
                new Pretrainer(options, tokenizer, PretrainListener.NONE)
                    .run(new DemoCorpus(3).documents(50), "a test corpus", dir, "grad-mode-test");
                try (LanguageModel lm = Checkpoints.load(dir, Device.cpu())) {
                  sample.set(
                      new Generator(lm)
                          .generate(
                              List.of(tokenizer.encodeOrdinary("A cat")), SamplingParams.greedy(4))
                          .get(0)
                          .text());
                }
                gradModeOnAtEnd.set(JniUtils.isGradMode());
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "a-new-worker");
    worker.start();
    worker.join();

    assertThat(gradModeOnAtStart).as("the condition the loader thread met").isTrue();
    assertThat(failure.get()).isNull();
    assertThat(sample.get()).isNotNull();
    // The entry points restore what they found: a caller's own graph recording is untouched.
    assertThat(gradModeOnAtEnd).isTrue();
  }
}
