package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.lm.train.AdamW;
import dev.rlhf.lm.train.DataParallel;
import dev.rlhf.lm.train.LanguageModelLoss;
import dev.rlhf.lm.train.Shard;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataParallelTest {

  @Test
  void shardsSplitABatchInOrderTheFirstOnesTakingTheRemainder() {
    List<Integer> batch = IntStream.range(0, 7).boxed().toList();
    assertThat(new Shard(0, 3).of(batch)).containsExactly(0, 1, 2);
    assertThat(new Shard(1, 3).of(batch)).containsExactly(3, 4);
    assertThat(new Shard(2, 3).of(batch)).containsExactly(5, 6);
    // Fewer items than devices: the last shards are empty, never the first.
    assertThat(new Shard(0, 2).of(List.of("a"))).containsExactly("a");
    assertThat(new Shard(1, 2).of(List.of("a"))).isEmpty();
    assertThat(Shard.WHOLE.of(batch)).isEqualTo(batch);
    assertThatThrownBy(() -> new Shard(2, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutAGpuTheCpuServesAsEveryLogicalTrainingDevice() {
    assertThat(Devices.forTraining(0)).containsExactly(Device.cpu());
    assertThat(Devices.forTraining(1)).containsExactly(Device.cpu());
    assertThat(Devices.forTraining(2)).containsExactly(Device.cpu(), Device.cpu());
    assertThatThrownBy(() -> Devices.forTraining(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFirstTrainingDeviceMustBeTheNetworksOwn() {
    try (LanguageModel network = TestNetworks.tiny(1)) {
      assertThatThrownBy(() -> DataParallel.over(network, List.of(Device.gpu(0), Device.cpu())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be the network's own");
    }
  }

  /**
   * Three steps of a token-mean language-modelling loss over three sequences: over two replicas
   * (two and one sequences) the weights end where one device's do, and a batch of one sequence
   * leaves the second replica without a shard. Without the replica's gradient added in, the primary
   * would step on its own two sequences and end elsewhere.
   */
  @Test
  void stepsOverTwoReplicasTakeTheStepsOfOneDevice() {
    long[][] sequences = {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}, {13, 14, 15, 16, 17, 18}};
    Map<String, float[]> one = train(List.of(), sequences);
    Map<String, float[]> two = train(List.of(Device.cpu(), Device.cpu()), sequences);
    Map<String, float[]> firstShardOnly =
        train(List.of(), new long[][] {sequences[0], sequences[1]});
    System.out.printf(
        "one device against two: %.2e apart; against the first shard alone: %.2e%n",
        maxDifference(one, two), maxDifference(one, firstShardOnly));
    // Rounding (the shards' sums in another order) that Adam's normalised steps carry along.
    assertThat(maxDifference(one, two)).isLessThan(1e-4f);
    assertThat(maxDifference(one, firstShardOnly)).isGreaterThan(1e-3f);

    long[][] single = {sequences[0]};
    assertThat(
            maxDifference(
                train(List.of(), single), train(List.of(Device.cpu(), Device.cpu()), single)))
        .isLessThan(1e-4f);
  }

  private static Map<String, float[]> train(List<Device> devices, long[][] sequences) {
    try (LanguageModel network = TestNetworks.tiny(3);
        DataParallel parallel = DataParallel.over(network, devices);
        AdamW adam = AdamW.gptDefaults(network.namedParameters(), 0.1f)) {
      List<long[]> batch = List.of(sequences);
      for (int step = 0; step < 3; step++) {
        DataParallel.Step taken =
            parallel.step(
                adam,
                1e-2f,
                1f,
                (replica, m, shard) -> {
                  List<long[]> mine = shard.of(batch);
                  if (mine.isEmpty()) return null;
                  int t = mine.get(0).length;
                  long[] flat = new long[mine.size() * t];
                  for (int i = 0; i < mine.size(); i++) {
                    System.arraycopy(mine.get(i), 0, flat, i * t, t);
                  }
                  NDArray tokens = m.create(flat, new Shape(mine.size(), t));
                  NDArray logits =
                      replica.logits(replica.hidden(tokens.get(":, :-1"), null, true), true);
                  NDArray mask = m.ones(new Shape(mine.size(), t - 1));
                  NDArray loss =
                      LanguageModelLoss.maskedCrossEntropy(logits, tokens.get(":, 1:"), mask);
                  NDArray share = shard.scaled(loss, mine.size(), batch.size());
                  return new DataParallel.Part(share, Map.of("loss", share));
                });
        assertThat(taken.applied()).isTrue();
        assertThat(taken.figures().get("loss")).isCloseTo(taken.loss(), within(1e-5));
      }
      return network.weights();
    }
  }

  private static float maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
    float max = 0;
    for (String name : a.keySet()) {
      max = Math.max(max, TestNetworks.maxAbsDiff(a.get(name), b.get(name)));
    }
    return max;
  }
}
