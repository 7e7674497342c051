package dev.rlhf.runtime.registry;

import dev.rlhf.lm.demo.BaseModels;
import dev.rlhf.runtime.config.RuntimeSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

/**
 * The base network's way to being served. On a first start the demo base is pretrained for minutes;
 * meanwhile requests for it get 503 with Retry-After, {@code /v1/models} shows its progress and
 * readiness says what is happening. If it cannot be prepared, readiness turns DOWN and requests get
 * 503 with the reason, never a 404 for a name the README tells users to ask for.
 */
@ApplicationScoped
public class BasePreparation {

  /** Where the base is on its way. */
  public enum State {
    /** Being pretrained or loaded. */
    PREPARING,
    /** Loaded and served (or available, when a promoted version is already the default). */
    READY,
    /** Could not be prepared or loaded; the reason says why. */
    FAILED
  }

  /**
   * @param version the base's name
   * @param step pretraining steps done (0 when the base is only loaded)
   * @param steps pretraining steps in all (0 when the base is only loaded)
   * @param reason why it failed, or null
   */
  public record Status(State state, String version, int step, int steps, String reason) {

    /** One line for people: a log, a 503's detail, the run command's output. */
    public String describe() {
      return switch (state) {
        case PREPARING ->
            steps > 0
                ? "the base network "
                    + version
                    + " is being pretrained (step "
                    + step
                    + " of "
                    + steps
                    + "); retry later"
                : "the base network " + version + " is being loaded; retry later";
        case READY -> "the base network " + version + " is ready";
        case FAILED -> "the base network " + version + " could not be prepared: " + reason;
      };
    }
  }

  private volatile Status status;

  BasePreparation(RuntimeSettings settings) {
    String version =
        settings
            .baseCheckpoint()
            .map(dir -> Path.of(dir).getFileName().toString())
            .orElse(BaseModels.DEMO_BASE);
    status = new Status(State.PREPARING, version, 0, 0, null);
  }

  public Status status() {
    return status;
  }

  void pretraining(int step, int steps) {
    status = new Status(State.PREPARING, status.version(), step, steps, null);
  }

  void ready(String version) {
    Status s = status;
    status = new Status(State.READY, version, s.step(), s.steps(), null);
  }

  void failed(String reason) {
    Status s = status;
    status = new Status(State.FAILED, s.version(), s.step(), s.steps(), reason);
  }
}
