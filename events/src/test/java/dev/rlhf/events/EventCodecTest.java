package dev.rlhf.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.contract.ChatTurn;
import dev.rlhf.events.contract.PlatformEvent;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.RankingSubmitted.RankedCompletion;
import dev.rlhf.events.contract.WorkerHeartbeatReported;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  static RankingSubmitted ranking() {
    return new RankingSubmitted(
        UUID.randomUUID(),
        Instant.parse("2026-11-25T10:00:00Z"),
        UUID.randomUUID(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        List.of(new ChatTurn(ChatTurn.Role.USER, "What is 2 + 2?")),
        List.of(
            new RankedCompletion(UUID.randomUUID(), "4", "sft-1", 1),
            new RankedCompletion(UUID.randomUUID(), "5", "sft-1", 2)),
        false,
        null,
        3,
        "ann");
  }

  @Test
  void shouldRoundTripAnEventWithItsTypeAndSchemaVersion() {
    RankingSubmitted event = ranking();
    String json = EventCodec.toJson(event);

    assertThat(json)
        .contains("\"type\":\"RankingSubmitted\"")
        .contains("\"schemaVersion\":1")
        .contains("\"occurredAt\":\"2026-11-25T10:00:00Z\"");
    PlatformEvent back = EventCodec.fromJson(json);
    assertThat(back).isEqualTo(event);
  }

  @Test
  void shouldRejectAnEventMissingARequiredFieldNamingTheField() {
    String json =
        EventCodec.toJson(
                new WorkerHeartbeatReported(
                    UUID.randomUUID(), Instant.now(), "w1", "reward-trainer", "cpu", Instant.now()))
            .replace("\"device\":\"cpu\",", "");

    assertThatThrownBy(() -> EventCodec.fromJson(json))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("device");
  }

  @Test
  void shouldRejectUnknownEventTypesAndInvalidJson() {
    assertThatThrownBy(() -> EventCodec.fromJson("{\"type\":\"NoSuchEvent\"}"))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("NoSuchEvent");
    assertThatThrownBy(() -> EventCodec.fromJson("not json"))
        .isInstanceOf(MalformedEventException.class);
  }

  @Test
  void shouldRejectARankingOfOneCompletion() {
    String json = EventCodec.toJson(ranking());
    String oneCompletion = json.replaceFirst(",\\{\"completionId\"[^}]*\\}\\]", "]");

    assertThatThrownBy(() -> EventCodec.fromJson(oneCompletion))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("2 completions");
  }

  @Test
  void shouldGiveAReasonWhenTheRecordRefusesAValueWithoutAMessage() {
    // List.copyOf throws a bare NullPointerException for a null element.
    String json =
        EventCodec.toJson(ranking())
            .replaceFirst("\"conversation\":\\[[^\\]]*\\]", "\"conversation\":[null]");
    assertThat(json).contains("[null]");

    assertThatThrownBy(() -> EventCodec.fromJson(json))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("RankingSubmitted");
  }

  @Test
  void shouldReadRolesAndCategoriesInAnyCaseAndNameAnUnknownOne() {
    String json = EventCodec.toJson(ranking()).replace("\"role\":\"USER\"", "\"role\":\"user\"");
    assertThat(json).contains("\"role\":\"user\"");

    assertThat(((RankingSubmitted) EventCodec.fromJson(json)).conversation().get(0).role())
        .isEqualTo(ChatTurn.Role.USER);
    assertThatThrownBy(
            () -> EventCodec.fromJson(json.replace("\"role\":\"user\"", "\"role\":\"robot\"")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("role must be one of [SYSTEM, USER, ASSISTANT], not robot");
  }

  @Test
  void shouldRefuseAVersionGivenAsAPathInACommandOrAPublishedVersion() {
    String command =
        EventCodec.toJson(
                new dev.rlhf.events.contract.TrainingRunRequested(
                    UUID.randomUUID(),
                    Instant.now(),
                    UUID.randomUUID(),
                    null,
                    dev.rlhf.events.contract.TrainingStage.SFT,
                    "base-1",
                    null,
                    null,
                    null,
                    null,
                    null))
            .replace("\"base-1\"", "\"../../etc\"");

    assertThatThrownBy(() -> EventCodec.fromJson(command))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("baseVersion must be a version name");
    for (String name : List.of("/abs", "../x", "a/b", "..")) {
      assertThat(dev.rlhf.events.contract.VersionName.isValid(name)).as(name).isFalse();
    }
    assertThat(dev.rlhf.events.contract.VersionName.isValid("sft-3f2a.1_b")).isTrue();
  }

  private static dev.rlhf.events.contract.TrainingRunRequested rewardCommand(
      List<dev.rlhf.events.contract.WeightedPair> pairs) {
    return new dev.rlhf.events.contract.TrainingRunRequested(
        UUID.randomUUID(),
        Instant.parse("2026-12-07T08:00:00Z"),
        UUID.randomUUID(),
        null,
        dev.rlhf.events.contract.TrainingStage.REWARD,
        "base-1",
        null,
        null,
        List.of(UUID.randomUUID()),
        null,
        null,
        pairs);
  }

  @Test
  void shouldCarryWeightedPairsInATrainingCommand() {
    UUID prompt = UUID.randomUUID();
    var pair =
        new dev.rlhf.events.contract.WeightedPair(
            prompt, UUID.randomUUID(), UUID.randomUUID(), 0.5);
    var command = rewardCommand(List.of(pair));

    var back =
        (dev.rlhf.events.contract.TrainingRunRequested)
            EventCodec.fromJson(EventCodec.toJson(command));

    assertThat(back).isEqualTo(command);
    assertThat(back.weightedPairs()).containsExactly(pair);
  }

  @Test
  void shouldReadATrainingCommandWrittenBeforeWeightedPairsExistedAsEveryPairOfWeightOne() {
    String json = EventCodec.toJson(rewardCommand(List.of())).replace(",\"weightedPairs\":[]", "");
    assertThat(json).doesNotContain("weightedPairs").contains("\"labelEventIds\"");

    var back = (dev.rlhf.events.contract.TrainingRunRequested) EventCodec.fromJson(json);

    assertThat(back.weightedPairs()).isEmpty();
    assertThat(back.labelEventIds()).hasSize(1);
  }

  @Test
  void shouldStillRefuseACommandMissingAFieldThatWasAlwaysThere() {
    String json =
        EventCodec.toJson(rewardCommand(List.of()))
            .replaceFirst("\"labelEventIds\":\\[[^\\]]*\\],", "");
    assertThat(json).doesNotContain("labelEventIds");

    assertThatThrownBy(() -> EventCodec.fromJson(json))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("labelEventIds");
  }

  @Test
  void shouldRefuseAPairWeightOutsideZeroToOne() {
    String json =
        EventCodec.toJson(
                rewardCommand(
                    List.of(
                        new dev.rlhf.events.contract.WeightedPair(
                            UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 0.5))))
            .replace("\"weight\":0.5", "\"weight\":1.5");

    assertThatThrownBy(() -> EventCodec.fromJson(json))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("weight must be in (0, 1]");
  }
}
