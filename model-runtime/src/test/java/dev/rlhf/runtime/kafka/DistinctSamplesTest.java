package dev.rlhf.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsGenerated.GeneratedCompletion;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.SamplingSettings;
import dev.rlhf.lm.sample.Completion;
import dev.rlhf.lm.sample.FinishReason;
import dev.rlhf.runtime.service.Generation;
import dev.rlhf.runtime.service.SamplingRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How the runtime finds K different texts for labelers to rank (the drawing itself is faked). */
class DistinctSamplesTest {

  private final List<SamplingRequest> draws = new ArrayList<>();
  private final AtomicInteger hotterRounds = new AtomicInteger();

  @Test
  void shouldKeepTheFirstRoundWhenItsSamplesDiffer() {
    CompletionsGenerated answer =
        CompletionRequests.sampleDistinct(
            request(3, 1.0, 7L),
            drawing(t -> List.of("Five.", "5", "It is five.", "Six.")),
            this::hotter);

    assertThat(texts(answer)).containsExactly("Five.", "5", "It is five.");
    assertThat(answer.completions()).allSatisfy(c -> assertThat(c.temperature()).isNull());
    assertThat(draws).hasSize(1);
    assertThat(draws.get(0).n()).isEqualTo(6);
    assertThat(hotterRounds).hasValue(0);
  }

  @Test
  void shouldMergeNearDuplicatesAndDrawHotterUntilKTextsDiffer() {
    // A sharp policy: at T=1 it says the same thing (up to case and a full stop) every time.
    CompletionsGenerated answer =
        CompletionRequests.sampleDistinct(
            request(4, 1.0, 7L),
            drawing(
                t ->
                    t < 1.2
                        ? List.of(
                            "Five.", "five", "Five.", "Five", "Five.", "Five.", "Five.", "five.")
                        : List.of("Five.", "It is 5.", "Fiv", "5", "Five!", "5.", "Four.", "5")),
            this::hotter);

    assertThat(texts(answer)).containsExactly("Five.", "It is 5.", "Fiv", "5");
    assertThat(answer.completions().stream().map(GeneratedCompletion::temperature))
        .containsExactly(null, 1.4, 1.4, 1.4);
    assertThat(draws).extracting(SamplingRequest::temperature).containsExactly(1.0, 1.4);
    assertThat(draws).extracting(SamplingRequest::seed).doesNotHaveDuplicates();
    assertThat(hotterRounds).hasValue(1);
  }

  @Test
  void shouldStopHeatingAtTheHottestTemperatureAndAnswerWithWhatDiffers() {
    CompletionsGenerated answer =
        CompletionRequests.sampleDistinct(
            request(4, 1.2, null), drawing(t -> List.of("Woof.", "woof")), this::hotter);

    assertThat(texts(answer)).containsExactly("Woof.");
    assertThat(draws)
        .extracting(SamplingRequest::temperature)
        .containsExactly(1.2, 1.2 * CompletionRequests.HOTTER_BY, CompletionRequests.HOTTEST);
    assertThat(draws).extracting(SamplingRequest::seed).containsOnlyNulls();
  }

  @Test
  void shouldNotHeatAGreedyRequest() {
    CompletionsGenerated answer =
        CompletionRequests.sampleDistinct(
            request(3, 0.0, 1L), drawing(t -> List.of("Paris.", "Paris.", "Paris.")), this::hotter);

    assertThat(texts(answer)).containsExactly("Paris.");
    assertThat(draws).hasSize(1);
    assertThat(hotterRounds).hasValue(0);
  }

  private void hotter() {
    hotterRounds.incrementAndGet();
  }

  private Function<SamplingRequest, Generation> drawing(Function<Double, List<String>> texts) {
    return s -> {
      draws.add(s);
      List<Completion> completions =
          texts.apply(s.temperature()).stream()
              .map(t -> new Completion(t, new int[] {1, 2}, new float[2], FinishReason.STOP))
              .toList();
      return new Generation("policy-v2", 5, null, completions, null);
    };
  }

  private static List<String> texts(CompletionsGenerated answer) {
    return answer.completions().stream().map(GeneratedCompletion::text).toList();
  }

  private static CompletionsRequested request(int n, double temperature, Long seed) {
    return new CompletionsRequested(
        UUID.randomUUID(),
        Instant.now(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        List.of(new ChatTurn(ChatTurn.Role.USER, "What is 2 + 3?")),
        null,
        n,
        new SamplingSettings(temperature, 0.95, 0, 16, List.of(), seed),
        "ranking");
  }
}
