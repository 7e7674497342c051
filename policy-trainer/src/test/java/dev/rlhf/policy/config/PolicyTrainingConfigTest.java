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
    assertThat(names(DpoConfig.class))
        .containsExactlyElementsOf(HyperParameterDefaults.of(TrainingStage.DPO).keySet());
    Map<String, String> dpoShown = HyperParameterDefaults.of(TrainingStage.DPO);
    DpoConfig dpo = DpoConfig.defaults();
    assertThat(dpo.beta()).isEqualTo(Float.parseFloat(dpoShown.get("beta")));
    assertThat(dpo.lossType().name().toLowerCase()).isEqualTo(dpoShown.get("lossType"));
    Map<String, String> sftShown = HyperParameterDefaults.of(TrainingStage.SFT);
    SftConfig sft = SftConfig.defaults();
    assertThat(sft.steps()).isEqualTo(Integer.parseInt(sftShown.get("steps")));
    assertThat(sft.lr()).isEqualTo(Float.parseFloat(sftShown.get("lr")));
    Map<String, String> ppoShown = HyperParameterDefaults.of(TrainingStage.PPO);
    PpoConfig ppo = PpoConfig.defaults();
    assertThat(ppo.initKlCoef()).isEqualTo(Float.parseFloat(ppoShown.get("initKlCoef")));
    assertThat(ppo.klHorizon()).isEqualTo(Float.parseFloat(ppoShown.get("klHorizon")));
    assertThat(ppo.guardWindow()).isEqualTo(Integer.parseInt(ppoShown.get("guardWindow")));
    assertThat(ppo.whitenRewards()).isEqualTo(Boolean.parseBoolean(ppoShown.get("whitenRewards")));
  }

  @Test
  void overridesApplyByNameAndABadNameOrValueIsRefusedNamingIt() {
    PolicyTrainingConfig config =
        PolicyTrainingConfig.defaults().withOverrides(Map.of("ppo.steps", "7", "evalEvery", "5"));
    assertThat(config.ppo().steps()).isEqualTo(7);
    assertThat(config.sft().steps()).isEqualTo(SftConfig.defaults().steps());
    assertThat(config.sft().evalEvery()).isEqualTo(5);

    assertThatThrownBy(() -> PolicyTrainingConfig.defaults().withOverrides(Map.of("stepz", "1")))
        .hasMessage("unknown hyper-parameter: stepz");
    assertThatThrownBy(() -> PolicyTrainingConfig.defaults().withOverrides(Map.of("lr", "fast")))
        .hasMessage("unparsable hyper-parameter: lr=fast");
    assertThatThrownBy(
            () -> PolicyTrainingConfig.defaults().withOverrides(Map.of("whitenRewards", "yes")))
        .hasMessage("unparsable hyper-parameter: whitenRewards=yes");
  }

  @Test
  void aCommandsHyperParametersAreItsOwnStagesAndTheLossTypeIsAWord() {
    PolicyTrainingConfig config =
        PolicyTrainingConfig.forStage(
            TrainingStage.DPO, Map.of("lr", "2e-5", "lossType", "ipo", "sft.steps", "9"));
    assertThat(config.dpo().lr()).isEqualTo(2e-5f);
    assertThat(config.dpo().lossType()).isEqualTo(DpoConfig.LossType.IPO);
    assertThat(config.sft().lr()).isEqualTo(SftConfig.defaults().lr());
    assertThat(config.ppo().lr()).isEqualTo(PpoConfig.defaults().lr());
    assertThat(config.sft().steps()).isEqualTo(9);

    assertThatThrownBy(
            () -> PolicyTrainingConfig.forStage(TrainingStage.DPO, Map.of("lossType", "hinge")))
        .hasMessage("unparsable hyper-parameter: lossType=hinge");
    assertThatThrownBy(
            () -> PolicyTrainingConfig.forStage(TrainingStage.DPO, Map.of("labelSmoothing", "0.5")))
        .hasMessageContaining("labelSmoothing must be in [0, 0.5)");
  }

  private static java.util.List<String> names(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }
}
