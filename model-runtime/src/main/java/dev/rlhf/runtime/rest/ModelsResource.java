package dev.rlhf.runtime.rest;

import dev.rlhf.runtime.registry.BasePreparation;
import dev.rlhf.runtime.registry.VersionRegistry;
import dev.rlhf.runtime.rest.OpenAiResponses.ModelCard;
import dev.rlhf.runtime.rest.OpenAiResponses.ModelList;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/models}: every policy version this runtime can serve, the default marked, and the
 * base network while it is being prepared (or why it could not be).
 */
@Path("/v1/models")
@Authenticated
public class ModelsResource {

  private final VersionRegistry registry;
  private final BasePreparation base;
  private final long startedAt = Instant.now().getEpochSecond();

  ModelsResource(VersionRegistry registry, BasePreparation base) {
    this.registry = registry;
    this.base = base;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public ModelList list() {
    List<ModelCard> cards = new ArrayList<>();
    for (VersionRegistry.VersionInfo v : registry.versions()) {
      cards.add(
          new ModelCard(
              v.name(),
              "model",
              v.created(),
              "rlhf-platform",
              v.isDefault(),
              v.loaded(),
              v.loaded() ? "ready" : "available",
              null));
    }
    BasePreparation.Status status = base.status();
    boolean listed = cards.stream().anyMatch(c -> c.id().equals(status.version()));
    if (status.state() != BasePreparation.State.READY && !listed) {
      cards.add(
          new ModelCard(
              status.version(),
              "model",
              startedAt,
              "rlhf-platform",
              false,
              false,
              status.state().name().toLowerCase(Locale.ROOT),
              status.describe()));
    }
    return new ModelList("list", cards);
  }
}
