package com.voiceledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Pins the tests' own signer to vectors computed outside Java, so that a test comparing the
 * application's signature with {@link Signatures} compares it with a known answer. Each expected
 * value came from, e.g.,
 * {@code printf '%s' '1793714970.{"message":{"type":"status-update"}}' | openssl dgst -sha256 -hmac hmac-key}.
 */
class SignaturesTest {

    static final String TIMESTAMP = "1793714970"; // 2026-11-03T14:09:30Z
    static final byte[] BODY = "{\"message\":{\"type\":\"status-update\"}}".getBytes(StandardCharsets.UTF_8);

    @Test
    void thePlatformsHmacMatchesOpensslForEachAlgorithm() {
        assertThat(Signatures.vapi("sha256", "hmac-key", TIMESTAMP, BODY))
                .isEqualTo("043553e8937dd986087788c748c0b5bcdb72ed2a59b9fdf13646373703d674d1");
        assertThat(Signatures.vapi("sha512", "hmac-key", TIMESTAMP, BODY))
                .isEqualTo("c5734745016b878cab839b87a760c9040bce232f448ccc54d5db1a5979e82f58"
                        + "c7c1933203b486312f5221f2b532915979fbf7f0136a430d51c011f21555150e");
        assertThat(Signatures.vapi("sha1", "hmac-key", TIMESTAMP, BODY))
                .isEqualTo("c488f98a26f4dc79a4c3a5c9e431c5fd2c883609");
    }

    @Test
    void theOutboundWebhookSignatureMatchesOpenssl() {
        // printf '%s' '1763980000.{"kind":"SPEND_CAP","threshold":80}' | openssl dgst -sha256 -hmac whsec-alert-key
        assertThat(Signatures.outbound("whsec-alert-key", 1763980000L, "{\"kind\":\"SPEND_CAP\",\"threshold\":80}"))
                .isEqualTo("47a8de6b3082999a56289215cd68bc2346a235cece6b638c1080943cf80527e7");
    }
}
