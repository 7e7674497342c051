package dev.rlhf.labeling.runtimekeys;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.rest.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Admins issue and revoke the keys clients of the model runtime send as bearer tokens. */
@Path("/api/admin/runtime-keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public class RuntimeKeyResource {

  public record NewKey(String name) {}

  /** A key without its secret, which is never shown again after issue. */
  public record KeyView(
      UUID id, String name, String createdBy, Instant createdAt, Instant revokedAt) {
    static KeyView of(RuntimeApiKey k) {
      return new KeyView(k.id, k.name, k.createdBy, k.createdAt, k.revokedAt);
    }
  }

  private final RuntimeKeys keys;
  private final Caller caller;

  RuntimeKeyResource(RuntimeKeys keys, Caller caller) {
    this.keys = keys;
    this.caller = caller;
  }

  @GET
  public List<KeyView> list() {
    return keys.list().stream().map(KeyView::of).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response issue(NewKey body) {
    RuntimeKeys.IssuedKey issued = keys.issue(body == null ? null : body.name(), caller.username());
    return Response.status(Response.Status.CREATED).entity(issued).build();
  }

  @POST
  @Path("/{id}/revoke")
  @Consumes(MediaType.WILDCARD)
  public KeyView revoke(@PathParam("id") UUID id) {
    return KeyView.of(keys.revoke(id));
  }
}
