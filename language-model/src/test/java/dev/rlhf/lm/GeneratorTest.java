package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.FinishReason;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.sample.TokenListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {

  private static LanguageModel lm;

  @BeforeAll
  static void network() {
    lm = TestNetworks.tiny(7);
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  @Test
  void shouldDecodeGreedilyTheSameWithAndWithoutCache() {
    int[] prompt = lm.tokenizer().encodeOrdinary("Once upon a time");
    Completion cached = new Generator(lm).sample(prompt, 1, SamplingParams.greedy(30)).get(0);

    int[] seq = prompt;
    int[] uncached = new int[cached.tokens().length];
    for (int i = 0; i < uncached.length; i++) {
      float[][] logits = TestNetworks.logits(lm, new int[][] {seq})[0];
      float[] last = Arrays.copyOf(logits[seq.length - 1], lm.tokenizer().vocabSize());
      int best = 0;
      for (int v = 1; v < last.length; v++) {
        best = last[v] > last[best] ? v : best;
      }
      uncached[i] = best;
      seq = Arrays.copyOf(seq, seq.length + 1);
      seq[seq.length - 1] = best;
    }
    assertThat(cached.tokens()).containsExactly(uncached);
  }

  @Test
  void shouldReproduceSeededSamples() {
    int[] prompt = lm.tokenizer().encodeOrdinary("12 + 7 =");
    Generator generator = new Generator(lm);
    List<Completion> first = generator.sample(prompt, 4, SamplingParams.seeded(20, 42));
    List<Completion> second = generator.sample(prompt, 4, SamplingParams.seeded(20, 42));
    List<Completion> other = generator.sample(prompt, 4, SamplingParams.seeded(20, 43));
    assertThat(first)
        .extracting(Completion::text)
        .isEqualTo(second.stream().map(Completion::text).toList());
    assertThat(first)
        .extracting(Completion::text)
        .isNotEqualTo(other.stream().map(Completion::text).toList());
    // Four samples of a random network's near-uniform distribution differ from each other.
    assertThat(first.stream().map(Completion::text).distinct().count()).isGreaterThan(1);
  }

  @Test
  void shouldSharpenTheDistributionAsTheTemperatureFalls() {
    int[] prompt = lm.tokenizer().encodeOrdinary("Once upon a time");
    Generator generator = new Generator(lm);
    int[] greedy = generator.sample(prompt, 1, SamplingParams.greedy(20)).get(0).tokens();
    SamplingParams cold = new SamplingParams(0.001f, 0, 1f, 20, List.of(), 11L);
    SamplingParams warm = new SamplingParams(1f, 0, 1f, 20, List.of(), 11L);
    for (Completion c : generator.sample(prompt, 3, cold)) {
      assertThat(c.tokens()).containsExactly(greedy);
    }
    // At temperature 1 the random network's near-uniform distribution strays from the argmax.
    assertThat(generator.sample(prompt, 3, warm))
        .anySatisfy(c -> assertThat(c.tokens()).isNotEqualTo(greedy));
  }

  @Test
  void shouldTellEachTokenAsItIsChosenInTheOrderOfTheCompletions() {
    int[] prompt = lm.tokenizer().encodeOrdinary("Once upon a time");
    List<List<Integer>> heard = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    List<Completion> completions =
        new Generator(lm)
            .sample(prompt, 3, SamplingParams.seeded(15, 3), (row, t) -> heard.get(row).add(t));
    for (int row = 0; row < 3; row++) {
      assertThat(heard.get(row)).containsExactly(boxed(completions.get(row).tokens()));
    }
  }

  @Test
  void shouldStopBetweenStepsWhenTheGeneratingThreadIsInterrupted() {
    int[] prompt = lm.tokenizer().encodeOrdinary("Once upon a time");
    List<Integer> heard = new ArrayList<>();
    TokenListener interruptAfterThree =
        (row, t) -> {
          heard.add(t);
          if (heard.size() == 3) {
            Thread.currentThread().interrupt();
          }
        };
    try {
      assertThatThrownBy(
              () ->
                  new Generator(lm)
                      .sample(prompt, 1, SamplingParams.greedy(30), interruptAfterThree))
          .isInstanceOf(CancellationException.class);
    } finally {
      Thread.interrupted();
    }
    // No step was computed after the interrupt.
    assertThat(heard).hasSize(3);
  }

  private static Integer[] boxed(int[] values) {
    return Arrays.stream(values).boxed().toArray(Integer[]::new);
  }

  @Test
  void shouldGiveLeftPaddedPromptsTheSameGreedyTokensAsAlone() {
    Generator generator = new Generator(lm);
    int[] shortPrompt = lm.tokenizer().encodeOrdinary("Hi");
    int[] longPrompt = lm.tokenizer().encodeOrdinary("The capital of France is");
    SamplingParams greedy = SamplingParams.greedy(12);
    List<Completion> together = generator.generate(List.of(shortPrompt, longPrompt), greedy);
    Completion aloneShort = generator.sample(shortPrompt, 1, greedy).get(0);
    Completion aloneLong = generator.sample(longPrompt, 1, greedy).get(0);
    assertThat(together.get(0).tokens()).containsExactly(aloneShort.tokens());
    assertThat(together.get(1).tokens()).containsExactly(aloneLong.tokens());
  }

  @Test
  void shouldReportLogProbsAndLengthFinish() {
    int[] prompt = lm.tokenizer().encodeOrdinary("a");
    SamplingParams params = new SamplingParams(1f, 5, 0.9f, 8, List.of(), 1L);
    for (Completion c : new Generator(lm).sample(prompt, 3, params)) {
      assertThat(c.logProbs()).hasSameSizeAs(c.tokens());
      for (float lp : c.logProbs()) {
        assertThat(lp).isLessThanOrEqualTo(0f).isGreaterThan(-20f);
      }
      if (c.finishReason() == FinishReason.LENGTH) {
        assertThat(c.tokens()).hasSize(8);
      }
    }
  }

  @Test
  void shouldCutTextAtStopSequence() {
    int[] prompt = lm.tokenizer().encodeOrdinary("x");
    Completion free = new Generator(lm).sample(prompt, 1, SamplingParams.greedy(20)).get(0);
    String stop = free.text().substring(3, 5);
    Completion stopped =
        new Generator(lm)
            .sample(prompt, 1, SamplingParams.greedy(20).withStop(List.of(stop)))
            .get(0);
    assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(stopped.text()).isEqualTo(free.text().substring(0, free.text().indexOf(stop)));
  }
}
