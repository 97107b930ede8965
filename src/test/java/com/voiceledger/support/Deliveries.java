package com.voiceledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

/** Deliveries a test makes over real HTTP, as the platform sends them. */
public final class Deliveries {

    private Deliveries() {
    }

    /** A 192-second call (the sample's end-of-call report) of this customer starting at {@code start}, acknowledged. */
    public static void call(int port, String customerExternalId, String start) {
        Samples samples = Samples.fresh();
        Instant started = Instant.parse(start);
        String body = samples.text(Samples.EOCR).replace(samples.id(Samples.ACME), customerExternalId)
                .replace("2026-11-03T14:05:12.100Z", started.toString())
                .replace("2026-11-03T14:08:24.100Z", started.plusSeconds(192).toString());
        Http.Response response = new Http(port).post("/webhooks/vapi", "application/json", body)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }
}
