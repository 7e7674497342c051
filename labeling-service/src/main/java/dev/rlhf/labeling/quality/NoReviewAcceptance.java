package dev.rlhf.labeling.quality;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/** No review feature: nobody has an acceptance rate. A review feature's bean replaces this one. */
@ApplicationScoped
@DefaultBean
public class NoReviewAcceptance implements ReviewAcceptance {

  @Override
  public Map<UUID, Double> ratesByContractor(UUID projectId) {
    return Map.of();
  }
}
