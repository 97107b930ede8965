package com.voiceledger.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.internal.TwilioSignature;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Redelivery changes nothing: the same month of traffic (end-of-call reports, status updates, tool
 * calls, Twilio callbacks) is sent once, in order, for one customer, and every message twice,
 * shuffled (and, in the second test, concurrently), for an otherwise identical customer. Calls,
 * minutes, the charge of every layer and the month's total read from the customer API are the same.
 */
@IntegrationTest
class RedeliveryIT {

    /** A month of its own: the rate card is global, so this test prices only its own calls. */
    static final LocalDate DAY = LocalDate.of(2005, 4, 10);
    static final String MONTH = "2005-04";
    static final int CALLS = 6;
    static boolean published;

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;

    Http http;

    record Message(String kind, String body) {
    }

    /** One side of the comparison: its customers and what it sends. */
    record Side(Samples samples, Customer acme, Customer globex, String acmeKey, String globexKey,
            List<Message> messages) {
    }

    void publishPrices() {
        if (published) {
            return;
        }
        published = true;
        for (String version : List.of("""
                {"effectiveFrom": "2005-04-01T00:00:00Z", "currency": "USD", "reason": "redelivery test",
                 "entries": [{"layer": "platform", "provider": "vapi", "model": "*", "unit": "minute", "unitPrice": "0.05"},
                             {"layer": "stt", "provider": "*", "model": "*", "unit": "minute", "unitPrice": "0.0048"},
                             {"layer": "telephony", "provider": "*", "model": "*", "unit": "minute", "unitPrice": "0.0085"},
                             {"layer": "llm", "provider": "openai", "model": "*", "unit": "prompt_token", "unitPrice": "0.0000025"},
                             {"layer": "llm", "provider": "openai", "model": "*", "unit": "completion_token", "unitPrice": "0.00001"},
                             {"layer": "tts", "provider": "*", "model": "*", "unit": "character", "unitPrice": "0.00005"}]}
                """, """
                {"effectiveFrom": "2005-05-01T00:00:00Z", "currency": "USD", "reason": "fence",
                 "entries": [{"layer": "other", "provider": "fence", "model": "*", "unit": "token", "unitPrice": "0"}]}
                """)) {
            Http.Response response = http.post("/api/admin/v1/rate-card/versions", "application/json", version)
                    .bearer(TestFixtures.ADMIN_TOKEN).send();
            assertThat(response.status()).as(response.toString()).isBetween(200, 299);
        }
    }

    Side side() {
        Samples samples = Samples.fresh().onDay(DAY);
        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        Customer globex = fixtures.customer(samples.id(Samples.GLOBEX));
        List<Message> messages = new ArrayList<>();
        for (int k = 0; k < CALLS; k++) {
            String callId = UUID.randomUUID().toString();
            String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
            for (String sample : List.of(Samples.STATUS_UPDATE, Samples.TOOL_CALLS, Samples.EOCR)) {
                String body = samples.text(sample).replace(samples.id(Samples.MAIN_CALL_ID), callId)
                        .replace(samples.id(Samples.MAIN_CALL_SID), callSid)
                        // every call a different length: 3.2, 4.2, 5.2 ... minutes
                        .replace("\"minutes\": 3.2", "\"minutes\": " + (3 + k) + ".2")
                        .replace("\"characters\": 1830", "\"characters\": " + (1830 + 100 * k));
                messages.add(new Message("vapi", body));
            }
            String completed = samples.twilioForm().replace(samples.id(Samples.MAIN_CALL_SID), callSid)
                    .replace("CallDuration=194", "CallDuration=" + (194 + 60 * k));
            messages.add(new Message("twilio", completed));
            messages.add(new Message("twilio", completed.replace("CallStatus=completed", "CallStatus=ringing")
                    .replace("CallDuration=" + (194 + 60 * k) + "&", "").replace("SequenceNumber=3", "SequenceNumber=1")));
        }
        messages.add(new Message("vapi", samples.text(Samples.EOCR_SILENCE)));
        messages.add(new Message("vapi", samples.text(Samples.EOCR_NOT_ANSWERED)));
        return new Side(samples, acme, globex, fixtures.apiKey(acme), fixtures.apiKey(globex), messages);
    }

    Http.Response send(Message message) {
        if (message.kind().equals("vapi")) {
            return http.post("/webhooks/vapi", "application/json", message.body())
                    .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        }
        String url = http.baseUrl() + "/webhooks/twilio/status";
        return http.post("/webhooks/twilio/status", "application/x-www-form-urlencoded", message.body())
                .header("X-Twilio-Signature", TwilioSignature.compute(TestFixtures.TWILIO_TOKEN, url,
                        TwilioForms.parse(message.body())))
                .send();
    }

