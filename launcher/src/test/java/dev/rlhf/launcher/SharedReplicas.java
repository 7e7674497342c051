package dev.rlhf.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scale-out stack that {@code ScaledWorkersIT} and {@code LabelingReplicasIT} share: one
 * PostgreSQL, one broker whose topics have {@value #PARTITIONS} partitions where their order
 * allows, and {@value #LABELING_INSTANCES} labeling-service instances started at once on the empty
 * database (they race for the migrations and the first admin). {@code ScaledWorkersIT} runs first,
 * adds its runtimes and trainers and stops them when it ends; {@code LabelingReplicasIT} then kills
 * instances. It is started by the first test that asks for it and runs until the test run ends or
 * another stack starts ({@link SharedStacks}).
 */
final class SharedReplicas {

  static final int PARTITIONS = 4;
  static final int LABELING_INSTANCES = 3;

  /** The stack, and its labeling-service instances in the order they were started. */
  record Running(Replicas replicas, List<ServiceProcess> labeling) {}

  private static Running running;
  private static SharedStacks.DataDirectory data;

  private SharedReplicas() {}

  /**
   * The stack, started if none runs; its instances may still be starting ({@link
   * Replicas#awaitReady}).
   */
  static synchronized Running get() {
    if (running == null) {
      SharedPlatform.stopForOwnServices();
      data = SharedStacks.DataDirectory.create("rlhf-shared-replicas-");
      Replicas replicas;
      try {
        replicas = Replicas.start(data.path(), PARTITIONS);
      } catch (RuntimeException | Error e) {
        data.keep();
        throw e;
      }
      List<ServiceProcess> labeling = new ArrayList<>();
      for (int i = 0; i < LABELING_INSTANCES; i++) {
        labeling.add(replicas.add("labeling-service", "labeling-" + i, Map.of()));
      }
      running = new Running(replicas, List.copyOf(labeling));
    }
    return running;
  }

  /** Stops the stack, if one runs, and deletes its data. */
  static synchronized void stopForOwnServices() {
    try {
      if (running != null) running.replicas().close();
    } finally {
      running = null;
      if (data != null) data.close();
      data = null;
    }
  }
}
