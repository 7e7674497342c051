package dev.rlhf.runtime.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.rlhf.lm.LanguageModel;
import dev.rlhf.lm.demo.BaseModels;
import dev.rlhf.lm.demo.DemoWorld;
import dev.rlhf.lm.nn.GptConfig;
import dev.rlhf.lm.sample.Generator;
import dev.rlhf.lm.sample.SamplingParams;
import dev.rlhf.lm.tokenizer.ByteTokenizer;
import dev.rlhf.lm.tokenizer.Gpt2Tokenizer;
import dev.rlhf.lm.tokenizer.Tokenizer;
import dev.rlhf.runtime.service.GenerationQueue;
import dev.rlhf.runtime.service.GenerationQueue.Source;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of the runtime's decoding loop with concurrent clients, one request at a time ({@code
 * max batch rows = 1}, how the runtime served before continuous batching) against batched (a
 * benchmark, not a test; run by bench/model-runtime/run-batching.sh). Networks have random weights:
 * the speed of a step depends on the shapes only, and random weights rarely sample an end token, so
 * every completion runs to its {@code max_tokens}.
 *
 * <p>Args: seconds measured per case, seconds of warm-up per case, prompts of the closed-loop case,
 * shapes ({@code demo,gpt2-small}), batched max rows.
 */
public final class BatchingBench {

