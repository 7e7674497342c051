package dev.rlhf.labeling.membership;

import dev.rlhf.labeling.service.ApiProblem;
import java.time.Instant;

/** A contractor took as many of a project's tasks as its cap allows; 429 until {@code retryAt}. */
public class CapReached extends ApiProblem {

  private final Instant retryAt;

  public CapReached(String detail, Instant retryAt) {
    super(429, "Task cap reached", "project", detail);
    this.retryAt = retryAt;
  }

  public Instant retryAt() {
    return retryAt;
  }
}
