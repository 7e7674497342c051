package dev.rlhf.policy.ppo;

import dev.rlhf.policy.config.PpoConfig;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Guards against reward hacking: run long enough, RL finds outputs the reward model scores high and
 * people do not want (Gao et al. 2022, "Scaling laws for reward model overoptimization"). Each step
 * reports what its rollouts measured; the guards compare the mean of the last {@code guardWindow}
 * steps with the start (the first batch, sampled by the SFT policy) and trip on:
 *
 * <ul>
 *   <li>length collapse: responses shorter than {@code minLengthRatio} of the start's;
 *   <li>KL held above target: every step of the window over {@code maxKlRatio} x {@code targetKl},
 *       or one step over {@code klHardLimit};
 *   <li>entropy collapse: the policy's entropy below {@code minEntropyRatio} of the start's;
 *   <li>proxy and check apart: the proxy reward above its start while the independent check model's
 *       score fell more than {@code maxCheckDrop} of its start's standard deviations.
 * </ul>
 *
 * They also keep the quality a rollback is judged by: the window's mean check score, or the proxy
 * reward where the reward model has no check model.
 */
public final class PpoGuards {

  /**
   * What one step's rollouts measured.
   *
   * @param check mean score of the check model, NaN without one
   */
  public record Observation(double length, double kl, double entropy, double proxy, double check) {}

  /**
   * The start the guards compare with: the first batch's measurements (saved with the run's state).
   *
   * @param checkSpread standard deviation of the check model's scores in the first batch
   */
  public record Baseline(
      double length, double entropy, double proxy, double check, double checkSpread) {}

  /** A guard that tripped, and why, in words for the researcher. */
  public record Trip(String guard, String reason) {}

  private final PpoConfig config;
  private final Baseline start;
  private final Deque<Observation> window = new ArrayDeque<>();

  public PpoGuards(PpoConfig config, Baseline start) {
    this(config, start, List.of());
  }

  /**
   * Guards that go on from the last steps they saw (a resumed run's, from its saved state), so they
   * trip and judge quality exactly where the guards of a run that never stopped would.
   *
   * @param recent the last observations, oldest first ({@link #recent()} of the guards before)
   */
  public PpoGuards(PpoConfig config, Baseline start, List<Observation> recent) {
    this.config = config;
    this.start = start;
    recent.forEach(this::remember);
  }

  /** Takes the step's measurements; answers the first guard they trip. */
  public Optional<Trip> observe(int step, Observation o) {
    remember(o);
    if (o.kl() > config.klHardLimit()) {
      return trip(
          "kl",
          String.format(
              "KL to the reference %.2f nats at step %d, over the hard limit %.1f",
              o.kl(), step, config.klHardLimit()));
    }
    if (window.size() < config.guardWindow()) return Optional.empty();
    double length = mean(Observation::length);
    if (length < config.minLengthRatio() * start.length()) {
      return trip(
          "length",
          String.format(
              "responses collapsed to %.1f tokens on average against %.1f at the start",
              length, start.length()));
    }
    double klBound = config.maxKlRatio() * config.targetKl();
    if (window.stream().allMatch(w -> w.kl() > klBound)) {
      return trip(
          "kl",
          String.format(
              "KL stayed above %.1f nats (%.1f x the target) for %d steps, at %.2f",
              klBound, config.maxKlRatio(), config.guardWindow(), mean(Observation::kl)));
    }
    double entropy = mean(Observation::entropy);
    if (entropy < config.minEntropyRatio() * start.entropy()) {
      return trip(
          "entropy",
          String.format(
              "the policy's entropy collapsed to %.3f against %.3f at the start",
              entropy, start.entropy()));
    }
    if (!Double.isNaN(o.check()) && start.checkSpread() > 0) {
      double proxyGain = mean(Observation::proxy) - start.proxy();
      double checkDrop = (start.check() - mean(Observation::check)) / start.checkSpread();
      if (proxyGain > 0 && checkDrop > config.maxCheckDrop()) {
        return trip(
            "overoptimization",
            String.format(
                "the reward model's score rose by %.3f while its independent check fell by %.2f"
                    + " standard deviations",
                proxyGain, checkDrop));
      }
    }
    return Optional.empty();
  }

  /** The window's mean check score (the proxy reward without a check model); NaN until full. */
  public double quality() {
    if (window.size() < config.guardWindow()) return Double.NaN;
    return Double.isNaN(window.peekLast().check())
        ? mean(Observation::proxy)
        : mean(Observation::check);
  }

  /**
   * The observations the window holds now, oldest first: what a resumed run's guards go on from.
   */
  public List<Observation> recent() {
    return List.copyOf(window);
  }

  private void remember(Observation o) {
    window.addLast(o);
    if (window.size() > config.guardWindow()) window.removeFirst();
  }

  /** The start's quality, on the scale of {@link #quality()}. */
  public double startQuality() {
    return Double.isNaN(start.check()) ? start.proxy() : start.check();
  }

  private double mean(ToDoubleFunction<Observation> f) {
    return window.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  private static Optional<Trip> trip(String guard, String reason) {
    return Optional.of(new Trip(guard, reason));
  }
}
