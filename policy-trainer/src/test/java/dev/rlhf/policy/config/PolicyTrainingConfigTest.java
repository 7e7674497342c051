package dev.rlhf.policy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rlhf.events.contract.HyperParameterDefaults;
import dev.rlhf.events.contract.TrainingStage;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTrainingConfigTest {

  @Test
  void theTypedDefaultsAreTheSharedOnesTheCycleFormShowsNameForName() {
    assertThat(names(SftConfig.class))
        .containsExactlyElementsOf(HyperParameterDefaults.of(TrainingStage.SFT).keySet());
    assertThat(names(PpoConfig.class))
        .containsExactlyElementsOf(HyperParameterDefaults.of(TrainingStage.PPO).keySet());
    SftConfig sft = SftConfig.defaults();
    assertThat(sft.steps()).isEqualTo(300);
    assertThat(sft.lr()).isEqualTo(1e-3f);
    PpoConfig ppo = PpoConfig.defaults();
    assertThat(ppo.initKlCoef()).isEqualTo(0.05f);
    assertThat(ppo.klHorizon()).isEqualTo(10_000f);
    assertThat(ppo.whitenRewards()).isTrue();
  }

  @Test
  void overridesApplyByNameAndABadNameOrValueIsRefusedNamingIt() {
    PolicyTrainingConfig config =
        PolicyTrainingConfig.defaults().withOverrides(Map.of("ppo.steps", "7", "evalEvery", "5"));
    assertThat(config.ppo().steps()).isEqualTo(7);
    assertThat(config.sft().steps()).isEqualTo(300);
    assertThat(config.sft().evalEvery()).isEqualTo(5);

    assertThatThrownBy(() -> PolicyTrainingConfig.defaults().withOverrides(Map.of("stepz", "1")))
        .hasMessage("unknown hyper-parameter: stepz");
    assertThatThrownBy(() -> PolicyTrainingConfig.defaults().withOverrides(Map.of("lr", "fast")))
        .hasMessage("unparsable hyper-parameter: lr=fast");
    assertThatThrownBy(
            () -> PolicyTrainingConfig.defaults().withOverrides(Map.of("whitenRewards", "yes")))
        .hasMessage("unparsable hyper-parameter: whitenRewards=yes");
  }

  private static java.util.List<String> names(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }
}
