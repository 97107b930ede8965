package com.voiceledger.security;

import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.shared.CustomerId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** People who log in. Passwords are kept only as hashes (BCrypt via the delegating encoder). */
@Service
@Transactional(readOnly = true)
public class UserService implements UserDetailsService {

    public static final int MIN_PASSWORD_LENGTH = 8;

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final Clock clock;

    UserService(JdbcClient jdbc, PasswordEncoder passwords, Clock clock) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.clock = clock;
    }

    @Transactional
    public UserAccount create(String username, String displayName, String password, Role role,
            @Nullable CustomerId customerId) {
        if (username == null || !username.matches("[A-Za-z0-9._@+-]{3,64}")) {
            throw new BadRequestException("username must be 3-64 letters, digits or . _ @ + -");
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new BadRequestException("password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (role.isCustomerRole() != (customerId != null)) {
            throw new BadRequestException(role.isCustomerRole() ? "a customer user needs a customer"
                    : "a finance admin belongs to no customer");
        }
        if (findAccount(username).isPresent()) {
            throw new ConflictException("username '" + username + "' is taken");
        }
        long id = jdbc.sql("""
                insert into security_user (username, display_name, password_hash, role, customer_id, created_at)
                values (:username, :displayName, :hash, :role, :customerId, :now) returning id
                """)
                .param("username", username)
                .param("displayName", displayName == null || displayName.isBlank() ? username : displayName.strip())
                .param("hash", passwords.encode(password))
                .param("role", role.name())
                .param("customerId", customerId == null ? null : customerId.value())
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
        return findAccount(username).filter(account -> account.id() == id).orElseThrow();
    }

    public Optional<UserAccount> findAccount(String username) {
        return jdbc.sql("select id, username, display_name, role, customer_id, created_at from security_user "
                        + "where username = :username")
                .param("username", username)
                .query((rs, row) -> account(rs))
                .optional();
    }

    public List<UserAccount> usersOf(CustomerId customerId) {
        return jdbc.sql("select id, username, display_name, role, customer_id, created_at from security_user "
                        + "where customer_id = :customerId order by username")
                .param("customerId", customerId.value())
                .query((rs, row) -> account(rs))
                .list();
    }

    public boolean anyUser() {
        return jdbc.sql("select exists (select 1 from security_user)").query(Boolean.class).single();
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        return jdbc.sql("select username, display_name, role, customer_id, password_hash from security_user "
                        + "where username = :username")
                .param("username", username)
                .query((rs, row) -> {
                    long customer = rs.getLong("customer_id");
                    CustomerId customerId = rs.wasNull() ? null : CustomerId.of(customer);
                    Principal principal = new Principal(rs.getString("username"), rs.getString("display_name"),
                            Role.valueOf(rs.getString("role")), customerId);
                    return (UserDetails) new AppUserDetails(principal, rs.getString("password_hash"));
                })
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("unknown user"));
    }

    private static UserAccount account(java.sql.ResultSet rs) throws java.sql.SQLException {
        long customer = rs.getLong("customer_id");
        CustomerId customerId = rs.wasNull() ? null : CustomerId.of(customer);
        return new UserAccount(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                Role.valueOf(rs.getString("role")), customerId, rs.getTimestamp("created_at").toInstant());
    }
}
