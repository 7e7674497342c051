package dev.rlhf.lm.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProductsTest {

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void streamedFormShouldGiveTheLinearLayersOutput(boolean withBias) {
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(3);
      NDArray x = m.randomNormal(new Shape(2, 3, 48)); // 6 rows
      NDArray w = m.randomNormal(new Shape(80, 48));
      NDArray b = withBias ? m.randomNormal(new Shape(80)) : null;

      NDArray streamed = Products.streamed(x, w, b);
      NDArray packed = Products.packed(x, w, b);

      assertThat(streamed.getShape()).isEqualTo(new Shape(2, 3, 80));
      assertThat(maxAbsDifference(streamed, packed)).isLessThan(1e-4f);
      // The streamed product is written to its own array: the input is left as it was.
      assertThat(x.getShape()).isEqualTo(new Shape(2, 3, 48));
    }
  }

  @Test
  void everyRowCountShouldGiveTheSameOutputWithOrWithoutGradientWhileAndAfterBothFormsAreTimed() {
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(4);
      NDArray w = m.randomNormal(new Shape(64, 32));
      NDArray b = m.randomNormal(new Shape(64));
      for (long rows : new long[] {1, 2, 8, Products.MAX_FEW_ROWS, Products.MAX_FEW_ROWS + 1}) {
        NDArray x = m.randomNormal(new Shape(rows, 1, 32));
        NDArray training = Products.linear(x, w, b, true);
        // The first decoding calls alternate the two forms; the later ones use the one kept.
        for (int call = 0; call < 2 * (Products.TRIALS + 1) + 2; call++) {
          NDArray decoding = Products.linear(x, w, b, false);
          assertThat(decoding.getShape()).isEqualTo(new Shape(rows, 1, 64));
          assertThat(maxAbsDifference(decoding, training))
              .as("%d rows, call %d", rows, call)
              .isLessThan(1e-4f);
        }
      }
    }
  }

  private static float maxAbsDifference(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
