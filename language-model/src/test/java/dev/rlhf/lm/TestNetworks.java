package dev.rlhf.lm;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.lm.checkpoint.Tensor;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers shared by the tests: small seeded networks and logits as Java arrays. */
final class TestNetworks {

  private TestNetworks() {}

  /** A tiny byte-level network with seeded random weights. */
  static LanguageModel tiny(long seed) {
    Engine.getInstance().setRandomSeed(Math.toIntExact(seed));
    return LanguageModel.create(
        GptConfig.tiny(new ByteTokenizer().vocabSize()), new ByteTokenizer(), Device.cpu());
  }

  /** Logits [B][T][V] of a full forward pass without cache. */
  static float[][][] logits(LanguageModel lm, int[][] tokens) {
    try (NDManager m = lm.manager().newSubManager()) {
      int b = tokens.length;
      int t = tokens[0].length;
      long[] flat = new long[b * t];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < t; j++) {
          flat[i * t + j] = tokens[i][j];
        }
      }
      NDArray ids = m.create(flat, new Shape(b, t));
      float[] out = lm.logits(lm.hidden(ids, null, false), false).toFloatArray();
      int v = out.length / (b * t);
      float[][][] r = new float[b][t][v];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < t; j++) {
          System.arraycopy(out, (i * t + j) * v, r[i][j], 0, v);
        }
      }
      return r;
    }
  }

  /** Our weights renamed and transposed to the Hugging Face GPT-2 layout (Conv1D (in, out)). */
  static Map<String, Tensor> asHuggingFace(LanguageModel lm) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    lm.namedParameters()
        .forEach(
            (name, p) -> {
              Tensor t =
                  new Tensor(p.getArray().getShape().getShape(), p.getArray().toFloatArray());
              String hf = name.replaceFirst("^transformer\\.", "");
              boolean linear = t.shape().length == 2 && !hf.startsWith("w");
              out.put(hf, linear ? t.transpose2d() : t);
            });
    return out;
  }

  static float maxAbsDiff(float[] a, float[] b) {
    float d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
