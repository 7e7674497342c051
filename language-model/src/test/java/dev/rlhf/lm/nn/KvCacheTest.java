package dev.rlhf.lm.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class KvCacheTest {

  @Test
  void historyShouldBeEveryAppendedPositionInOrderKeysTransposedAsItsBuffersGrowUpToTheContext() {
    GptConfig config = new GptConfig(2, 2, 8, 20, 32, 0f, true, true);
    try (NDManager m = NDManager.newBaseManager();
        KvCache cache = KvCache.unpadded(m, config, 3)) {
      m.getEngine().setRandomSeed(5);
      NDArray[] keys = new NDArray[config.nLayer()];
      NDArray[] values = new NDArray[config.nLayer()];
      // A prompt of 3 positions, then one position a step until the context is full: the
      // buffers start at 3 positions and are enlarged three times (6, 12, then the context's 20).
      for (int added = 3; cache.length() < config.blockSize(); added = 1) {
        for (int layer = 0; layer < config.nLayer(); layer++) {
          NDArray k = m.randomNormal(new Shape(1, 3, 2, added, 4));
          NDArray v = m.randomNormal(new Shape(1, 3, 2, added, 4));
          keys[layer] = keys[layer] == null ? k : NDArrays.concat(new NDList(keys[layer], k), 3);
          values[layer] =
              values[layer] == null ? v : NDArrays.concat(new NDList(values[layer], v), 3);

          NDArray[] history = cache.append(layer, k, v);

          int positions = cache.length() + added;
          assertThat(history[0].getShape()).isEqualTo(new Shape(1, 3, 2, 4, positions));
          assertThat(history[1].getShape()).isEqualTo(new Shape(1, 3, 2, positions, 4));
          assertThat(history[0].toFloatArray())
              .containsExactly(keys[layer].transpose(0, 1, 2, 4, 3).toFloatArray());
          assertThat(history[1].toFloatArray()).containsExactly(values[layer].toFloatArray());
        }
        cache.advance(added);
      }
      assertThat(cache.remaining()).isZero();
    }
  }
}
