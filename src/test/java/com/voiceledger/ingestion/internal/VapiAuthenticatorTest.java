package com.voiceledger.ingestion.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.ingestion.VapiProperties;
import com.voiceledger.support.Signatures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VapiAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-11-03T14:10:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] BODY = "{\"message\":{\"type\":\"status-update\"}}".getBytes(StandardCharsets.UTF_8);

    private static VapiProperties properties(String secret, String hmacSecret, String algorithm) {
        return new VapiProperties(secret, hmacSecret, algorithm, "x-signature", "x-timestamp", Duration.ofMinutes(5),
                "customerId", URI.create("http://localhost"), null);
    }

    private static boolean accepted(VapiProperties properties, Map<String, String> headers) {
        return new VapiAuthenticator(properties, CLOCK).refusal(headers::get, BODY).isEmpty();
    }

    @Test
    void theLegacySecretIsAcceptedInItsHeaderAndAsABearerToken() {
        VapiProperties secretOnly = properties("s3cret", null, "sha256");
        assertThat(accepted(secretOnly, Map.of("X-Vapi-Secret", "s3cret"))).isTrue();
        assertThat(accepted(secretOnly, Map.of("Authorization", "Bearer s3cret"))).isTrue();
        assertThat(accepted(secretOnly, Map.of("X-Vapi-Secret", "s3cret-not"))).isFalse();
        assertThat(accepted(secretOnly, Map.of("Authorization", "Basic s3cret"))).isFalse();
        assertThat(accepted(secretOnly, Map.of())).isFalse();
    }

    /**
     * Known answers, computed outside Java ({@code printf '%s' '1793714970.<BODY>' | openssl dgst
     * -sha256 -hmac hmac-key}), so a change in what the authenticator MACs fails here even though
     * the tests' own signer would still agree with it.
     */
    @ParameterizedTest
    @CsvSource({
            "sha256, 043553e8937dd986087788c748c0b5bcdb72ed2a59b9fdf13646373703d674d1",
            "sha512, c5734745016b878cab839b87a760c9040bce232f448ccc54d5db1a5979e82f58c7c1933203b486312f5221f2b532915979fbf7f0136a430d51c011f21555150e",
            "sha1, c488f98a26f4dc79a4c3a5c9e431c5fd2c883609"})
    void aKnownAnswerVectorOfThePlatformsHmacSchemeIsAcceptedAndOneDigitOffIsNot(String algorithm, String hex) {
        VapiProperties hmac = properties(null, "hmac-key", algorithm);
        String timestamp = "1793714970"; // 2026-11-03T14:09:30Z, 30 s before the clock
        assertThat(accepted(hmac, Map.of("x-signature", hex, "x-timestamp", timestamp))).isTrue();
        assertThat(accepted(hmac, Map.of("x-signature", algorithm + "=" + hex, "x-timestamp", timestamp))).isTrue();
        String oneOff = hex.substring(0, hex.length() - 1) + (hex.endsWith("0") ? "1" : "0");
        assertThat(accepted(hmac, Map.of("x-signature", oneOff, "x-timestamp", timestamp))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "sha512", "sha1"})
    void anHmacOfTimestampDotBodyIsAcceptedWithEachAlgorithmAndWithOrWithoutPrefix(String algorithm) {
        VapiProperties hmac = properties(null, "hmac-key", algorithm);
        String timestamp = Long.toString(NOW.minusSeconds(30).toEpochMilli());
        String signature = Signatures.vapi(algorithm, "hmac-key", timestamp, BODY);
        assertThat(accepted(hmac, Map.of("x-signature", signature, "x-timestamp", timestamp))).isTrue();
        assertThat(accepted(hmac, Map.of("x-signature", algorithm + "=" + signature, "x-timestamp", timestamp))).isTrue();
    }

    @Test
    void anHmacOverADifferentBodyOrAnOldTimestampIsRefused() {
        VapiProperties hmac = properties(null, "hmac-key", "sha256");
        String timestamp = Long.toString(NOW.getEpochSecond());
        String otherBody = Signatures.vapi("sha256", "hmac-key", timestamp, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(accepted(hmac, Map.of("x-signature", otherBody, "x-timestamp", timestamp))).isFalse();

        String old = Long.toString(NOW.minus(Duration.ofMinutes(6)).getEpochSecond());
        String replayed = Signatures.vapi("sha256", "hmac-key", old, BODY);
        assertThat(new VapiAuthenticator(hmac, CLOCK).refusal(Map.of("x-signature", replayed, "x-timestamp", old)::get,
                BODY)).hasValueSatisfying(reason -> assertThat(reason).contains("replay"));
    }

    @Test
    void withNoCredentialConfiguredEveryDeliveryIsRefusedWithTheReason() {
        assertThat(new VapiAuthenticator(properties(null, null, "sha256"), CLOCK)
                .refusal(Map.of("X-Vapi-Secret", "")::get, BODY))
                .hasValueSatisfying(reason -> assertThat(reason).contains("VOICELEDGER_VAPI_SECRET"));
    }
}
