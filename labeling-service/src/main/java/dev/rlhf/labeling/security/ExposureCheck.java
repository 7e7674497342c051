package dev.rlhf.labeling.security;

import dev.rlhf.labeling.config.AdminSettings;
import dev.rlhf.labeling.domain.Role;
import dev.rlhf.labeling.domain.UserAccount;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.transaction.Transactional;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start on an address other machines can reach while an admin account still signs in
 * with the public default password (or the configured one, when that is shorter than the rule for
 * passwords). On 127.0.0.1 the default keeps a first local start simple.
 */
@ApplicationScoped
public class ExposureCheck {

  private final String host;
  private final AdminSettings admin;

  ExposureCheck(@ConfigProperty(name = "quarkus.http.host") String host, AdminSettings admin) {
    this.host = host;
    this.admin = admin;
  }

  /** After the first admin is created from configuration (default observer priority). */
  @Transactional
  void check(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
    List<UserAccount> admins =
        UserAccount.<UserAccount>streamAll()
            .filter(u -> u.active && u.roleSet().contains(Role.ADMIN))
            .toList();
    Optional<String> refusal = refusal(host, admin.password(), admins);
    if (refusal.isPresent()) throw new IllegalStateException(refusal.get());
  }

  static Optional<String> refusal(String host, String configured, List<UserAccount> admins) {
    if (isLoopback(host)) return Optional.empty();
    Set<String> weak = new LinkedHashSet<>(List.of(AdminSettings.DEFAULT_PASSWORD));
    if (configured != null && configured.length() < PasswordPolicy.MIN_LENGTH) weak.add(configured);
    for (UserAccount account : admins) {
      for (String password : weak) {
        if (BcryptUtil.matches(password, account.passwordHash)) {
          return Optional.of(
              "refusing to listen on "
                  + host
                  + ", which other machines can reach: the admin account '"
                  + account.username
                  + "' still signs in with "
                  + (password.equals(AdminSettings.DEFAULT_PASSWORD)
                      ? "the public default password"
                      : "a password shorter than " + PasswordPolicy.MIN_LENGTH + " characters")
                  + ". Set ADMIN_PASSWORD (or ./run.sh --admin-password) before the first start,"
                  + " or start once on 127.0.0.1 and change the password (account menu, or"
                  + " POST /api/me/password).");
        }
      }
    }
    return Optional.empty();
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
