package dev.rlhf.reward.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.contract.HyperParameterDefaults;
import dev.rlhf.events.contract.TrainingStage;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RewardTrainingOptionsTest {

  @Test
  void theTypedDefaultsAreTheSharedOnesTheCycleFormShowsNameForName() {
    assertThat(
            Arrays.stream(RewardTrainingOptions.class.getRecordComponents())
                .map(RecordComponent::getName))
        .containsExactlyElementsOf(HyperParameterDefaults.of(TrainingStage.REWARD).keySet());
    RewardTrainingOptions defaults = RewardTrainingOptions.defaults();
    assertThat(defaults.epochs()).isEqualTo(4);
    assertThat(defaults.lr()).isEqualTo(1e-4f);
    assertThat(defaults.minLr()).isEqualTo(1e-5f);
    assertThat(defaults.heldOutPercent()).isEqualTo(10);
  }

  @Test
  void overridesApplyByNameAndABadNameOrValueIsRefusedNamingIt() {
    assertThat(RewardTrainingOptions.defaults().with(Map.of("epochs", "6")).epochs()).isEqualTo(6);
    assertThatThrownBy(() -> RewardTrainingOptions.defaults().with(Map.of("epoch", "6")))
        .hasMessageStartingWith("unknown hyper-parameter epoch");
    assertThatThrownBy(() -> RewardTrainingOptions.defaults().with(Map.of("lr", "fast")))
        .hasMessageContaining("lr=fast");
  }
}
