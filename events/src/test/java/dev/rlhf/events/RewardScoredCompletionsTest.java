package dev.rlhf.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.CompletionsGenerated;
import dev.rlhf.events.contract.CompletionsGenerated.GeneratedCompletion;
import dev.rlhf.events.contract.CompletionsRequested;
import dev.rlhf.events.contract.SamplingSettings;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The reward scores a completion request may ask for, added to both events after they existed. */
class RewardScoredCompletionsTest {

  private static CompletionsRequested request(String rewardVersion) {
    return new CompletionsRequested(
        UUID.randomUUID(),
        Instant.parse("2026-12-07T22:00:00Z"),
        UUID.randomUUID(),
        UUID.randomUUID(),
        List.of(new ChatTurn(ChatTurn.Role.USER, "What is 2 + 2?")),
        null,
        2,
        SamplingSettings.defaults(),
        "ranking",
        rewardVersion);
  }

  private static CompletionsGenerated answer(
      String rewardVersion, List<Double> scores, List<Double> checkScores) {
    return new CompletionsGenerated(
        UUID.randomUUID(),
        Instant.parse("2026-12-07T22:00:01Z"),
        UUID.randomUUID(),
        UUID.randomUUID(),
        "sft-1",
        SamplingSettings.defaults(),
        List.of(new GeneratedCompletion("4", 1, "stop"), new GeneratedCompletion("5", 1, "stop")),
        "ranking",
        rewardVersion,
        scores,
        checkScores);
  }

  @Test
  void shouldCarryTheRewardVersionToScoreWithAndTheScoresPerCompletion() {
    CompletionsRequested request = request("rm-1");
    CompletionsGenerated answer = answer("rm-1", List.of(0.5, -1.25), List.of(0.25, 0.0));

    assertThat(EventCodec.fromJson(EventCodec.toJson(request))).isEqualTo(request);
    CompletionsGenerated back =
        (CompletionsGenerated) EventCodec.fromJson(EventCodec.toJson(answer));
    assertThat(back).isEqualTo(answer);
    assertThat(back.scored()).isTrue();
    assertThat(back.rewardScores()).containsExactly(0.5, -1.25);
  }

  @Test
  void shouldReadARequestWrittenBeforeTheRewardVersionExistedAsUnscored() {
    String json = EventCodec.toJson(request(null)).replace(",\"rewardVersion\":null", "");
    assertThat(json).doesNotContain("rewardVersion");

    CompletionsRequested back = (CompletionsRequested) EventCodec.fromJson(json);

    assertThat(back.rewardVersion()).isNull();
    assertThat(back.n()).isEqualTo(2);
  }

  @Test
  void shouldReadAnAnswerWrittenBeforeRewardScoresExistedAsUnscored() {
    String json =
        EventCodec.toJson(answer(null, List.of(), List.of()))
            .replace(",\"rewardVersion\":null", "")
            .replace(",\"rewardScores\":[]", "")
            .replace(",\"checkRewardScores\":[]", "");
    assertThat(json).doesNotContain("rewardVersion").doesNotContain("Scores");

    CompletionsGenerated back = (CompletionsGenerated) EventCodec.fromJson(json);

    assertThat(back.scored()).isFalse();
    assertThat(back.rewardScores()).isEmpty();
    assertThat(back.checkRewardScores()).isEmpty();
    assertThat(back.completions()).hasSize(2);
  }

  @Test
  void shouldRefuseScoresThatDoNotMatchTheCompletionsOrHaveNoVersion() {
    String oneScore =
        EventCodec.toJson(answer("rm-1", List.of(0.5, 1.0), List.of()))
            .replace("\"rewardScores\":[0.5,1.0]", "\"rewardScores\":[0.5]");
    assertThatThrownBy(() -> EventCodec.fromJson(oneScore))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("rewardScores must hold one score per completion (2), not 1");

    assertThatThrownBy(() -> answer(null, List.of(0.5, 1.0), List.of()))
        .hasMessageContaining("rewardVersion");
    assertThatThrownBy(() -> answer("rm-1", List.of(), List.of(0.5, 1.0)))
        .hasMessageContaining("checkRewardScores need rewardScores");
    assertThatThrownBy(() -> request("../elsewhere")).hasMessageContaining("rewardVersion must be");
  }
}
