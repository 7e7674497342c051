package dev.rlhf.lm;

import dev.rlhf.lm.checkpoint.Tensor;
import dev.rlhf.lm.nn.GptConfig;
import java.util.Map;

/**
 * An independent, deliberately naive GPT-2 forward pass in plain Java floats, written from the
 * GPT-2 paper / Hugging Face layout (Conv1D weights (in, out), names without {@code transformer.}).
 * Tests compare the DJL network against it.
 */
final class ReferenceGpt2 {

  private final Map<String, Tensor> w;
  private final int nLayer;
  private final int nHead;
  private final int nEmbd;
  private final int vocab;
  private final GptConfig.Activation activation;

  ReferenceGpt2(
      Map<String, Tensor> hfWeights, int nLayer, int nHead, GptConfig.Activation activation) {
    this.w = hfWeights;
    this.activation = activation;
    this.nLayer = nLayer;
    this.nHead = nHead;
    this.nEmbd = (int) hfWeights.get("wte.weight").shape()[1];
    this.vocab = (int) hfWeights.get("wte.weight").shape()[0];
  }

  /** Logits [T][V] for one sequence. */
  float[][] logits(int[] tokens) {
    int t = tokens.length;
    float[][] x = new float[t][nEmbd];
    for (int i = 0; i < t; i++) {
      for (int c = 0; c < nEmbd; c++) {
        x[i][c] = get("wte.weight")[tokens[i] * nEmbd + c] + get("wpe.weight")[i * nEmbd + c];
      }
    }
    for (int l = 0; l < nLayer; l++) {
      String p = "h." + l + ".";
      float[][] a = attention(layerNorm(x, p + "ln_1"), p);
      add(x, a);
      float[][] h = conv1d(layerNorm(x, p + "ln_2"), p + "mlp.c_fc");
      for (float[] row : h) {
        for (int c = 0; c < row.length; c++) {
          row[c] = (float) gelu(row[c]);
        }
      }
      add(x, conv1d(h, p + "mlp.c_proj"));
    }
    float[][] f = layerNorm(x, "ln_f");
    float[][] logits = new float[t][vocab];
    float[] wte = get("wte.weight");
    for (int i = 0; i < t; i++) {
      for (int v = 0; v < vocab; v++) {
        double s = 0;
        for (int c = 0; c < nEmbd; c++) {
          s += f[i][c] * wte[v * nEmbd + c];
        }
        logits[i][v] = (float) s;
      }
    }
    return logits;
  }

  private float[][] attention(float[][] x, String p) {
    int t = x.length;
    int hs = nEmbd / nHead;
    float[][] qkv = conv1d(x, p + "attn.c_attn");
    float[][] y = new float[t][nEmbd];
    for (int h = 0; h < nHead; h++) {
      for (int i = 0; i < t; i++) {
        double[] scores = new double[i + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= i; j++) {
          double s = 0;
          for (int d = 0; d < hs; d++) {
            s += qkv[i][h * hs + d] * qkv[j][nEmbd + h * hs + d];
          }
          scores[j] = s / Math.sqrt(hs);
          max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j <= i; j++) {
          scores[j] = Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (int d = 0; d < hs; d++) {
          double acc = 0;
          for (int j = 0; j <= i; j++) {
            acc += scores[j] / sum * qkv[j][2 * nEmbd + h * hs + d];
          }
          y[i][h * hs + d] = (float) acc;
        }
      }
    }
    return conv1d(y, p + "attn.c_proj");
  }

  private float[][] conv1d(float[][] x, String name) {
    Tensor weight = w.get(name + ".weight");
    int in = (int) weight.shape()[0];
    int out = (int) weight.shape()[1];
    float[] b = get(name + ".bias");
    float[][] y = new float[x.length][out];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        double s = b[o];
        for (int k = 0; k < in; k++) {
          s += x[i][k] * weight.data()[k * out + o];
        }
        y[i][o] = (float) s;
      }
    }
    return y;
  }

  private float[][] layerNorm(float[][] x, String name) {
    float[] g = get(name + ".weight");
    float[] b = get(name + ".bias");
    float[][] y = new float[x.length][nEmbd];
    for (int i = 0; i < x.length; i++) {
      double mean = 0;
      for (float v : x[i]) {
        mean += v;
      }
      mean /= nEmbd;
      double var = 0;
      for (float v : x[i]) {
        var += (v - mean) * (v - mean);
      }
      var /= nEmbd;
      for (int c = 0; c < nEmbd; c++) {
        y[i][c] = (float) ((x[i][c] - mean) / Math.sqrt(var + 1e-5) * g[c] + b[c]);
      }
    }
    return y;
  }

  private double gelu(double v) {
    return activation == GptConfig.Activation.GELU
        ? 0.5 * v * (1 + erf(v / Math.sqrt(2)))
        : 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
  }

  /** erf by its Maclaurin series, which is exact to ~1e-9 in doubles up to |x| = 4; 1 beyond. */
  static double erf(double x) {
    if (Math.abs(x) > 4) return Math.signum(x);
    double term = x;
    double sum = x;
    for (int n = 1; n < 200 && Math.abs(term) > 1e-17; n++) {
      term *= -x * x / n;
      sum += term / (2 * n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  private static void add(float[][] x, float[][] y) {
    for (int i = 0; i < x.length; i++) {
      for (int c = 0; c < x[i].length; c++) {
        x[i][c] += y[i][c];
      }
    }
  }

  private float[] get(String name) {
    Tensor t = w.get(name);
    if (t == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return t.data();
  }
}
