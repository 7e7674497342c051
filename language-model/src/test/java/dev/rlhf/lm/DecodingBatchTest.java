package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.DecodingBatch;
import dev.rlhf.lm.sample.FinishReason;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.sample.TokenListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecodingBatchTest {

  private static LanguageModel lm;

  @BeforeAll
  static void network() {
    lm = TestNetworks.tiny(7);
  }

  @AfterAll
  static void close() {
    lm.close();
  }

  private static int[] encode(String text) {
    return lm.tokenizer().encodeOrdinary(text);
  }

  private static List<String> texts(List<Completion> completions) {
    return completions.stream().map(Completion::text).toList();
  }

  @Test
  void shouldGiveRequestsJoiningMidDecodeTheSameGreedyTokensAsAlone() {
    SamplingParams greedy = SamplingParams.greedy(20);
    List<String> prompts =
        List.of("Hi", "The capital of France is", "12 + 7 =", "Once upon a time");
    try (DecodingBatch batch = new DecodingBatch(lm)) {
      List<DecodingBatch.Request> requests = new ArrayList<>();
      // One request joins every third step, each while the earlier ones are mid-decode.
      for (int step = 0; !allFinished(requests) || requests.size() < prompts.size(); step++) {
        if (step % 3 == 0 && requests.size() < prompts.size()) {
          requests.add(
              batch.admit(encode(prompts.get(requests.size())), 1, greedy, TokenListener.NONE));
          assertThat(batch.rows())
              .isEqualTo(requests.stream().filter(r -> !r.isFinished()).count());
        }
        batch.step();
      }
      for (int i = 0; i < prompts.size(); i++) {
        Completion alone = new Generator(lm).sample(encode(prompts.get(i)), 1, greedy).get(0);
        assertThat(requests.get(i).completions().get(0).tokens()).containsExactly(alone.tokens());
      }
      assertThat(batch.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldSampleASeededRequestTheSameAloneAndBatchedWithOthers() {
    SamplingParams seeded = SamplingParams.seeded(24, 42);
    int[] prompt = encode("12 + 7 =");
    List<Completion> alone = new Generator(lm).sample(prompt, 3, seeded);

    try (DecodingBatch batch = new DecodingBatch(lm)) {
      DecodingBatch.Request early =
          batch.admit(
              encode("A long story begins"), 2, SamplingParams.seeded(30, 1), TokenListener.NONE);
      batch.step();
      batch.step();
      DecodingBatch.Request mine = batch.admit(prompt, 3, seeded, TokenListener.NONE);
      batch.step();
      DecodingBatch.Request late =
          batch.admit(encode("x"), 4, SamplingParams.seeded(10, 9), TokenListener.NONE);
      while (!batch.isEmpty()) {
        batch.step();
      }
      assertThat(early.isFinished()).isTrue();
      assertThat(late.isFinished()).isTrue();
      assertThat(texts(mine.completions())).isEqualTo(texts(alone));
      // A random network's near-uniform distribution: the three samples are not all alike.
      assertThat(texts(alone).stream().distinct().count()).isGreaterThan(1);
    }
  }

  @Test
  void shouldKeepDecodingTheOthersWhenARequestIsRemoved() {
    SamplingParams greedy = SamplingParams.greedy(16);
    int[] kept = encode("The capital of France is");
    try (DecodingBatch batch = new DecodingBatch(lm)) {
      DecodingBatch.Request gone = batch.admit(encode("Hi"), 2, greedy, TokenListener.NONE);
      DecodingBatch.Request stays = batch.admit(kept, 1, greedy, TokenListener.NONE);
      batch.step();
      batch.remove(gone);
      assertThat(batch.rows()).isEqualTo(1);
      while (!batch.isEmpty()) {
        batch.step();
      }
      assertThat(gone.isFinished()).isFalse();
      assertThat(stays.completions().get(0).tokens())
          .containsExactly(new Generator(lm).sample(kept, 1, greedy).get(0).tokens());
      assertThat(stays.completions().get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
    }
  }

  @Test
  void shouldTellEachRequestItsOwnTokensAndStopAtItsOwnLimits() {
    List<int[]> heard = new ArrayList<>();
    try (DecodingBatch batch = new DecodingBatch(lm)) {
      DecodingBatch.Request one =
          batch.admit(
              encode("a"), 1, SamplingParams.greedy(1), (row, t) -> heard.add(new int[] {row, t}));
      assertThat(one.isFinished()).isTrue();
      assertThat(batch.isEmpty()).isTrue();
      DecodingBatch.Request three =
          batch.admit(
              encode("b"),
              2,
              SamplingParams.seeded(3, 5),
              (row, t) -> heard.add(new int[] {row, t}));
      while (!batch.isEmpty()) {
        batch.step();
      }
      assertThat(one.completions().get(0).tokens()).hasSize(1);
      assertThat(three.completions())
          .allSatisfy(c -> assertThat(c.tokens()).hasSizeLessThanOrEqualTo(3));
      assertThat(heard).hasSize(1 + three.tokens());
    }
  }

  @Test
  void shouldGiveRowsThatRunToTheEndOfTheContextTheirTokensBesideOthers() {
    List<String> prompts = List.of("Hi", "The capital of France is", "x");
    List<SamplingParams> params =
        List.of(SamplingParams.greedy(100), SamplingParams.greedy(80), SamplingParams.greedy(10));
    List<Integer> joinAt = List.of(0, 5, 50);
    try (DecodingBatch batch = new DecodingBatch(lm)) {
      List<DecodingBatch.Request> requests = new ArrayList<>();
      for (int step = 0; requests.size() < prompts.size() || !batch.isEmpty(); step++) {
        int next = requests.size();
        if (next < prompts.size() && joinAt.get(next) == step) {
          requests.add(
              batch.admit(encode(prompts.get(next)), 1, params.get(next), TokenListener.NONE));
        }
        batch.step();
      }
      for (int i = 0; i < prompts.size(); i++) {
        Completion alone =
            new Generator(lm).sample(encode(prompts.get(i)), 1, params.get(i)).get(0);
        assertThat(requests.get(i).completions().get(0).tokens()).containsExactly(alone.tokens());
      }
      // The first fills the 64-token context: 2 prompt tokens and 62 sampled.
      assertThat(requests.get(0).completions().get(0).tokens()).hasSize(62);
    }
  }

  private static boolean allFinished(List<DecodingBatch.Request> requests) {
    return requests.stream().allMatch(DecodingBatch.Request::isFinished);
  }
}
