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
      // The two forms sum the same products in another order.
      assertThat(maxAbsDifference(streamed, packed)).isLessThan(1e-4f);
      // The streamed product is written to its own array: the input is left as it was.
      assertThat(x.getShape()).isEqualTo(new Shape(2, 3, 48));
    }
  }

  @Test
  void shouldStreamOnlyAVocabularyHeadAtAFewRowsWithoutGradient() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray block = m.zeros(new Shape(96, 32)); // out = 3 x in: a block's weight
      NDArray head = m.zeros(new Shape(16 * 32, 32)); // out = 16 x in: a vocabulary head
      NDArray oneRow = m.zeros(new Shape(1, 1, 32));
      NDArray eightRows = m.zeros(new Shape(8, 1, 32));
      NDArray manyRows = m.zeros(new Shape(Products.MAX_FEW_ROWS + 1, 1, 32));

      assertThat(Products.isStreamed(eightRows, head, false)).isTrue();
      assertThat(Products.isStreamed(eightRows, head, true)).isFalse();
      assertThat(Products.isStreamed(oneRow, head, false)).isFalse();
      assertThat(Products.isStreamed(manyRows, head, false)).isFalse();
      assertThat(Products.isStreamed(eightRows, block, false)).isFalse();
    }
  }

  @Test
  void sameInputShouldGiveTheSameFloatsInEveryCall() {
    // The form is chosen by shape alone, so repeated calls (and a reloaded copy of a network)
    // compute exactly alike: nothing depends on timing or on which call came first.
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(4);
      for (NDArray w :
          new NDArray[] {m.randomNormal(new Shape(64, 32)), m.randomNormal(new Shape(512, 32))}) {
        NDArray b = m.randomNormal(w.getShape().slice(0, 1));
        for (long rows : new long[] {1, 2, 8, Products.MAX_FEW_ROWS, Products.MAX_FEW_ROWS + 1}) {
          NDArray x = m.randomNormal(new Shape(rows, 1, 32));
          float[] first = Products.linear(x, w, b, false).toFloatArray();
          for (int call = 0; call < 12; call++) {
            assertThat(Products.linear(x, w, b, false).toFloatArray())
                .as("%d rows x %s, call %d", rows, w.getShape(), call)
                .containsExactly(first);
          }
          // A training product is always packed; a decoding one may be streamed (another order).
          assertThat(
                  maxAbsDifference(Products.linear(x, w, b, true), Products.linear(x, w, b, false)))
              .isLessThan(1e-4f);
        }
      }
    }
  }

  private static float maxAbsDifference(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
