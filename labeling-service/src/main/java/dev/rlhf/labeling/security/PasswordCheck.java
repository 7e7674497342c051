package dev.rlhf.labeling.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * The one place a password is checked: the login form, basic auth and a password change. It is
 * throttled ({@link LoginThrottle}), and an unknown or deactivated account costs a bcrypt check
 * like a real one, so the time an answer takes does not tell which usernames exist.
 */
@ApplicationScoped
public class PasswordCheck {

  // The hash of a password nobody knows, checked when there is no account to check against.
  private static final String NO_ACCOUNT_HASH = BcryptUtil.bcryptHash(UUID.randomUUID().toString());

  private final AccountLookup accounts;
  private final VerifiedCredentials verified;
  private final LoginThrottle throttle;

  PasswordCheck(AccountLookup accounts, VerifiedCredentials verified, LoginThrottle throttle) {
    this.accounts = accounts;
    this.verified = verified;
    this.throttle = throttle;
  }

  /**
   * The active account with this username and password.
   *
   * @param address the client's address, for throttling
   * @throws AuthenticationFailedException when the username or the password is wrong, or,
   *     unchecked, when the account or the address must wait ({@link
   *     LoginThrottle#retryAfterSeconds})
   */
  public AccountLookup.StoredAccount verify(String username, String password, String address) {
    Duration wait = throttle.waitFor(username, address);
    if (!wait.isZero()) throw LoginThrottle.refusal(wait);
    var account =
        username == null ? null : accounts.find(username).filter(a -> a.active()).orElse(null);
    String hash = account == null ? NO_ACCOUNT_HASH : account.passwordHash();
    String given = password == null ? "" : password;
    boolean matches =
        account != null && verified.isVerified(account.username(), hash, given)
            || BcryptUtil.matches(given, hash);
    if (account == null || !matches) {
      throttle.failed(username, address);
      throw new AuthenticationFailedException();
    }
    throttle.succeeded(username);
    verified.remember(account.username(), hash, given);
    return account;
  }
}
