package dev.rlhf.runtime.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.runtime.config.RuntimeSettings;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What a request for the base meets while the base is on its way, or after it failed. */
class BasePreparationTest {

  private final BasePreparation base = new BasePreparation(settings(Optional.empty()));
  private final VersionRegistry registry = new VersionRegistry(settings(Optional.empty()), base);

  @Test
  void shouldAnswerNotYetWithProgressForTheDefaultAndTheBasesNameWhileItIsPretrained() {
    base.pretraining(120, 800);

    for (String requested : new String[] {null, "default", "demo-base"}) {
      assertThatThrownBy(() -> registry.lease(requested))
          .isInstanceOfSatisfying(
              NoVersionServedException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessage(
              "the base network demo-base is being pretrained (step 120 of 800); retry later");
    }
    assertThatThrownBy(() -> registry.lease("no-such-version"))
        .isInstanceOf(UnknownVersionException.class);
  }

  @Test
  void shouldSayWhyTheBaseFailedAndThatRetryingDoesNotHelp() {
    base.pretraining(1, 800);
    base.failed("a leaf Variable that requires grad is being used in an in-place operation");

    assertThatThrownBy(() -> registry.lease("demo-base"))
        .isInstanceOfSatisfying(
            NoVersionServedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessage(
            "the base network demo-base could not be prepared: a leaf Variable that requires grad"
                + " is being used in an in-place operation");
    assertThat(base.status().state()).isEqualTo(BasePreparation.State.FAILED);
  }

  @Test
  void shouldNameAConfiguredBaseByItsDirectory() {
    BasePreparation configured = new BasePreparation(settings(Optional.of("/checkpoints/my-base")));

    assertThat(configured.status().version()).isEqualTo("my-base");
    assertThat(configured.status().describe())
        .isEqualTo("the base network my-base is being loaded; retry later");
  }

  private static RuntimeSettings settings(Optional<String> baseCheckpoint) {
    return new RuntimeSettings() {
      @Override
      public Optional<String> baseCheckpoint() {
        return baseCheckpoint;
      }

      @Override
      public OptionalInt demoBaseSteps() {
        return OptionalInt.empty();
      }

      @Override
      public int maxBatchRows() {
        return 1;
      }

      @Override
      public int queueSize() {
        return 1;
      }

      @Override
      public int kafkaRequestsInFlight() {
        return 1;
      }

      @Override
      public int maxLoadedVersions() {
        return 1;
      }

      @Override
      public int maxLoadedRewardModels() {
        return 1;
      }

      @Override
      public String stateDirectory() {
        return "/tmp";
      }
    };
  }
}
