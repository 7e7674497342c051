package dev.rlhf.labeling.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rlhf.labeling.domain.UserAccount;
import io.quarkus.elytron.security.common.BcryptUtil;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starting where other machines can reach the service, with a default admin password, fails. */
class ExposureCheckTest {

  private static UserAccount admin(String password) {
    UserAccount account = new UserAccount();
    account.username = "admin";
    account.passwordHash = BcryptUtil.bcryptHash(password);
    return account;
  }

  @Test
  void shouldRefuseAReachableAddressWhileAnAdminStillHasTheDefaultPassword() {
    assertThat(ExposureCheck.refusal("0.0.0.0", "admin", List.of(admin("admin"))))
        .hasValueSatisfying(reason -> assertThat(reason).contains("default password", "0.0.0.0"));
    // Configured strong now, but the account was made with the default on an earlier start.
    assertThat(ExposureCheck.refusal("10.1.2.3", "a strong passphrase", List.of(admin("admin"))))
        .isPresent();
    assertThat(ExposureCheck.refusal("0.0.0.0", "short", List.of(admin("short")))).isPresent();
  }

  @Test
  void shouldStartOnLoopbackOrWithAStrongPassword() {
    assertThat(ExposureCheck.refusal("127.0.0.1", "admin", List.of(admin("admin")))).isEmpty();
    assertThat(ExposureCheck.refusal("localhost", "admin", List.of(admin("admin")))).isEmpty();
    assertThat(
            ExposureCheck.refusal(
                "0.0.0.0", "a strong passphrase", List.of(admin("a strong passphrase"))))
        .isEmpty();
  }
}
