package dev.rlhf.lm.checkpoint;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.Gpt2Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports a Hugging Face GPT-2 checkpoint directory ({@code config.json} + {@code
 * model.safetensors}, F32/F16/BF16, names with or without the {@code transformer.} prefix).
 *
 * <p>GPT-2 stores its projections as Conv1D, shape (in, out); they are transposed to the (out, in)
 * layout of PyTorch's Linear. The embedding matrix grows by the special tokens that {@link
 * Gpt2Tokenizer} adds above 50256; their rows start as the mean embedding, a neutral point that
 * fine-tuning moves.
 */
public final class Gpt2Import {

  private static final List<String> CONV1D =
      List.of("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight");

  private Gpt2Import() {}

  /** Reads the architecture from {@code config.json}, vocabulary grown for the special tokens. */
  public static GptConfig readConfig(Path dir) {
    try {
      JsonNode c = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
      int vocab = Math.max(c.get("vocab_size").asInt(), new Gpt2Tokenizer().vocabSize());
      return new GptConfig(
          c.get("n_layer").asInt(),
          c.get("n_head").asInt(),
          c.get("n_embd").asInt(),
          c.get("n_positions").asInt(),
          vocab,
          0f,
          true,
          true,
          activation(c.path("activation_function").asText("gelu_new")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("config.json"), e);
    }
  }

  private static GptConfig.Activation activation(String name) {
    return switch (name) {
      case "gelu_new", "gelu_pytorch_tanh" -> GptConfig.Activation.GELU_TANH;
      case "gelu" -> GptConfig.Activation.GELU;
      default ->
          throw new IllegalArgumentException(
              "activation_function " + name + " is not supported (gelu_new, gelu)");
    };
  }

  /** Loads the checkpoint as a network with the GPT-2 tokenizer. */
  public static LanguageModel load(Path dir, Device device) {
    GptConfig config = readConfig(dir);
    Map<String, Tensor> hf;
    try {
      hf = SafeTensors.read(dir.resolve("model.safetensors"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("model.safetensors"), e);
    }
    Map<String, float[]> values = new HashMap<>();
    for (Map.Entry<String, Tensor> e : hf.entrySet()) {
      String name =
          e.getKey().startsWith("transformer.") ? e.getKey() : "transformer." + e.getKey();
      // Causal-mask buffers and the tied lm_head copy are not parameters here.
      if (name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias")) {
        continue;
      }
      if (name.equals("transformer.lm_head.weight")) {
        continue;
      }
      Tensor t = e.getValue();
      boolean conv1d = CONV1D.stream().anyMatch(name::endsWith);
      values.put(name, (conv1d ? t.transpose2d() : t).data());
    }
    Tensor wte = hf.getOrDefault("transformer.wte.weight", hf.get("wte.weight"));
    values.put("transformer.wte.weight", grownEmbedding(wte, config.vocabSize()));
    LanguageModel network = LanguageModel.create(config, new Gpt2Tokenizer(), device);
    try {
      network.load(values);
      return network;
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
  }

  private static float[] grownEmbedding(Tensor wte, int vocab) {
    int rows = Math.toIntExact(wte.shape()[0]);
    int width = Math.toIntExact(wte.shape()[1]);
    float[] grown = java.util.Arrays.copyOf(wte.data(), vocab * width);
    float[] mean = new float[width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        mean[c] += wte.data()[r * width + c] / rows;
      }
    }
    for (int r = rows; r < vocab; r++) {
      System.arraycopy(mean, 0, grown, r * width, width);
    }
    return grown;
  }
}
