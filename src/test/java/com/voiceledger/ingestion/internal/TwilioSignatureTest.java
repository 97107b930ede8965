package com.voiceledger.ingestion.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioSignatureTest {

    /** The test vector from Twilio's security documentation. */
    private static final Map<String, List<String>> PARAMS = Map.of(
            "CallSid", List.of("CA1234567890ABCDE"),
            "Caller", List.of("+12349013030"),
            "Digits", List.of("1234"),
            "From", List.of("+12349013030"),
            "To", List.of("+18005551212"));
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";

    @Test
    void computesTwiliosDocumentedTestVector() {
        assertThat(TwilioSignature.compute("12345", URL, PARAMS)).isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        assertThat(TwilioSignature.matches("12345", URL, PARAMS, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isTrue();
    }

    @Test
    void aDifferentTokenUrlOrParameterDoesNotMatch() {
        assertThat(TwilioSignature.matches("54321", URL, PARAMS, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
        assertThat(TwilioSignature.matches("12345", "http://mycompany.com/myapp.php?foo=1&bar=2", PARAMS,
                "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
        assertThat(TwilioSignature.matches("12345", URL, Map.of("CallSid", List.of("CA1")),
                "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
    }
}
