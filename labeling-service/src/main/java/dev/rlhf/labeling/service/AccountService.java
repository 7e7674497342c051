package dev.rlhf.labeling.service;

import dev.rlhf.labeling.config.AdminSettings;
import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.domain.UserAccount;
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
  private static final int MIN_PASSWORD = 5;

  private final AdminSettings admin;

  AccountService(AdminSettings admin) {
    this.admin = admin;
  }

  @Transactional
  void createFirstAdmin(@Observes StartupEvent event) {
    boolean anyAdmin =
        UserAccount.<UserAccount>streamAll().anyMatch(u -> u.roleSet().contains(Role.ADMIN));
    if (anyAdmin || UserAccount.findByUsername(admin.username()).isPresent()) return;
    create(admin.username(), admin.password(), List.of(Role.ADMIN_NAME));
    Log.infof("created the first administrator '%s' from configuration", admin.username());
  }

  @Transactional
  public UserAccount create(String username, String password, List<String> roleNames) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw ApiProblem.invalid("username", "username must be 2-64 letters, digits or ._@-");
    }
    if (password == null || password.length() < MIN_PASSWORD || password.length() > 200) {
      throw ApiProblem.invalid("password", "password must be 5 to 200 characters");
    }
    Set<Role> roles = parseRoles(roleNames);
    if (UserAccount.findByUsername(username).isPresent()) {
      throw ApiProblem.conflict("username", "username '" + username + "' is taken");
    }
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
    return account;
  }

  public List<UserAccount> list() {
    return UserAccount.listAll(io.quarkus.panache.common.Sort.by("username"));
  }

  public UserAccount find(String username) {
    return UserAccount.findByUsername(username)
        .orElseThrow(() -> ApiProblem.notFound("user '" + username + "'"));
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
