package com.voiceledger.security;

import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Customer API keys: {@code vl_} + 40 random characters, shown once; only a SHA-256 of the key is
 * stored (a fast hash is right here: the key is long and random, unlike a password). A key reads its
 * own customer's data with the viewer role.
 */
@Service
@Transactional(readOnly = true)
public class ApiKeyService {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiKeyService(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public CreatedApiKey create(CustomerId customerId, String name) {
        String label = name == null || name.isBlank() ? "API key" : name.strip();
        if (label.length() > 100) {
            throw new BadRequestException("name must be at most 100 characters");
        }
        StringBuilder secret = new StringBuilder("vl_");
        for (int i = 0; i < 40; i++) {
            secret.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        String key = secret.toString();
        long id = jdbc.sql("""
                insert into security_api_key (customer_id, name, prefix, secret_hash, created_at)
                values (:customerId, :name, :prefix, :hash, :now) returning id
                """)
                .param("customerId", customerId.value())
                .param("name", label)
                .param("prefix", key.substring(0, 10))
                .param("hash", sha256(key))
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
        return new CreatedApiKey(find(customerId, id).orElseThrow(), key);
    }

    public List<ApiKey> keysOf(CustomerId customerId) {
        return jdbc.sql("select * from security_api_key where customer_id = :customerId order by created_at desc, id desc")
                .param("customerId", customerId.value())
                .query((rs, row) -> apiKey(rs))
                .list();
    }

    /** Revokes a key of this customer; another customer's key id is treated as missing. */
    @Transactional
    public void revoke(CustomerId customerId, long keyId) {
        int updated = jdbc.sql("""
                update security_api_key set revoked_at = coalesce(revoked_at, :now)
                where id = :id and customer_id = :customerId
                """)
                .param("now", Timestamp.from(clock.instant()))
                .param("id", keyId)
                .param("customerId", customerId.value())
                .update();
        if (updated == 0) {
            throw new NotFoundException("no API key " + keyId);
        }
    }

    /** The customer a presented key belongs to, if it is a live key; notes when it was last used. */
    @Transactional
    public Optional<CustomerId> authenticate(String presented) {
        if (presented == null || !presented.startsWith("vl_")) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<CustomerId> owner = jdbc.sql("""
                select customer_id from security_api_key where secret_hash = :hash and revoked_at is null
                """)
                .param("hash", sha256(presented))
                .query((rs, row) -> CustomerId.of(rs.getLong(1)))
                .optional();
        owner.ifPresent(customer -> jdbc.sql("""
                update security_api_key set last_used_at = :now
                where secret_hash = :hash and (last_used_at is null or last_used_at < :stale)
                """)
                .param("now", Timestamp.from(now))
                .param("hash", sha256(presented))
                .param("stale", Timestamp.from(now.minus(LAST_USED_RESOLUTION)))
                .update());
        return owner;
    }

    private Optional<ApiKey> find(CustomerId customerId, long id) {
        return jdbc.sql("select * from security_api_key where id = :id and customer_id = :customerId")
                .param("id", id)
                .param("customerId", customerId.value())
                .query((rs, row) -> apiKey(rs))
                .optional();
    }

    private static ApiKey apiKey(ResultSet rs) throws SQLException {
        Timestamp lastUsed = rs.getTimestamp("last_used_at");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiKey(rs.getLong("id"), CustomerId.of(rs.getLong("customer_id")), rs.getString("name"),
                rs.getString("prefix"), rs.getTimestamp("created_at").toInstant(),
                lastUsed == null ? null : lastUsed.toInstant(), revoked == null ? null : revoked.toInstant());
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
