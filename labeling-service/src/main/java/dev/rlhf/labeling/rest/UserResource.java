package dev.rlhf.labeling.rest;

import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.domain.UserAccount;
import dev.rlhf.labeling.service.AccountService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Accounts and roles, for administrators. Passwords are never returned. */
@Path("/api/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public class UserResource {

  public record NewUser(String username, String password, List<String> roles) {}

  public record RolesChange(List<String> roles) {}

  /** A reset's temporary password: shown this once, for the admin to pass on. */
  public record PasswordReset(String username, String temporaryPassword) {}

  public record UserView(
      UUID id, String username, List<String> roles, boolean active, Instant createdAt) {
    static UserView of(UserAccount u) {
      return new UserView(
          u.id,
          u.username,
          u.roleSet().stream().map(Role::roleName).toList(),
          u.active,
          u.createdAt);
    }
  }

  private final AccountService accounts;
  private final Caller caller;

  UserResource(AccountService accounts, Caller caller) {
    this.accounts = accounts;
    this.caller = caller;
  }

  @GET
  public List<UserView> list() {
    return accounts.list().stream().map(UserView::of).toList();
  }

  @POST
  public Response create(NewUser body) {
    NewUser in = body == null ? new NewUser(null, null, null) : body;
    UserAccount account = accounts.create(in.username(), in.password(), in.roles());
    return Response.status(Response.Status.CREATED).entity(UserView.of(account)).build();
  }

  @PUT
  @Path("/{username}/roles")
  public UserView changeRoles(@PathParam("username") String username, RolesChange body) {
    return UserView.of(
        accounts.changeRoles(username, body == null ? null : body.roles(), caller.username()));
  }

  @POST
  @Path("/{username}/deactivate")
  @Consumes(MediaType.WILDCARD)
  public UserView deactivate(@PathParam("username") String username) {
    return UserView.of(accounts.setActive(username, false, caller.username()));
  }

  /** A temporary password in place of the forgotten one; the account's sessions end. */
  @POST
  @Path("/{username}/password-reset")
  @Consumes(MediaType.WILDCARD)
  public PasswordReset resetPassword(@PathParam("username") String username) {
    return new PasswordReset(username, accounts.resetPassword(username));
  }

  @POST
  @Path("/{username}/activate")
  @Consumes(MediaType.WILDCARD)
  public UserView activate(@PathParam("username") String username) {
    return UserView.of(accounts.setActive(username, true, caller.username()));
  }
}
