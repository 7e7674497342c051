package dev.rlhf.lm.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.checkpoint.SafeTensors;
import dev.rlhf.lm.checkpoint.Tensor;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.nn.KvCache;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.Gpt2Tokenizer;
import dev.rlhf.lm.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generation throughput of the DJL network (a benchmark, not a test; run by
 * bench/language-model/run.sh). For each shape it writes the random weights it used, so the PyTorch
 * script decodes with exactly the same network, and prints one JSON line per measurement.
 *
 * <p>The loop is greedy decoding with the KV cache and the argmax on the device, the same loop the
 * Python side runs. Each measurement first decodes for a warm-up time (the JIT compiles DJL's Java
 * side, allocators settle), then times repetitions until both a minimum count and a minimum time
 * are reached, and reports the best and the median repetition; the Python side does the same.
 */
public final class GenerationBench {

  private GenerationBench() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> only =
        args.length > 2 ? List.of(args[2].split(",")) : List.of("tiny", "gpt2-small");
    double warmUpSeconds = args.length > 3 ? Double.parseDouble(args[3]) : 3;
    double measureSeconds = args.length > 4 ? Double.parseDouble(args[4]) : 3;
    Files.createDirectories(out);
    List<Map<String, Object>> results = new ArrayList<>();
    Map<String, GptConfig> shapes = new LinkedHashMap<>();
    shapes.put("tiny", GptConfig.tiny(new ByteTokenizer().vocabSize()));
    shapes.put("gpt2-small", GptConfig.gpt2Small(new Gpt2Tokenizer().vocabSize()));
    shapes.keySet().retainAll(only);
    for (Map.Entry<String, GptConfig> shape : shapes.entrySet()) {
      GptConfig config = shape.getValue();
      Tokenizer tokenizer = config.vocabSize() > 1000 ? new Gpt2Tokenizer() : new ByteTokenizer();
      Engine.getInstance().setRandomSeed(1);
      try (LanguageModel lm = LanguageModel.create(config, tokenizer, Device.cpu())) {
        export(lm, out.resolve(shape.getKey()));
        int prompt = 8;
        // 56 tokens fill the tiny context; 32 keep the GPT-2 run short on 2 cores.
        int newTokens = Math.min(config.nLayer() > 2 ? 32 : 56, config.blockSize() - prompt);
        for (int batch : new int[] {1, 8}) {
          long[] last = decode(lm, batch, prompt, newTokens);
          long warmUpEnd = System.nanoTime() + (long) (warmUpSeconds * 1e9);
          while (System.nanoTime() < warmUpEnd) {
            decode(lm, batch, prompt, newTokens);
          }
          List<Double> rates = new ArrayList<>();
          long measureEnd = System.nanoTime() + (long) (measureSeconds * 1e9);
          while (rates.size() < reps || System.nanoTime() < measureEnd) {
            long t0 = System.nanoTime();
            decode(lm, batch, prompt, newTokens);
            rates.add(batch * newTokens / ((System.nanoTime() - t0) / 1e9));
          }
          if (System.getenv("BENCH_TRACE") != null) {
            System.err.println(rates);
          }
          List<Double> inOrder = List.copyOf(rates);
          rates.sort(null);
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("impl", "djl");
          row.put("shape", shape.getKey());
          row.put("batch", batch);
          row.put("new_tokens", newTokens);
          row.put("tokens_per_s", rates.get(rates.size() - 1));
          row.put("median_tokens_per_s", rates.get(rates.size() / 2));
          row.put("repetitions", rates.size());
          row.put("last_token", last[0]);
          System.out.println(new ObjectMapper().writeValueAsString(row));
          row.put("rates", inOrder);
          results.add(row);
        }
      }
    }
    String file = System.getenv().getOrDefault("BENCH_RESULT", "djl.json");
    new ObjectMapper().writeValue(out.resolve(file).toFile(), results);
  }

  /** Prefills {@code batch} copies of a fixed prompt, then greedily decodes {@code newTokens}. */
  static long[] decode(LanguageModel lm, int batch, int promptLength, int newTokens) {
    long[] input = new long[batch * promptLength];
    for (int i = 0; i < input.length; i++) {
      input[i] = (i * 7 + 3) % 200;
    }
    int width = promptLength;
    try (KvCache cache = lm.newCache(batch)) {
      for (int step = 0; step < newTokens; step++) {
        try (NDManager m = lm.manager().newSubManager()) {
          NDArray ids = m.create(input, new Shape(batch, width)); // (B, T)
          NDArray hidden = lm.hidden(ids, cache, false); // (B, T, C)
          NDArray last =
              width == 1
                  ? hidden
                  : hidden.get(new NDIndex().addAllDim().addSliceDim(width - 1, width));
          input = lm.logits(last, false).argMax(-1).toLongArray(); // (B, 1)
          width = 1;
        }
      }
    }
    return input;
  }

  private static void export(LanguageModel lm, Path dir) throws Exception {
    Files.createDirectories(dir);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    lm.namedParameters()
        .forEach(
            (name, p) ->
                tensors.put(
                    name,
                    new Tensor(p.getArray().getShape().getShape(), p.getArray().toFloatArray())));
    SafeTensors.write(dir.resolve("model.safetensors"), tensors);
    new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), lm.config());
  }
}
