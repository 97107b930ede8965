package com.voiceledger.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signatures our senders and verifiers must agree on, computed here with {@code javax.crypto}
 * from the written scheme and never with the production signer ({@code VapiAuthenticator.sign},
 * {@code Alerts.sign}): a change in what the code MACs must fail the tests, as it would fail real
 * platform deliveries and customers' verifiers. {@link SignaturesTest} pins this class to vectors
 * computed outside Java ({@code openssl dgst -hmac}), so both sides of every check are known.
 */
public final class Signatures {

    private Signatures() {}

    /**
     * The platform's HMAC credential: hex HMAC of {@code "{timestamp}.{raw body}"} with the shared
     * secret (docs: /work/shared/vapi-webhooks.md §1, "Authentication of the sender", mode 3).
     */
    public static String vapi(String algorithm, String secret, String timestamp, byte[] body) {
        String javaName = switch (algorithm) {
            case "sha256" -> "HmacSHA256";
            case "sha512" -> "HmacSHA512";
            case "sha1" -> "HmacSHA1";
            default -> throw new IllegalArgumentException(algorithm);
        };
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        System.arraycopy(body, 0, message, prefix.length, body.length);
        return hex(javaName, secret, message);
    }

    /**
     * Our outbound webhooks (spend alerts, invoice notices): header
     * {@code X-VoiceLedger-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>},
     * the scheme decision 0011 and the README promise customers' verifiers.
     */
    public static String outbound(String secret, long timestamp, String body) {
        return hex("HmacSHA256", secret, (timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String javaName, String secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance(javaName);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), javaName));
            return HexFormat.of().formatHex(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
