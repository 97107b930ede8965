package com.voiceledger.ingestion.internal;

import com.voiceledger.ingestion.VapiProperties;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Verifies that a delivery comes from the voice platform, by any configured mode: the legacy
 * {@code X-Vapi-Secret}, a bearer token, or an HMAC of {@code "{timestamp}.{raw body}"}. Secrets
 * are compared in constant time. Returns the reason for refusal, empty when the sender is trusted.
 */
public final class VapiAuthenticator {

    private final VapiProperties properties;
    private final Clock clock;

    public VapiAuthenticator(VapiProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    public Optional<String> refusal(Function<String, @Nullable String> header, byte[] body) {
        if (!properties.anyCredentialConfigured()) {
            return Optional.of("webhook authentication is not configured on this server "
                    + "(set VOICELEDGER_VAPI_SECRET or VOICELEDGER_VAPI_HMAC_SECRET)");
        }
        if (hasText(properties.secret()) && secretMatches(header)) {
            return Optional.empty();
        }
        if (hasText(properties.hmacSecret())) {
            String signature = header.apply(properties.hmacSignatureHeader());
            if (signature != null) {
                return hmacRefusal(signature, header.apply(properties.hmacTimestampHeader()), body);
            }
        }
        return Optional.of("missing or wrong webhook credential");
    }

    private boolean secretMatches(Function<String, @Nullable String> header) {
        String legacy = header.apply("X-Vapi-Secret");
        String authorization = header.apply("Authorization");
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip()
                : null;
        return constantTimeEquals(legacy, properties.secret()) || constantTimeEquals(bearer, properties.secret());
    }

    private Optional<String> hmacRefusal(String signature, @Nullable String timestamp, byte[] body) {
        if (timestamp == null || timestamp.isBlank()) {
            return Optional.of("missing " + properties.hmacTimestampHeader() + " header");
        }
        Instant signedAt;
        try {
            long value = Long.parseLong(timestamp.strip());
            signedAt = value > 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
        } catch (NumberFormatException e) {
            return Optional.of(properties.hmacTimestampHeader() + " is not a number");
        }
        Duration age = Duration.between(signedAt, clock.instant()).abs();
        if (age.compareTo(properties.hmacTolerance()) > 0) {
            return Optional.of("signature timestamp is outside the accepted window (replay?)");
        }
        String expected = sign(properties.hmacAlgorithm(), properties.hmacSecret(), timestamp.strip(), body);
        String given = signature.strip();
        int prefixEnd = given.indexOf('=');
        if (prefixEnd > 0 && prefixEnd < 10) {
            given = given.substring(prefixEnd + 1);
        }
        return constantTimeEquals(given.toLowerCase(Locale.ROOT), expected)
                ? Optional.empty()
                : Optional.of("signature does not match");
    }

    /** Hex HMAC of {@code "{timestamp}.{body}"}: what the platform sends, and what tests sign with. */
    public static String sign(String algorithm, String secret, String timestamp, byte[] body) {
        String javaName = switch (algorithm.toLowerCase(Locale.ROOT).replace("-", "")) {
            case "sha256" -> "HmacSHA256";
            case "sha512" -> "HmacSHA512";
            case "sha1" -> "HmacSHA1";
            default -> throw new IllegalStateException("unsupported HMAC algorithm '" + algorithm
                    + "' (use sha256, sha512 or sha1)");
        };
        try {
            Mac mac = Mac.getInstance(javaName);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), javaName));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean constantTimeEquals(@Nullable String given, @Nullable String expected) {
        if (given == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean hasText(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