    @Test
    void everyMessageDeliveredTwiceInShuffledOrderGivesTheSameTotalsAsOnce() {
        http = new Http(port);
        publishPrices();
        Side once = side();
        Side twice = side();
        once.messages().forEach(message -> assertAccepted(send(message)));
        List<Message> doubled = new ArrayList<>(twice.messages());
        doubled.addAll(twice.messages());
        Collections.shuffle(doubled, new Random(42));
        doubled.forEach(message -> assertAccepted(send(message)));

        assertSameTotals(once, twice);
    }

    @Test
    void concurrentDuplicatesOfEveryMessageGiveTheSameTotalsAsOnce() throws Exception {
        http = new Http(port);
        publishPrices();
        Side once = side();
        Side twice = side();
        once.messages().forEach(message -> assertAccepted(send(message)));
        List<Message> doubled = new ArrayList<>(twice.messages());
        doubled.addAll(twice.messages());
        Collections.shuffle(doubled, new Random(43));
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<Http.Response>> answers = new ArrayList<>();
            for (Message message : doubled) {
                answers.add(pool.submit(() -> send(message)));
            }
            for (Future<Http.Response> answer : answers) {
                assertAccepted(answer.get());
            }
        }

        assertSameTotals(once, twice);
    }

    private static void assertAccepted(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private void assertSameTotals(Side once, Side twice) {
        Totals acmeOnce = totals(once.acmeKey());
        Totals acmeTwice = totals(twice.acmeKey());
        // six calls of the main sample and the not-answered one
        assertThat(acmeOnce.calls()).isEqualTo(CALLS + 1);
        // 3.2 + 4.2 + ... + 8.2 platform minutes, each priced: a non-trivial total to compare
        assertThat(acmeOnce.perLayer()).containsKeys("platform", "stt", "telephony", "llm", "tts");
        assertThat(new java.math.BigDecimal(acmeOnce.charge())).isPositive();
        assertThat(acmeTwice).isEqualTo(acmeOnce);
        assertThat(totals(twice.globexKey())).isEqualTo(totals(once.globexKey()));
        assertThat(calls(twice.acmeKey())).isEqualTo(calls(once.acmeKey()));
    }

    /** What the customer API says of the month: calls, seconds, charge, and quantity and charge per layer. */
    record Totals(long calls, long durationSeconds, String charge, Map<String, String> perLayer) {
    }

    private Totals totals(String key) {
        Http.Response response = http.get("/api/v1/usage/summary?month=" + MONTH).bearer(key).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode json = response.json();
        Map<String, java.math.BigDecimal[]> layers = new TreeMap<>();
        json.path("items").forEach(item -> {
            java.math.BigDecimal[] sums = layers.computeIfAbsent(item.path("layer").asString(),
                    layer -> new java.math.BigDecimal[] {java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO});
            sums[0] = sums[0].add(new java.math.BigDecimal(item.path("quantity").asString()));
            sums[1] = sums[1].add(new java.math.BigDecimal(item.path("charge").asString()));
        });
        Map<String, String> perLayer = new TreeMap<>();
        layers.forEach((layer, sums) -> perLayer.put(layer,
                sums[0].stripTrailingZeros().toPlainString() + " for " + sums[1].stripTrailingZeros().toPlainString()));
        return new Totals(json.path("calls").asLong(), json.path("durationSeconds").asLong(),
                new java.math.BigDecimal(json.path("charge").asString()).stripTrailingZeros().toPlainString(), perLayer);
    }

    /** Each call as the customer sees it, without its id: status, duration, charge, Twilio's view, timeline. */
    private List<String> calls(String key) {
        List<String> calls = new ArrayList<>();
        for (JsonNode call : http.get("/api/v1/calls?limit=500").bearer(key).send().json().path("calls")) {
            JsonNode detail = http.get("/api/v1/calls/" + call.path("id").asString()).bearer(key).send().json();
            calls.add(detail.path("status").asString() + " " + detail.path("durationSeconds").asInt() + "s "
                    + detail.path("charge").asString() + " twilio " + detail.path("twilio").path("status").asString()
                    + "/" + detail.path("twilio").path("durationSeconds").asInt() + " timeline "
                    + detail.path("timeline").size() + " components " + detail.path("components").size());
        }
        Collections.sort(calls);
        return calls;
    }
}
