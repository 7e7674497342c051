package dev.rlhf.lm.sample;

import java.util.List;
import java.util.Random;

/**
 * Time to choose one token from one row of probabilities over GPT-2's vocabulary (50,262 ids) with
 * the platform's plain-Java sampler, for greedy, plain and top-p/top-k sampling (a benchmark, not a
 * test; run by bench/language-model/run.sh). n samples of a prompt pay it n times per step.
 */
public final class SamplerBench {

  private static final int VOCAB = 50_262;

  private SamplerBench() {}

  public static void main(String[] args) {
    // The softmax of logits drawn from N(0, 3^2), as the device hands the sampler each row.
    float[] probabilities = new float[VOCAB];
    Random random = new Random(1);
    double sum = 0;
    for (int i = 0; i < VOCAB; i++) {
      probabilities[i] = (float) Math.exp(random.nextGaussian() * 3);
      sum += probabilities[i];
    }
    for (int i = 0; i < VOCAB; i++) {
      probabilities[i] /= (float) sum;
    }
    List<String> names = List.of("greedy", "temperature 1", "top_p 0.9", "top_k 40");
    List<SamplingParams> all =
        List.of(
            SamplingParams.greedy(1),
            SamplingParams.seeded(1, 1),
            new SamplingParams(1f, 0, 0.9f, 1, List.of(), 1L),
            new SamplingParams(1f, 40, 1f, 1, List.of(), 1L));
    for (int k = 0; k < all.size(); k++) {
      TokenSampler sampler = new TokenSampler(all.get(k));
      double best = Double.MAX_VALUE;
      for (int rep = 0; rep < 5; rep++) {
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
          sampler.choose(probabilities, 0, VOCAB);
        }
        best = Math.min(best, (System.nanoTime() - start) / 100 / 1e6);
      }
      System.out.printf("sampler %-14s %.3f ms a row (vocabulary %d)%n", names.get(k), best, VOCAB);
    }
  }
}
