package com.voiceledger.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.internal.TwilioSignature;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** POST /webhooks/twilio/status: signature, highest SequenceNumber, join by CallSid in either order. */
@IntegrationTest
class TwilioWebhookIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;

    Http http;
    Samples samples;
    String acmeKey;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        samples = Samples.fresh();
        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        acmeKey = fixtures.apiKey(acme);
    }

    Http.Response callback(String form) {
        String url = http.baseUrl() + "/webhooks/twilio/status";
        String signature = TwilioSignature.compute(TestFixtures.TWILIO_TOKEN, url,
                TwilioWebhookController.parseForm(form));
        return http.post("/webhooks/twilio/status", "application/x-www-form-urlencoded", form)
                .header("X-Twilio-Signature", signature).send();
    }

    JsonNode twilioOfMainCall() {
        return http.get("/api/v1/calls/" + samples.id(Samples.MAIN_CALL_ID)).bearer(acmeKey).send().json().path("twilio");
    }

    void deliverReport() {
        http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
    }

    @Test
    void aSignedCallbackBeforeTheReportIsJoinedWhenTheReportArrives() {
        Http.Response response = callback(samples.twilioForm());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        deliverReport();
        JsonNode twilio = twilioOfMainCall();
        assertThat(twilio.path("status").asString()).isEqualTo("completed");
        assertThat(twilio.path("durationSeconds").asInt()).isEqualTo(194);
    }

    @Test
    void aCallbackAfterTheReportIsJoinedToo() {
        deliverReport();
        assertThat(twilioOfMainCall().path("status").isNull()).isTrue();
        callback(samples.twilioForm());
        assertThat(twilioOfMainCall().path("status").asString()).isEqualTo("completed");
    }

    @Test
    void anOlderSequenceNumberArrivingLateDoesNotOverwriteANewerOne() {
        deliverReport();
        callback(samples.twilioForm());
        String ringing = samples.twilioForm().replace("CallStatus=completed", "CallStatus=ringing")
                .replace("CallDuration=194&", "").replace("SequenceNumber=3", "SequenceNumber=1");
        Http.Response late = callback(ringing);
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.json().path("status").asString()).isEqualTo("duplicate");
        assertThat(twilioOfMainCall().path("status").asString()).isEqualTo("completed");
    }

    @Test
    void aWrongSignatureIsA401AndAFormWithoutCallSidA400() {
        Http.Response forged = http.post("/webhooks/twilio/status", "application/x-www-form-urlencoded",
                samples.twilioForm()).header("X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=").send();
        assertThat(forged.status()).isEqualTo(401);
        Http.Response noSid = callback("CallStatus=completed&SequenceNumber=1");
        assertThat(noSid.status()).isEqualTo(400);
        assertThat(noSid.json().path("error").asString()).isEqualTo("missing CallSid");
    }

    @Test
    void jsonIsNotAcceptedWhereTwilioPostsAForm() {
        Http.Response json = http.post("/webhooks/twilio/status", "application/json", "{}").send();
        assertThat(json.status()).isEqualTo(415);
    }
}
