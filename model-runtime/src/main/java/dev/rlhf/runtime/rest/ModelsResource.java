package dev.rlhf.runtime.rest;

import dev.rlhf.runtime.registry.VersionRegistry;
import dev.rlhf.runtime.rest.OpenAiResponses.ModelCard;
import dev.rlhf.runtime.rest.OpenAiResponses.ModelList;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/models}: every policy version this runtime can serve, the default marked. */
@Path("/v1/models")
public class ModelsResource {

  private final VersionRegistry registry;

  ModelsResource(VersionRegistry registry) {
    this.registry = registry;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public ModelList list() {
    return new ModelList(
        "list",
        registry.versions().stream()
            .map(
                v ->
                    new ModelCard(
                        v.name(),
                        "model",
                        v.created(),
                        "rlhf-platform",
                        v.isDefault(),
                        v.loaded(),
                        v.checkpoint().toString()))
            .toList());
  }
}
