package dev.outpost.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The logins every app reads from outpost.security.users, as Spring Security sees them. */
class UsersTest {
  private final PasswordEncoder spring = PasswordEncoderFactories.createDelegatingPasswordEncoder();

  @Test
  void plainPasswordsAreNoopAndPrefixedOnesAreKeptRolesUpperCased() {
    String hash = "{bcrypt}" + new BCryptPasswordEncoder().encode("s3cret");
    Users users =
        new Users(
            List.of(
                new Users.Login("ops", "plain", "ops"), new Users.Login("ann", hash, "Viewer")));

    UserDetails ops = users.userDetails().loadUserByUsername("ops");
    UserDetails ann = users.userDetails().loadUserByUsername("ann");

    assertThat(ops.getPassword()).isEqualTo("{noop}plain");
    assertThat(spring.matches("plain", ops.getPassword())).isTrue();
    assertThat(ops.getAuthorities())
        .extracting(GrantedAuthority::getAuthority)
        .containsExactly("ROLE_OPS");
    assertThat(ann.getPassword()).isEqualTo(hash);
    assertThat(spring.matches("s3cret", ann.getPassword())).isTrue();
    assertThat(spring.matches(hash, ann.getPassword())).isFalse();
    assertThat(ann.getAuthorities())
        .extracting(GrantedAuthority::getAuthority)
        .containsExactly("ROLE_VIEWER");
  }

  @Test
  void noConfiguredLoginsMeansNobodyLogsIn() {
    Users none = new Users(null);
    assertThat(none.users()).isEmpty();
    assertThatThrownBy(() -> none.userDetails().loadUserByUsername("ops"))
        .isInstanceOf(UsernameNotFoundException.class);
  }
}
