package com.voiceledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.internal.TwilioSignature;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The platform's transport minutes against Twilio's billed minutes, on mismatched pairs. */
@IntegrationTest
class ReconciliationIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;

    @Test
    void callsAreMatchedFlaggedWhenMinutesDifferAndListedWhenOnlyOneSideSawThem() {
        Http http = new Http(port);
        LocalDate day = LocalDate.of(2007, 2, 10);
        Samples first = Samples.fresh().onDay(day);
        Customer customer = fixtures.customer(first.id(Samples.ACME));
        // call 1: 3.2 platform minutes, Twilio 194 s → 4 billed minutes: matched (3.2 rounds up to 4)
        deliver(http, first.text(Samples.EOCR));
        callback(http, first.twilioForm());
        // call 2: the same call shape, Twilio 301 s → 6 billed minutes: differs by 2.8
        Samples second = Samples.fresh().onDay(day);
        deliver(http, second.text(Samples.EOCR).replace(second.id(Samples.ACME), customer.externalId()));
        callback(http, second.twilioForm().replace("CallDuration=194", "CallDuration=301"));
        // call 3: never seen by Twilio
        Samples third = Samples.fresh().onDay(day);
        deliver(http, third.text(Samples.EOCR).replace(third.id(Samples.ACME), customer.externalId()));

        JsonNode report = http.get("/api/admin/v1/customers/" + customer.externalId() + "/reconciliation?month=2007-02")
                .bearer(TestFixtures.ADMIN_TOKEN).send().json();
        Map<String, String> issues = new HashMap<>();
        report.path("rows").forEach(row -> issues.put(row.path("callId").asString(), row.path("issue").asString()
                + " " + row.path("deltaMinutes").asString()));
        assertThat(issues).containsEntry(first.id(Samples.MAIN_CALL_ID), "MATCHED 0.8")
                .containsEntry(second.id(Samples.MAIN_CALL_ID), "MINUTES_DIFFER 2.8")
                .containsEntry(third.id(Samples.MAIN_CALL_ID), "PLATFORM_ONLY -3.2");
        assertThat(report.path("calls").asLong()).isEqualTo(3);
        assertThat(report.path("issues").asLong()).isEqualTo(2);
        Http.Response csv = http.get("/api/admin/v1/customers/" + customer.externalId()
                + "/reconciliation.csv?month=2007-02").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(csv.body().lines().toList()).hasSize(4);
        assertThat(http.get("/api/admin/v1/customers/" + customer.externalId() + "/reconciliation?month=Feb")
                .bearer(TestFixtures.ADMIN_TOKEN).send().status()).isEqualTo(400);

        // with the policy to bill the delta, the month's invoice carries Twilio's extra minutes
        assertThat(http.put("/api/admin/v1/customers/" + customer.externalId() + "/reconciliation-policy",
                "application/json", "{\"policy\": \"BILL_DELTA\"}").bearer(TestFixtures.ADMIN_TOKEN).send().status())
                .isEqualTo(200);
        http.post("/api/admin/v1/rate-card/versions", "application/json", """
                {"effectiveFrom": "2007-02-01T00:00:00Z", "currency": "USD", "reason": "reconciliation test",
                 "entries": [{"layer": "telephony", "provider": "twilio", "model": "*", "unit": "minute", "unitPrice": "0.01"}]}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        http.post("/api/admin/v1/rate-card/versions", "application/json", """
                {"effectiveFrom": "2007-03-01T00:00:00Z", "currency": "USD", "reason": "fence",
                 "entries": [{"layer": "other", "provider": "fence", "model": "*", "unit": "token", "unitPrice": "0"}]}
                """).bearer(TestFixtures.ADMIN_TOKEN).send();
        http.post("/api/admin/v1/billing-runs", "application/json", "{\"month\": \"2007-02\", \"customer\": \""
                + customer.externalId() + "\"}").bearer(TestFixtures.ADMIN_TOKEN).send();
        runs.runQueued();
        String key = fixtures.apiKey(customer);
        long invoiceId = http.get("/api/v1/invoices").bearer(key).send().json().get(0).path("id").asLong();
        JsonNode invoice = http.get("/api/v1/invoices/" + invoiceId).bearer(key).send().json();
        // only the call where Twilio billed more: 2.8 minutes × 0.01 = 0.028 → 0.03
        assertThat(invoice.toString()).contains("Telephony reconciliation");
        JsonNode line = null;
        for (JsonNode candidate : invoice.path("lines")) {
            if (candidate.path("description").asString().startsWith("Telephony reconciliation")) {
                line = candidate;
            }
        }
        assertThat(line.path("quantity").asString()).isEqualTo("2.8");
        assertThat(line.path("amount").asString()).isEqualTo("0.03");
    }

    @Autowired
    com.voiceledger.billing.BillingRuns runs;

    static void deliver(Http http, String body) {
        assertThat(http.post("/webhooks/vapi", "application/json", body).header("X-Vapi-Secret", TestFixtures.VAPI_SECRET)
                .send().status()).isEqualTo(200);
    }

    static void callback(Http http, String form) {
        Map<String, List<String>> params = new HashMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            params.computeIfAbsent(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
                    k -> new java.util.ArrayList<>()).add(java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        String signature = TwilioSignature.compute(TestFixtures.TWILIO_TOKEN, http.baseUrl() + "/webhooks/twilio/status",
                params);
        assertThat(http.post("/webhooks/twilio/status", "application/x-www-form-urlencoded", form)
                .header("X-Twilio-Signature", signature).send().status()).isEqualTo(200);
    }
}
