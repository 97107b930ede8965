package com.voiceledger.security;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.NotFoundException;
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
    private final AuditLog audit;
    private final Clock clock;
    private final LoginThrottle throttle;

    UserService(JdbcClient jdbc, PasswordEncoder passwords, AuditLog audit, Clock clock, LoginThrottle throttle) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.throttle = throttle;
    }

    /**
     * Someone changes their own password, proving the current one; audited (without either password).
     * A wrong current password is refused with the same words whatever the reason. Every session of
     * the person ends; the caller keeps its own with {@link SessionEpochs#keepCurrentSession} and the
     * new epoch returned here. Each check of the current password takes an attempt from the login's
     * sign-in budget first ({@link LoginThrottle#admitPasswordCheck}): a stolen session cannot guess the
     * password faster than a stranger at the sign-in form, and past the budget it is refused unchecked.
     */
    @Transactional
    public int changePassword(String username, String currentPassword, String newPassword) {
        java.time.Duration wait = throttle.admitPasswordCheck(username);
        if (!wait.isZero()) {
            throw new BadRequestException("too many wrong passwords: try again in "
                    + Math.max(1, wait.toMinutes() + (wait.toSecondsPart() > 0 ? 1 : 0)) + " minutes");
        }
        String hash = jdbc.sql("select password_hash from security_user where username = :username "
                        + "and removed_at is null")
                .param("username", username).query(String.class).optional().orElse(null);
        if (hash == null || currentPassword == null || !passwords.matches(currentPassword, hash)) {
            throttle.passwordCheckFailed(username);
            throw new BadRequestException("the current password is not right");
        }
        throttle.passwordCheckSucceeded(username);
        if (newPassword == null || newPassword.length() < MIN_PASSWORD_LENGTH) {
            throw new BadRequestException("password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        int epoch = jdbc.sql("update security_user set password_hash = :hash, session_epoch = session_epoch + 1 "
                        + "where username = :username returning session_epoch")
                .param("hash", passwords.encode(newPassword)).param("username", username).query(Integer.class).single();
        audit.record(username, "password changed", username, "changed by its owner; their other sessions ended",
                java.util.Map.of());
        return epoch;
    }

    /**
     * The epoch a session of this person must carry to stay valid; empty when the person was removed
     * (or never existed). Asked on every request of a signed-in session, by primary key.
     */
    public java.util.OptionalInt sessionEpoch(String username) {
        return jdbc.sql("select session_epoch from security_user where username = :username and removed_at is null")
                .param("username", username).query(Integer.class).optional()
                .map(java.util.OptionalInt::of).orElse(java.util.OptionalInt.empty());
    }

    /** A customer admin adds a person to its own team (a viewer or another admin); audited. */
    @Transactional
    public UserAccount addTeamMember(CustomerId customer, String username, String displayName, String password,
            Role role, String actor) {
        if (!role.isCustomerRole()) {
            throw new BadRequestException("a team member is a viewer or an admin");
        }
        UserAccount added = create(username, displayName, password, role, customer);
        audit.record(actor, "team member added", "customer " + customer, "added " + username + " as " + role,
                java.util.Map.of("username", username, "role", role.name()));
        return added;
    }

    /** Makes a team member a viewer or an admin (ending their sessions); a team always keeps at least one admin. */
    @Transactional
    public void changeRole(CustomerId customer, String username, Role role, String actor) {
        UserAccount member = teamMember(customer, username);
        if (!role.isCustomerRole()) {
            throw new BadRequestException("a team member is a viewer or an admin");
        }
        if (member.role() == role) {
            return;
        }
        if (member.role() == Role.CUSTOMER_ADMIN) {
            requireAnotherAdmin(customer, username);
        }
        jdbc.sql("update security_user set role = :role, session_epoch = session_epoch + 1 where id = :id")
                .param("role", role.name())
                .param("id", member.id()).update();
        audit.record(actor, "team member role changed", "customer " + customer, username + " is now " + role,
                java.util.Map.of("username", username, "from", member.role().name(), "to", role.name()));
    }

    /** Removes a team member: the login is kept as removed, can no longer sign in, and its sessions end; audited. */
    @Transactional
    public void removeTeamMember(CustomerId customer, String username, String actor) {
        UserAccount member = teamMember(customer, username);
        if (member.role() == Role.CUSTOMER_ADMIN) {
            requireAnotherAdmin(customer, username);
        }
        jdbc.sql("update security_user set removed_at = :now, removed_by = :actor, session_epoch = session_epoch + 1 "
                        + "where id = :id")
                .param("now", Timestamp.from(clock.instant())).param("actor", actor).param("id", member.id()).update();
        audit.record(actor, "team member removed", "customer " + customer, "removed " + username,
                java.util.Map.of("username", username));
    }

    /** A current member of this customer's team; anyone else (another customer's, finance) is not found. */
    private UserAccount teamMember(CustomerId customer, String username) {
        return usersOf(customer).stream().filter(account -> account.username().equals(username)).findFirst()
                .orElseThrow(() -> new NotFoundException("no team member '" + username + "'"));
    }

    private void requireAnotherAdmin(CustomerId customer, String username) {
        // lock the team's admins, so two admins removing each other at once cannot leave none
        jdbc.sql("select id from security_user where customer_id = :customerId and role = 'CUSTOMER_ADMIN' "
                        + "and removed_at is null for update")
                .param("customerId", customer.value()).query(Long.class).list();
        boolean another = usersOf(customer).stream()
                .anyMatch(account -> account.role() == Role.CUSTOMER_ADMIN && !account.username().equals(username));
        if (!another) {
            throw new BadRequestException("a team needs an admin: make someone else admin first");
        }
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
                        + "where customer_id = :customerId and removed_at is null order by username")
                .param("customerId", customerId.value())
                .query((rs, row) -> account(rs))
                .list();
    }

    public boolean anyUser() {
        return jdbc.sql("select exists (select 1 from security_user)").query(Boolean.class).single();
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        return jdbc.sql("select username, display_name, role, customer_id, password_hash, session_epoch from security_user "
                        + "where username = :username and removed_at is null")
                .param("username", username)
                .query((rs, row) -> {
                    long customer = rs.getLong("customer_id");
                    CustomerId customerId = rs.wasNull() ? null : CustomerId.of(customer);
                    Principal principal = new Principal(rs.getString("username"), rs.getString("display_name"),
                            Role.valueOf(rs.getString("role")), customerId);
                    return (UserDetails) new AppUserDetails(principal, rs.getString("password_hash"),
                            rs.getInt("session_epoch"));
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
