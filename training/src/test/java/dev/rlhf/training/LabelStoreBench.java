package dev.rlhf.training;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.contract.RankingSubmitted;
import dev.rlhf.events.contract.RankingSubmitted.RankedCompletion;
import dev.rlhf.training.preferences.Rankings;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A trainer's label store at a million-label scale (bench/reward-trainer/run-label-store.sh):
 * writes {@code events} rankings of K = 4 completions of about 300 characters (the size of the
 * runtime's 96-token completions) as a store file, opens it, and measures the opening, the heap the
 * store keeps, reading a snapshot of {@code snapshot} of them, and the heap the same events take
 * when held in memory (what the store kept before it read events from its file).
 */
public final class LabelStoreBench {

  private LabelStoreBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int snapshot = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("label-store-bench");
    Path file = dir.resolve("rankings.jsonl");
    Random random = new Random(1);
    List<UUID> ids = new ArrayList<>(events);
    long t0 = System.nanoTime();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < events; i++) {
        List<RankedCompletion> completions = new ArrayList<>();
        for (int k = 1; k <= 4; k++) completions.add(Rankings.completion(text(random), k));
        RankingSubmitted r =
            Rankings.ranking(new UUID(7, i), "Question " + i + "?", completions, false, null);
        ids.add(r.eventId());
        out.write(EventCodec.toJson(r));
        out.write('\n');
      }
    }
    double write = seconds(t0);
    long base = usedHeap();
    t0 = System.nanoTime();
    try (LabelStore<RankingSubmitted> store = LabelStore.open(file, RankingSubmitted.class)) {
      double open = seconds(t0);
      long index = usedHeap() - base;
      List<UUID> chosen = new ArrayList<>(ids.subList(0, Math.min(snapshot, events)));
      java.util.Collections.shuffle(chosen, random);
      t0 = System.nanoTime();
      List<RankingSubmitted> read = store.snapshot(chosen);
      double snapshotSeconds = seconds(t0);
      long held = usedHeap() - base - index;
      System.out.printf(
          "events %,d, file %.2f GB (written in %.1f s)%n", events, Files.size(file) / 1e9, write);
      System.out.printf("%-52s %10s%n", "measure", "value");
      System.out.printf("%-52s %10.1f%n", "open (read every line, index it): s", open);
      System.out.printf("%-52s %10.0f%n", "heap the open store keeps: MB", index / 1e6);
      System.out.printf(
          "%-52s %10.1f%n",
          "snapshot of " + read.size() + " events, shuffled ids: s", snapshotSeconds);
      System.out.printf(
          "%-52s %10.0f%n",
          "heap of those " + read.size() + " events held as objects: MB", held / 1e6);
      System.out.printf(
          "%-52s %10.0f%n",
          "the same for all " + events + " (what the store held before): MB",
          held / 1e6 * events / read.size());
    }
  }

  private static String text(Random random) {
    StringBuilder s = new StringBuilder(320);
    while (s.length() < 300) s.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    return s.toString();
  }

  private static final String[] WORDS = {
    "the",
    "capital",
    "of",
    "France",
    "is",
    "Paris",
    "and",
    "a",
    "cat",
    "says",
    "meow",
    "two",
    "plus",
    "three",
    "makes",
    "five",
    "Sure!",
    "Here",
    "answer",
    "question",
    "once",
    "upon",
    "time"
  };

  private static long usedHeap() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