  private BatchingBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 15;
    double warmUp = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    int prompts = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    List<String> shapes = List.of((args.length > 3 ? args[3] : "demo,gpt2-small").split(","));
    int batchedRows = args.length > 4 ? Integer.parseInt(args[4]) : 32;
    List<String> table = new ArrayList<>();
    table.add(
        "| shape | clients | one at a time (max rows 1) | batched (max rows "
            + batchedRows
            + ") | ratio |");
    table.add("|---|---|---|---|---|");
    List<String> ceiling = new ArrayList<>();
    ceiling.add("| shape | rows in one static batch | tok/s | x one row | x 8 rows |");
    ceiling.add("|---|---|---|---|---|");
    for (String shape : shapes) {
      try (LanguageModel network = network(shape)) {
        int maxTokens = 32;
        ceiling.addAll(ceiling(network, shape, maxTokens));
        for (int clients : new int[] {1, 4, 16}) {
          double before = throughput(network, 1, clients, maxTokens, warmUp, seconds);
          double after = throughput(network, batchedRows, clients, maxTokens, warmUp, seconds);
          String row =
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %.0f tok/s | %.0f tok/s | %.2fx |",
                  shape,
                  clients,
                  before,
                  after,
                  after / before);
          System.out.println(row);
          table.add(row);
        }
        if (shape.equals("demo") && prompts > 0) {
          double before = closedLoop(network, 1, 1, prompts);
          double after = closedLoop(network, batchedRows, 16, prompts);
          String row =
              String.format(
                  Locale.ROOT,
                  "| %s | %d prompts x K=4 (8 drawn each), 64 tokens | %.1f s | %.1f s (16 in flight) | %.2fx |",
                  shape,
                  prompts,
                  before,
                  after,
                  before / after);
          System.out.println(row);
          table.add(row);
        }
      }
    }
    System.out.println();
    ceiling.forEach(System.out::println);
    System.out.println();
    table.forEach(System.out::println);
  }

  /**
   * What batching can reach at most: tokens/s of one static batch of B identical rows decoded
   * together (the generator alone, no queue, no rows joining or leaving), best of three. Continuous
   * batching of one-row requests cannot beat B rows decoded as one batch, so tok/s(16) / tok/s(1)
   * bounds the 16-client gain, and tok/s(32) / tok/s(8) the closed loop's (a request's 8 samples
   * were already one batch; four requests together make 32 rows).
   */
  private static List<String> ceiling(LanguageModel network, String shape, int maxTokens) {
    int[] prompt = network.tokenizer().encodeOrdinary("What is the capital of France? Answer:");
    Generator generator = new Generator(network);
    List<String> rows = new ArrayList<>();
    double one = 0;
    double eight = 0;
    for (int b : new int[] {1, 8, 16, 32}) {
      double best = 0;
      for (int rep = 0; rep < 4; rep++) {
        long t0 = System.nanoTime();
        List<dev.rlhf.lm.sample.Completion> out =
            generator.generate(
                java.util.Collections.nCopies(b, prompt), SamplingParams.seeded(maxTokens, rep));
        double s = (System.nanoTime() - t0) / 1e9;
        long tokens = out.stream().mapToLong(c -> c.tokens().length).sum();
        if (rep > 0) best = Math.max(best, tokens / s); // the first is a warm-up
      }
      if (b == 1) one = best;
      if (b == 8) eight = best;
      String row =
          String.format(
              Locale.ROOT,
              "| %s | %d | %.0f tok/s | %.2fx | %s |",
              shape,
              b,
              best,
              best / one,
              b >= 8 ? String.format(Locale.ROOT, "%.2fx", best / eight) : "");
      System.out.println(row);
      rows.add(row);
    }
    return rows;
  }

  private static LanguageModel network(String shape) {
    Engine.getInstance().setRandomSeed(1);
    return switch (shape) {
      case "demo" ->
          LanguageModel.create(BaseModels.demoConfig(), new ByteTokenizer(), Device.cpu());
      case "gpt2-small" -> {
        Tokenizer t = new Gpt2Tokenizer();
        yield LanguageModel.create(GptConfig.gpt2Small(t.vocabSize()), t, Device.cpu());
      }
      default -> throw new IllegalArgumentException("unknown shape " + shape);
    };
  }

  /** Tokens per second sampled while {@code clients} each send one request after another. */
  private static double throughput(
      LanguageModel network, int maxRows, int clients, int maxTokens, double warmUp, double seconds)
      throws InterruptedException {
    GenerationQueue queue =
        new GenerationQueue(maxRows, clients, clients, new SimpleMeterRegistry());
    AtomicLong tokens = new AtomicLong();
    AtomicInteger seeds = new AtomicInteger();
    long end = System.nanoTime() + (long) ((warmUp + seconds) * 1e9);
    List<Thread> threads = new ArrayList<>();
    DemoWorld world = new DemoWorld(7);
    List<int[]> prompts = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      prompts.add(network.chatTemplate().promptForCompletion(world.next().conversation()));
    }
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  int seed = seeds.incrementAndGet();
                  GenerationQueue.Task task =
                      new GenerationQueue.Task(
                          network,
                          prompts.get(seed % prompts.size()),
                          1,
                          SamplingParams.seeded(maxTokens, seed),
                          (row, token) -> tokens.incrementAndGet());
                  queue.submit(Source.HTTP, task, (cs, nanos) -> cs, () -> {}).await();
                }
              });
      threads.add(t);
      t.start();
    }
    Thread.sleep((long) (warmUp * 1000));
    long t0 = System.nanoTime();
    long k0 = tokens.get();
    Thread.sleep((long) (seconds * 1000));
    double rate = (tokens.get() - k0) / ((System.nanoTime() - t0) / 1e9);
    for (Thread t : threads) {
      t.join();
    }
    queue.stop();
    return rate;
  }

  /**
   * Seconds to draw the completions of {@code prompts} ranking requests of K=4 as the Kafka side
   * does (8 samples each, so that 4 distinct ones are found), {@code inFlight} requests at a time.
   */
  private static double closedLoop(LanguageModel network, int maxRows, int inFlight, int prompts)
      throws InterruptedException {
    GenerationQueue queue =
        new GenerationQueue(maxRows, inFlight, inFlight, new SimpleMeterRegistry());
    DemoWorld world = new DemoWorld(11);
    List<int[]> encoded = new ArrayList<>();
    for (int i = 0; i < prompts; i++) {
      encoded.add(network.chatTemplate().promptForCompletion(world.next().conversation()));
    }
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(inFlight);
    long t0 = System.nanoTime();
    for (int c = 0; c < inFlight; c++) {
      new Thread(
              () -> {
                for (int i = next.getAndIncrement(); i < prompts; i = next.getAndIncrement()) {
                  GenerationQueue.Task task =
                      new GenerationQueue.Task(
                          network,
                          encoded.get(i),
                          8,
                          new SamplingParams(1f, 0, 1f, 64, List.of(), (long) i),
                          (row, token) -> {});
                  queue.submit(Source.KAFKA, task, (cs, nanos) -> cs, () -> {}).await();
                }
                done.countDown();
              })
          .start();
    }
    done.await();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    queue.stop();
    return elapsed;
  }
}
