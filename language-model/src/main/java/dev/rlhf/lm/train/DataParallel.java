package dev.rlhf.lm.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.rlhf.lm.Devices;
import dev.rlhf.lm.GradMode;
import dev.rlhf.lm.LanguageModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-parallel training over the devices of one machine. The network being trained (the primary,
 * on the first device) gets a replica on each other device; a step splits its batch into one {@link
 * Shard} per replica, runs each shard's forward pass on its replica, adds the shards' losses on the
 * primary's device and takes one backward pass through all of them (the engine runs the backward of
 * each device's part on that device), adds the replicas' gradients into the primary's, clips them,
 * lets the optimizer (which holds the primary's weights) take the step, and copies the updated
 * weights back to every replica.
 *
 * <p>Each shard's loss is its share of the whole batch's ({@link Shard#scaled}), so a step over n
 * devices takes the step one device would take on the whole batch, up to float rounding (the
 * shards' sums are added in another order): the same learning rate, schedule and clipping hold
 * whatever the number of devices, and a run can be resumed on another number.
 *
 * <p>With one device this is a plain training step. PyTorch has one CPU device, so replicas "on the
 * CPU" share its cores and memory: that checks the data-parallel path without GPUs, but gains no
 * speed.
 */
public final class DataParallel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DataParallel.class);
  private static final NDIndex ALL = new NDIndex("...");

  /**
   * A shard's part of a step.
   *
   * @param loss the shard's share of the batch's loss (on the replica's device)
   * @param figures scalars to report, each the shard's share of the batch's figure, so that the
   *     shards' figures add up to the batch's
   */
  public record Part(NDArray loss, Map<String, NDArray> figures) {}

  /** A step's loss on one shard of its batch. */
  @FunctionalInterface
  public interface ShardLoss {

    /**
     * @param replica the network to run the shard on (the primary for shard 0)
     * @param manager where the shard's arrays live, on the replica's device; closed after the step
     * @return the shard's part, or null when the shard holds none of the batch
     */
    Part loss(LanguageModel replica, NDManager manager, Shard shard);
  }

  /**
   * A step taken.
   *
   * @param loss the batch's loss
   * @param figures the batch's figures: the shards' figures added up
   * @param norm the gradient norm before clipping; not finite when the step was skipped
   */
  public record Step(float loss, Map<String, Double> figures, float norm) {

    public boolean applied() {
      return Float.isFinite(norm);
    }
  }

  private final List<LanguageModel> replicas = new ArrayList<>();

  private DataParallel(LanguageModel primary) {
    replicas.add(primary);
  }

  /**
   * Training over {@code devices}: the first must be the primary's, each other one gets a replica
   * holding the primary's weights (heads included). Add heads to the primary before this. No
   * devices: the primary's alone.
   */
  public static DataParallel over(LanguageModel primary, List<Device> devices) {
    if (devices.isEmpty()) return new DataParallel(primary);
    if (!devices.get(0).equals(primary.device())) {
      throw new IllegalArgumentException(
          "the first training device must be the network's own, "
              + primary.device()
              + ", not "
              + devices);
    }
    DataParallel parallel = new DataParallel(primary);
    try {
      for (Device device : devices.subList(1, devices.size())) {
        LanguageModel replica = primary.copyTo(device);
        replica.namedParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
        parallel.replicas.add(replica);
      }
    } catch (RuntimeException e) {
      parallel.close();
      throw e;
    }
    if (devices.size() > 1) {
      LOG.info(
          "data-parallel training over {} devices: {}",
          devices.size(),
          devices.stream().map(Devices::label).toList());
    }
    return parallel;
  }

  /** Devices trained on. */
  public int size() {
    return replicas.size();
  }

  /**
   * One optimizer step: every shard's loss on its replica, one backward pass through their sum, the
   * replicas' gradients added into the primary's and clipped to {@code gradClip}, the optimizer's
   * step at {@code lr} (skipped, and the gradients dropped, when their norm is not finite: one
   * overflowing batch must not poison the weights), the new weights copied to the replicas.
   */
  public Step step(AdamW adam, float lr, float gradClip, ShardLoss shardLoss) {
    List<NDManager> managers = new ArrayList<>();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (LanguageModel replica : replicas) {
        managers.add(replica.manager().newSubManager());
      }
      List<Part> parts = new ArrayList<>();
      List<Integer> used = new ArrayList<>();
      NDArray total = null;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        for (int i = 0; i < replicas.size(); i++) {
          Part part =
              shardLoss.loss(replicas.get(i), managers.get(i), new Shard(i, replicas.size()));
          if (part == null) continue;
          parts.add(part);
          used.add(i);
          NDArray onPrimary = part.loss().toDevice(primary().device(), false);
          total = total == null ? onPrimary : total.add(onPrimary);
        }
        if (total == null) {
          throw new IllegalArgumentException("a training step with an empty batch");
        }
        collector.backward(total);
      }
      addReplicaGradients(used);
      float norm = GradientClipping.clip(adam.weights(), gradClip);
      if (Float.isFinite(norm)) {
        adam.step(lr);
        copyWeightsToReplicas();
      } else {
        adam.zeroGradients();
      }
      Map<String, Double> figures = new LinkedHashMap<>();
      for (Part part : parts) {
        part.figures()
            .forEach((name, v) -> figures.merge(name, (double) v.getFloat(), Double::sum));
      }
      return new Step(total.getFloat(), figures, norm);
    } finally {
      managers.forEach(NDManager::close);
    }
  }

  private LanguageModel primary() {
    return replicas.get(0);
  }

  /**
   * Adds the gradients of the replicas that took part in the step into the primary's, in device
   * order (a fixed order: the sum is the same in every run), and zeroes theirs.
   */
  private void addReplicaGradients(List<Integer> used) {
    if (replicas.size() == 1) return;
    Map<String, Parameter> primary = primary().namedParameters();
    Device device = primary().device();
    try (GradMode.Scope noGraph = GradMode.off();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (int i : used) {
        if (i == 0) continue;
        for (Map.Entry<String, Parameter> p : replicas.get(i).namedParameters().entrySet()) {
          NDArray gradient = p.getValue().getArray().getGradient();
          primary.get(p.getKey()).getArray().getGradient().addi(gradient.toDevice(device, false));
          gradient.set(ALL, 0f);
        }
      }
    }
  }

  private void copyWeightsToReplicas() {
    if (replicas.size() == 1) return;
    Map<String, Parameter> primary = primary().namedParameters();
    try (GradMode.Scope noGraph = GradMode.off();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (LanguageModel replica : replicas.subList(1, replicas.size())) {
        for (Map.Entry<String, Parameter> p : replica.namedParameters().entrySet()) {
          NDArray weight = p.getValue().getArray();
          weight.set(ALL, primary.get(p.getKey()).getArray().toDevice(replica.device(), false));
        }
      }
    }
  }

  /** Closes the replicas; the primary stays the caller's. */
  @Override
  public void close() {
    replicas.subList(1, replicas.size()).forEach(LanguageModel::close);
  }
}
