package dev.rlhf.lm;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks where the networks run: the first GPU when DJL finds one, the CPU otherwise. */
public final class Devices {

  private static final Logger LOG = LoggerFactory.getLogger(Devices.class);

  private Devices() {}

  /** The preferred device, logged once per call so operators see where training runs. */
  public static Device preferred() {
    int gpus = Engine.getInstance().getGpuCount();
    Device device = gpus > 0 ? Device.gpu() : Device.cpu();
    LOG.info(
        "DJL {} found {} GPU(s); using {}", Engine.getInstance().getEngineName(), gpus, device);
    return device;
  }

  /**
   * The devices training runs on: the first {@code requested} GPUs (every GPU found when it is 0),
   * the CPU when there is none. Asking for more GPUs than there are is an error. On a machine
   * without a GPU, {@code requested} above 1 gives that many logical replicas on the CPU, which
   * share its cores: a check of the data-parallel path, not a speed-up.
   */
  public static List<Device> forTraining(int requested) {
    if (requested < 0) {
      throw new IllegalArgumentException("training devices must be 0 (all GPUs) or more");
    }
    int gpus = Engine.getInstance().getGpuCount();
    List<Device> devices = new ArrayList<>();
    if (gpus == 0) {
      for (int i = 0; i < Math.max(1, requested); i++) devices.add(Device.cpu());
    } else {
      if (requested > gpus) {
        throw new IllegalArgumentException(
            requested + " training devices asked for, " + gpus + " GPU(s) found");
      }
      for (int i = 0; i < (requested == 0 ? gpus : requested); i++) devices.add(Device.gpu(i));
    }
    LOG.info(
        "DJL {} found {} GPU(s); training on {}",
        Engine.getInstance().getEngineName(),
        gpus,
        devices.stream().map(Devices::label).toList());
    return devices;
  }

  /** How a device is named in heartbeats and logs: "cpu" or "gpu:N". */
  public static String label(Device device) {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
  }
}
