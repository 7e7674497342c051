package dev.rlhf.labeling.service;

import dev.rlhf.labeling.config.AdminSettings;
import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.domain.UserAccount;
import dev.rlhf.labeling.security.PasswordPolicy;
import dev.rlhf.labeling.security.SessionStore;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Accounts and their roles; the first administrator comes from configuration. */
@ApplicationScoped
public class AccountService {

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{2,64}");

  private final AdminSettings admin;
  private final SessionStore sessions;

  AccountService(AdminSettings admin, SessionStore sessions) {
    this.admin = admin;
    this.sessions = sessions;
  }

  /**
   * The configured password is not held to the length rule: the documented default (admin/admin)
   * lets a first local start work; {@code ExposureCheck} refuses it on a reachable address.
   * Replicas starting together on an empty database take turns here, so exactly one creates the
   * admin and none fails its start on the username's uniqueness.
   */
  @Transactional
  void createFirstAdmin(@Observes StartupEvent event) {
    UserAccount.getEntityManager()
        .createNativeQuery("select pg_advisory_xact_lock(hashtext('rlhf-first-admin'))")
        .getSingleResult();
    boolean anyAdmin =
        UserAccount.<UserAccount>streamAll().anyMatch(u -> u.roleSet().contains(Role.ADMIN));
    if (anyAdmin || UserAccount.findByUsername(admin.username()).isPresent()) return;
    requireUsername(admin.username());
    insert(admin.username(), admin.password(), EnumSet.of(Role.ADMIN));
    Log.infof("created the first administrator '%s' from configuration", admin.username());
  }

  @Transactional
  public UserAccount create(String username, String password, List<String> roleNames) {
    requireUsername(username);
    PasswordPolicy.require("password", password);
    Set<Role> roles = parseRoles(roleNames);
    if (UserAccount.findByUsername(username).isPresent()) {
      throw ApiProblem.conflict("username", "username '" + username + "' is taken");
    }
    return insert(username, password, roles);
  }

  /** A new password of the caller's own choosing; every other session of theirs ends. */
  @Transactional
  public void changePassword(UUID accountId, String newPassword, UUID keepSession) {
    PasswordPolicy.require("newPassword", newPassword);
    UserAccount account = UserAccount.findById(accountId);
    account.passwordHash = BcryptUtil.bcryptHash(newPassword);
    sessions.closeAll(account.id, keepSession);
  }

  /**
   * An admin's reset: a random temporary password, returned once for the admin to pass on, and
   * every session of the account ended (whoever had it signed in is signed out).
   */
  @Transactional
  public String resetPassword(String username) {
    UserAccount account = find(username);
    String temporary = PasswordPolicy.temporary();
    account.passwordHash = BcryptUtil.bcryptHash(temporary);
    sessions.closeAll(account.id, null);
    return temporary;
  }

  /**
   * Replaces an account's roles. An admin cannot drop their own admin role: the one acting always
   * stays an admin, so the platform never locks out its last administrator.
   */
  @Transactional
  public UserAccount changeRoles(String username, List<String> roleNames, String changedBy) {
    UserAccount account = find(username);
    Set<Role> roles = parseRoles(roleNames);
    if (account.username.equals(changedBy) && !roles.contains(Role.ADMIN)) {
      throw ApiProblem.conflict(
          "roles", "you cannot take away your own admin role; another admin can");
    }
    account.roles = Role.join(roles);
    return account;
  }

  /** Deactivates or activates an account; an admin cannot deactivate their own, for that reason. */
  @Transactional
  public UserAccount setActive(String username, boolean active, String changedBy) {
    UserAccount account = find(username);
    if (!active && account.username.equals(changedBy)) {
      throw ApiProblem.conflict("username", "you cannot deactivate your own account");
    }
    account.active = active;
    if (!active) sessions.closeAll(account.id, null);
    return account;
  }

  public List<UserAccount> list() {
    return UserAccount.listAll(io.quarkus.panache.common.Sort.by("username"));
  }

  public UserAccount find(String username) {
    return UserAccount.findByUsername(username)
        .orElseThrow(() -> ApiProblem.notFound("user '" + username + "'"));
  }

  private static void requireUsername(String username) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw ApiProblem.invalid("username", "username must be 2-64 letters, digits or ._@-");
    }
  }

  private static UserAccount insert(String username, String password, Set<Role> roles) {
    UserAccount account = new UserAccount();
    account.id = UUID.randomUUID();
    account.username = username;
    account.passwordHash = BcryptUtil.bcryptHash(password);
    account.roles = Role.join(roles);
    account.active = true;
    account.createdAt = Instant.now();
    account.persist();
    return account;
  }

  private static Set<Role> parseRoles(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw ApiProblem.invalid("roles", "at least one role is required");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : names) {
      Role role = Role.parse(name);
      if (role == null) {
        throw ApiProblem.invalid(
            "roles", "unknown role '" + name + "'; use contractor, reviewer, researcher or admin");
      }
      roles.add(role);
    }
    return roles;
  }
}
