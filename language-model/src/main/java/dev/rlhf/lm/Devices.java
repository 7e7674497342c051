package dev.rlhf.lm;

import ai.djl.Device;
import ai.djl.engine.Engine;
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

  /** How a device is named in heartbeats and logs: "cpu" or "gpu:N". */
  public static String label(Device device) {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
  }
}
