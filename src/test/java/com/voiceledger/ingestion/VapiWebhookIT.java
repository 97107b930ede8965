package com.voiceledger.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.Signatures;
import com.voiceledger.support.TestFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** POST /webhooks/vapi over real HTTP, into the real PostgreSQL. */
@IntegrationTest
class VapiWebhookIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;

    Http http;
    Samples samples;
    Customer acme;
    String acmeKey;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        samples = Samples.fresh();
        acme = fixtures.customer(samples.id(Samples.ACME));
        acmeKey = fixtures.apiKey(acme);
    }

    Http.Response deliver(String sample) {
        return http.post("/webhooks/vapi", "application/json", samples.text(sample))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
    }

    JsonNode call(String originalId) {
        Http.Response response = http.get("/api/v1/calls/" + samples.id(originalId)).bearer(acmeKey).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    @Test
    void anEndOfCallReportBecomesACallWithEveryComponentAndItsExactQuantities() {
        Http.Response response = deliver(Samples.EOCR);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().path("status").asString()).isEqualTo("processed");

        JsonNode call = call(Samples.MAIN_CALL_ID);
        assertThat(call.path("customerId").asString()).isEqualTo(acme.externalId());
        assertThat(call.path("status").asString()).isEqualTo("ended");
        // 14:05:12.100 → 14:08:24.100 is 192 s
        assertThat(call.path("durationSeconds").asInt()).isEqualTo(192);
        assertThat(call.path("endedReason").asString()).isEqualTo("customer-ended-call");
        // provider cost is for finance (and cost-transparent contracts) only
        assertThat(call.has("providerCost")).isFalse();
        JsonNode asFinance = http.get("/api/v1/calls/" + samples.id(Samples.MAIN_CALL_ID) + "?customer="
                + acme.externalId()).bearer(TestFixtures.ADMIN_TOKEN).send().json();
        assertThat(asFinance.path("providerCost").asString()).isEqualTo("0.338285");
        assertThat(call.path("twilio").path("callSid").asString()).isEqualTo(samples.id(Samples.MAIN_CALL_SID));
        List<String> components = new ArrayList<>();
        call.path("components").forEach(c -> components.add(c.path("layer").asString() + " "
                + c.path("unit").asString() + " " + c.path("quantity").asString()));
        assertThat(components).containsExactly("telephony minute 3.2", "stt minute 3.2", "llm prompt_token 8754",
                "llm cached_prompt_token 4096", "llm completion_token 740", "tts character 1830",
                "platform minute 3.2", "analysis prompt_token 1400", "analysis completion_token 120");
    }

    @Test
    void aVoicemailDetectionItemIsStoredAsComponentsAndCountsInTheCallsProviderCost() {
        tools.jackson.databind.node.ObjectNode report = (tools.jackson.databind.node.ObjectNode) Http.parse(
                samples.text(Samples.EOCR));
        ((tools.jackson.databind.node.ArrayNode) report.path("message").path("costs")).add(Http.parse("""
                {"type": "voicemail-detection", "provider": "vapi",
                 "model": {"provider": "google", "model": "gemini-2.5-flash"},
                 "promptTextTokens": 210, "promptAudioTokens": 1500, "completionTextTokens": 12,
                 "completionAudioTokens": 0, "cost": 0.004}"""));
        Http.Response response = http.post("/webhooks/vapi", "application/json", report.toString())
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);

        JsonNode asFinance = http.get("/api/v1/calls/" + samples.id(Samples.MAIN_CALL_ID) + "?customer="
                + acme.externalId()).bearer(TestFixtures.ADMIN_TOKEN).send().json();
        // 0.338285 of the sample's items + 0.004 of voicemail detection
        assertThat(asFinance.path("providerCost").asString()).isEqualTo("0.342285");
        List<String> components = new ArrayList<>();
        asFinance.path("components").forEach(c -> components.add(c.path("layer").asString() + " "
                + c.path("unit").asString() + " " + c.path("quantity").asString()));
        assertThat(components).contains("analysis prompt_text_token 210", "analysis prompt_audio_token 1500",
                "analysis completion_text_token 12");
    }

    @Test
    void theSilenceLoopAndNotAnsweredSamplesAreStoredWithTheirDurations() {
        Customer globex = fixtures.customer(samples.id(Samples.GLOBEX));
        assertThat(deliver(Samples.EOCR_SILENCE).status()).isEqualTo(200);
        assertThat(deliver(Samples.EOCR_NOT_ANSWERED).status()).isEqualTo(200);

        JsonNode notAnswered = call(Samples.NOT_ANSWERED_CALL_ID);
        assertThat(notAnswered.path("durationSeconds").asInt()).isZero();
        assertThat(notAnswered.path("components").size()).isZero();
        assertThat(notAnswered.path("endedReason").asString()).isEqualTo("customer-did-not-answer");

        String globexKey = fixtures.apiKey(globex);
        JsonNode silence = http.get("/api/v1/calls/" + samples.id(Samples.SILENCE_CALL_ID)).bearer(globexKey).send()
                .json();
        assertThat(silence.path("durationSeconds").asInt()).isEqualTo(360);
        assertThat(silence.path("endedReason").asString()).isEqualTo("exceeded-max-duration");
        assertThat(jdbc.sql("select artifact -> 'messages' -> 1 ->> 'message' from usage_call_artifact where call_id = ?")
                .param(samples.id(Samples.SILENCE_CALL_ID)).query(String.class).single()).isEmpty();
    }

    @Test
    void everyDeliveryTwiceInAnyOrderEndsInTheSameState() {
        List<String> deliveries = new ArrayList<>(List.of(Samples.EOCR, Samples.STATUS_UPDATE, Samples.TOOL_CALLS,
                Samples.EOCR, Samples.STATUS_UPDATE, Samples.TOOL_CALLS));
        Collections.shuffle(deliveries, new Random(7));
        deliveries.forEach(sample -> assertThat(deliver(sample).status()).isEqualTo(200));
        String shuffled = stateOf(samples.id(Samples.MAIN_CALL_ID));

        Samples inOrder = Samples.fresh();
        fixtures.customer(inOrder.id(Samples.ACME));
        for (String sample : List.of(Samples.STATUS_UPDATE, Samples.TOOL_CALLS, Samples.EOCR)) {
            http.post("/webhooks/vapi", "application/json", inOrder.text(sample))
                    .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        }
        String ordered = stateOf(inOrder.id(Samples.MAIN_CALL_ID));
        assertThat(shuffled).isEqualTo(ordered);
        assertThat(shuffled).contains("ended").contains("in-progress");
    }

    @Test
    void aStatusUpdateAfterTheReportNeverMovesTheCallBackwards() {
        deliver(Samples.EOCR);
        deliver(Samples.STATUS_UPDATE);
        JsonNode call = call(Samples.MAIN_CALL_ID);
        assertThat(call.path("status").asString()).isEqualTo("ended");
        assertThat(call.path("timeline").size()).isEqualTo(2);
    }

    @Test
    void aRedeliveredReportIsAnsweredAsADuplicateAndChangesNothing() {
        deliver(Samples.EOCR);
        Http.Response again = deliver(Samples.EOCR);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("status").asString()).isEqualTo("duplicate");
        assertThat(jdbc.sql("select jsonb_array_length(components) from usage_call where id = ?")
                .param(samples.id(Samples.MAIN_CALL_ID)).query(Integer.class).single()).isEqualTo(9);
    }

    @Test
    void unknownMessageTypesAreStoredAndIgnored() {
        Http.Response response = http.post("/webhooks/vapi", "application/json",
                "{\"message\":{\"type\":\"speech-update\",\"status\":\"started\"}}")
                .header("Authorization", "Bearer " + TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asString()).isEqualTo("ignored");
        long eventId = response.json().path("eventId").asLong();
        assertThat(statusOfEvent(eventId)).isEqualTo("IGNORED");
    }

    @Test
    void anHmacSignedDeliveryIsAccepted() {
        byte[] body = samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        Http.Response response = http.post("/webhooks/vapi", "application/json", body)
                .header("x-timestamp", timestamp)
                .header("x-signature", "sha256=" + Signatures.vapi("sha256", TestFixtures.HMAC_SECRET, timestamp, body))
                .send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    @Test
    void malformedJsonIsA400ThatSaysWhyAndKeepsTheRawBodyAsFailed() {
        Http.Response response = http.post("/webhooks/vapi", "application/json", "{\"message\": {\"type\": ")
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asString()).contains("not valid JSON");
        long eventId = response.json().path("detail").path("eventId").asLong();
        assertThat(statusOfEvent(eventId)).isEqualTo("FAILED");
        assertThat(jdbc.sql("select body from ingestion_webhook_event where id = ?").param(eventId)
                .query(String.class).single()).isEqualTo("{\"message\": {\"type\": ");
    }

    @Test
    void aMessageWithoutTypeOrAReportWithoutCallIdIsA400AndStoresNoCall() {
        Http.Response noType = http.post("/webhooks/vapi", "application/json", "{\"message\":{\"call\":{\"id\":\"x\"}}}")
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(noType.status()).isEqualTo(400);
        assertThat(noType.json().path("error").asString()).isEqualTo("missing 'message.type'");

        String noCallId = samples.text(Samples.EOCR).replace("\"id\": \"" + samples.id(Samples.MAIN_CALL_ID) + "\",", "");
        Http.Response response = http.post("/webhooks/vapi", "application/json", noCallId)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asString()).contains("message.call.id");
        assertThat(callCount(samples.id(Samples.MAIN_CALL_ID))).isZero();
    }

    @Test
    void aWrongOrMissingCredentialIsA401AndNothingIsStored() {
        long before = jdbc.sql("select count(*) from ingestion_webhook_event").query(Long.class).single();
        Http.Response wrong = http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR))
                .header("X-Vapi-Secret", "guess").send();
        Http.Response missing = http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR)).send();
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(wrong.json().path("error").asString()).isNotBlank();
        assertThat(callCount(samples.id(Samples.MAIN_CALL_ID))).isZero();
        assertThat(jdbc.sql("select count(*) from ingestion_webhook_event").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void aWrongContentTypeIsA415AndAnOversizeBodyA413() {
        Http.Response text = http.post("/webhooks/vapi", "text/plain", samples.text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.json().path("error").asString()).contains("application/json");

        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        Http.Response oversize = http.post("/webhooks/vapi", "application/json", big)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(oversize.status()).isEqualTo(413);
        assertThat(oversize.json().path("error").asString()).contains("1048576");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a negative quantity | \"minutes\": 3.2, | \"minutes\": -3.2, | minutes must be between 0",
            "an absurd quantity | \"characters\": 1830, | \"characters\": 1e30, | characters must be between 0",
            "a year-10000 end | \"endedAt\": \"2026-11-03T14:08:24.100Z\" | \"endedAt\": \"+10000-11-03T14:08:24.100Z\" | endedAt",
            "a call longer than a week | \"endedAt\": \"2026-11-03T14:08:24.100Z\" | \"endedAt\": \"2026-12-03T14:08:24.100Z\" | more than 7 days",
            "a cost that is text | \"cost\": 0.0272 | \"cost\": \"cheap\" | cost is not a number"})
    void implausibleValuesAreA400NotA500AndStoreNoCall(String what, String original, String replacement, String error) {
        String body = samples.text(Samples.EOCR).replaceFirst(java.util.regex.Pattern.quote(original),
                java.util.regex.Matcher.quoteReplacement(replacement));
        assertThat(body).as(what).contains(replacement);
        Http.Response response = http.post("/webhooks/vapi", "application/json", body)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().path("error").asString()).contains(error);
        assertThat(callCount(samples.id(Samples.MAIN_CALL_ID))).isZero();
    }

    private String stateOf(String callId) {
        return jdbc.sql("""
                select c.status || '|' || c.duration_seconds || '|' || c.provider_cost || '|' || c.reported || '|' ||
                    (select string_agg(layer || unit || quantity || ':' || provider_cost, ',' order by seq)
                       from usage_components(c.components)) || '|' ||
                    (select string_agg(status || occurred_at, ',' order by occurred_at, status)
                       from usage_call_status where call_id = c.id)
                from usage_call c where c.id = ?
                """).param(callId).query(String.class).single();
    }

    private long callCount(String callId) {
        return jdbc.sql("select count(*) from usage_call where id = ?").param(callId).query(Long.class).single();
    }

    private String statusOfEvent(long eventId) {
        return jdbc.sql("select status from ingestion_webhook_event where id = ?").param(eventId).query(String.class)
                .single();
    }
}
