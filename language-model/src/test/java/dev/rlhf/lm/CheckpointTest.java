package dev.rlhf.lm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.lm.checkpoint.CheckpointKind;
import dev.rlhf.lm.checkpoint.CheckpointMetadata;
import dev.rlhf.lm.checkpoint.Checkpoints;
import dev.rlhf.lm.checkpoint.Gpt2Import;
import dev.rlhf.lm.checkpoint.SafeTensors;
import dev.rlhf.lm.checkpoint.Tensor;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.tokenizer.Gpt2Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir Path dir;

  @Test
  void shouldRoundTripWeightsHeadsAndMetadata() {
    int[] tokens = {256, 72, 105, 33, 10, 50, 43};
    try (LanguageModel lm = TestNetworks.tiny(21)) {
      lm.addRewardHead();
      CheckpointMetadata meta =
          CheckpointMetadata.now(
              lm.config(),
              "byte",
              CheckpointKind.REWARD,
              "rm-1",
              "sft-1",
              Map.of("labelEvents", List.of("e1", "e2")),
              Map.of("accuracy", 0.75),
              42);
      Checkpoints.save(dir, lm, meta);
      try (LanguageModel loaded = Checkpoints.load(dir, Device.cpu())) {
        assertThat(loaded.hasRewardHead()).isTrue();
        float[][][] a = TestNetworks.logits(lm, new int[][] {tokens});
        float[][][] b = TestNetworks.logits(loaded, new int[][] {tokens});
        for (int t = 0; t < tokens.length; t++) {
          assertThat(b[0][t]).containsExactly(a[0][t]);
        }
        assertThat(loaded.weights().get("reward_head.weight"))
            .containsExactly(lm.weights().get("reward_head.weight"));
      }
      CheckpointMetadata read = Checkpoints.readMetadata(dir);
      assertThat(read).isEqualTo(meta);
      assertThat(read.dataLineage().get("labelEvents")).isEqualTo(List.of("e1", "e2"));
    }
  }

  @Test
  void shouldReadACheckpointWrittenBeforeTheActivationWasRecordedAsGpt2sTanhForm()
      throws IOException {
    try (LanguageModel lm = TestNetworks.tiny(22)) {
      Checkpoints.save(
          dir,
          lm,
          CheckpointMetadata.now(
              lm.config(), "byte", CheckpointKind.BASE, "old", null, Map.of(), Map.of(), 1));
    }
    Path file = dir.resolve(Checkpoints.METADATA_FILE);
    String json = Files.readString(file);
    assertThat(json).contains("\"activation\" : \"GELU\"");
    Files.writeString(file, json.replaceAll(",\\s*\"activation\" : \"GELU\"", ""));
    assertThat(Checkpoints.readMetadata(dir).config().activation())
        .isEqualTo(GptConfig.Activation.GELU_TANH);
  }

  @Test
  void shouldTakeTheActivationFromHuggingFaceConfigAndRefuseOthers() throws IOException {
    Map<String, Object> config =
        new LinkedHashMap<>(
            Map.of(
                "n_layer", 2, "n_head", 2, "n_embd", 16, "n_positions", 32, "vocab_size", 50257));
    Path file = dir.resolve("config.json");
    Files.writeString(file, new ObjectMapper().writeValueAsString(config));
    assertThat(Gpt2Import.readConfig(dir).activation()).isEqualTo(GptConfig.Activation.GELU_TANH);
    config.put("activation_function", "gelu");
    Files.writeString(file, new ObjectMapper().writeValueAsString(config));
    assertThat(Gpt2Import.readConfig(dir).activation()).isEqualTo(GptConfig.Activation.GELU);
    config.put("activation_function", "relu");
    Files.writeString(file, new ObjectMapper().writeValueAsString(config));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Gpt2Import.readConfig(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("activation_function relu");
  }

  @Test
  void shouldImportHuggingFaceGpt2LayoutMatchingTheReference() throws IOException {
    int nLayer = 2;
    int nHead = 2;
    int nEmbd = 16;
    Map<String, Tensor> hf = randomGpt2(nLayer, nEmbd, 32, 50257, new Random(9));
    Map<String, Tensor> prefixed = new LinkedHashMap<>();
    hf.forEach((k, v) -> prefixed.put("transformer." + k, v));
    prefixed.put("transformer.h.0.attn.bias", new Tensor(new long[] {1}, new float[] {1f}));
    SafeTensors.write(dir.resolve("model.safetensors"), prefixed);
    Files.writeString(
        dir.resolve("config.json"),
        new ObjectMapper()
            .writeValueAsString(
                Map.of(
                    "n_layer",
                    nLayer,
                    "n_head",
                    nHead,
                    "n_embd",
                    nEmbd,
                    "n_positions",
                    32,
                    "vocab_size",
                    50257)));

    int[] tokens = new Gpt2Tokenizer().encodeOrdinary("The capital of France is Paris.");
    float[][] expected =
        new ReferenceGpt2(hf, nLayer, nHead, GptConfig.Activation.GELU_TANH).logits(tokens);
    try (LanguageModel lm = Gpt2Import.load(dir, Device.cpu())) {
      assertThat(lm.config().vocabSize()).isEqualTo(50262);
      float[][] ours = TestNetworks.logits(lm, new int[][] {tokens})[0];
      for (int t = 0; t < tokens.length; t++) {
        float[] gpt2Part = java.util.Arrays.copyOf(ours[t], 50257);
        // The reference computes in plain Java loops, the engine with BLAS in another order.
        assertThat(TestNetworks.maxAbsDiff(gpt2Part, expected[t])).isLessThan(1e-4f);
      }
    }
  }

  @Test
  void shouldReadHalfAndBrainFloatTensors() throws IOException {
    // 1.0, -2.0, 0.5 in binary16 and bfloat16.
    writeRaw(dir.resolve("h.safetensors"), "F16", new short[] {0x3c00, (short) 0xc000, 0x3800});
    writeRaw(dir.resolve("b.safetensors"), "BF16", new short[] {0x3f80, (short) 0xc000, 0x3f00});
    for (String f : new String[] {"h.safetensors", "b.safetensors"}) {
      Tensor t = SafeTensors.read(dir.resolve(f)).get("x");
      assertThat(t.shape()).containsExactly(3);
      assertThat(t.data()).containsExactly(1f, -2f, 0.5f);
    }
  }

  private static void writeRaw(Path file, String dtype, short[] values) throws IOException {
    byte[] header =
        ("{\"x\":{\"dtype\":\"" + dtype + "\",\"shape\":[3],\"data_offsets\":[0,6]}}")
            .getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + 6).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header);
    for (short v : values) {
      b.putShort(v);
    }
    Files.write(file, b.array());
  }

  /** Random GPT-2 weights in Hugging Face naming and Conv1D (in, out) layout. */
  static Map<String, Tensor> randomGpt2(int nLayer, int c, int positions, int vocab, Random r) {
    Map<String, Tensor> w = new LinkedHashMap<>();
    w.put("wte.weight", random(r, 0.1f, 0f, vocab, c));
    w.put("wpe.weight", random(r, 0.1f, 0f, positions, c));
    for (int l = 0; l < nLayer; l++) {
      String p = "h." + l + ".";
      w.put(p + "ln_1.weight", random(r, 0.1f, 1f, c));
      w.put(p + "ln_1.bias", random(r, 0.1f, 0f, c));
      w.put(p + "attn.c_attn.weight", random(r, 0.2f, 0f, c, 3 * c));
      w.put(p + "attn.c_attn.bias", random(r, 0.1f, 0f, 3 * c));
      w.put(p + "attn.c_proj.weight", random(r, 0.2f, 0f, c, c));
      w.put(p + "attn.c_proj.bias", random(r, 0.1f, 0f, c));
      w.put(p + "ln_2.weight", random(r, 0.1f, 1f, c));
      w.put(p + "ln_2.bias", random(r, 0.1f, 0f, c));
      w.put(p + "mlp.c_fc.weight", random(r, 0.2f, 0f, c, 4 * c));
      w.put(p + "mlp.c_fc.bias", random(r, 0.1f, 0f, 4 * c));
      w.put(p + "mlp.c_proj.weight", random(r, 0.2f, 0f, 4 * c, c));
      w.put(p + "mlp.c_proj.bias", random(r, 0.1f, 0f, c));
    }
    w.put("ln_f.weight", random(r, 0.1f, 1f, c));
    w.put("ln_f.bias", random(r, 0.1f, 0f, c));
    return w;
  }

  private static Tensor random(Random r, float std, float mean, long... shape) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = mean + std * (float) r.nextGaussian();
    }
    return new Tensor(shape, data);
  }
}
