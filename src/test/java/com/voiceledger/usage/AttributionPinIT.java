package com.voiceledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A customer bills its calls to another (issue 25, item 4): with no mapping, a report on Acme's own assistant
 * whose metadata names Globex became Globex's call. Now an assistant (and phone number) first seen with a
 * customer is pinned to it, a learned mapping finance sees and can move; metadata that disagrees later is an
 * attribution conflict shown to finance, never a move.
 */
@IntegrationTest
class AttributionPinIT {

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    TestFixtures fixtures;

    Http http;
    Samples samples;
    Customer acme;
    Customer globex;
    String assistant;

    @BeforeEach
    void twoCustomersNoMappings() {
        http = new Http(port);
        samples = Samples.fresh();
        acme = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Acme", "USD", "UTC"));
        globex = customers.create(NewCustomer.parse(samples.id(Samples.GLOBEX), "Globex", "USD", "UTC"));
        assistant = samples.id("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13");
        assertThat(customers.attributions(acme.id())).isEmpty();
    }

    /** The sample report as a new call, with the metadata naming {@code claimed}. */
    String deliver(String claimed) {
        String callId = UUID.randomUUID().toString();
        String report = samples.text(Samples.EOCR).replace(samples.id(Samples.MAIN_CALL_ID), callId)
                .replace("\"customerId\": \"" + samples.id(Samples.ACME) + "\"", "\"customerId\": \"" + claimed + "\"");
        assertThat(report).contains("\"customerId\": \"" + claimed + "\"");
        Http.Response answer = http.post("/webhooks/vapi", "application/json", report)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return callId;
    }

    int seenBy(Customer customer, String callId) {
        return http.get("/api/v1/calls/" + callId).bearer(fixtures.apiKey(customer)).send().status();
    }

    @Test
    void anAssistantFirstSeenWithACustomerStaysItsCustomersWhenALaterCallsMetadataNamesAnother() {
        String first = deliver(acme.externalId());
        assertThat(seenBy(acme, first)).as("positive control: the first call is Acme's").isEqualTo(200);

        String claimedByGlobex = deliver(globex.externalId());

        assertThat(seenBy(globex, claimedByGlobex)).as("Globex must not see Acme's call").isEqualTo(404);
        assertThat(seenBy(acme, claimedByGlobex)).as("the call stays Acme's").isEqualTo(200);
        JsonNode conflicts = http.get("/api/admin/v1/attribution-conflicts").bearer(TestFixtures.ADMIN_TOKEN).send().json();
        assertThat(conflicts.toString()).as("finance sees the conflict").contains(assistant);
        JsonNode mappings = http.get("/api/admin/v1/customers/" + acme.externalId()).bearer(TestFixtures.ADMIN_TOKEN)
                .send().json().path("attributions");
        assertThat(mappings.toString()).as("finance sees the learned mapping").contains(assistant)
                .contains("\"learned\":true");
    }

    @Test
    void financeMovesALearnedMappingAndLaterCallsFollowIt() {
        deliver(acme.externalId());

        Http.Response moved = http.put("/api/admin/v1/attributions", "application/json", "{\"type\": \"assistantId\", "
                + "\"value\": \"" + assistant + "\", \"customer\": \"" + globex.externalId() + "\"}")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        assertThat(moved.json().path("learned").asBoolean()).isFalse();

        String next = deliver(acme.externalId());
        assertThat(seenBy(globex, next)).as("the assistant is Globex's now").isEqualTo(200);
        assertThat(seenBy(acme, next)).isEqualTo(404);
    }
}
