package dev.rlhf.policy;

import dev.rlhf.policy.train.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Keeps every progress report; can simulate a kill after a given step. */
public final class RecordingListener implements ProgressListener {

  public record Report(long step, Map<String, Double> metrics, List<String> samples) {}

  public final List<Report> reports = new ArrayList<>();
  private final long killAfter;

  public RecordingListener(long killAfter) {
    this.killAfter = killAfter;
  }

  public RecordingListener() {
    this(Long.MAX_VALUE);
  }

  @Override
  public void onProgress(long step, long total, Map<String, Double> metrics, List<String> samples) {
    reports.add(new Report(step, metrics, samples));
    System.out.println("step " + step + " " + metrics + " " + samples);
    if (step == killAfter) {
      throw new SimulatedKill();
    }
  }

  public double metric(int index, String name) {
    return reports.get(index).metrics().get(name);
  }

  /** Stands for the process dying between two steps. */
  public static final class SimulatedKill extends RuntimeException {}
}
