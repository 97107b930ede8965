package com.voiceledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.AttributionType;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Calls nobody owns are kept, and move to their customer with their usage when a match appears. */
@IntegrationTest
class AttributionIT {

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    CustomerService customers;
    @Autowired
    JdbcClient jdbc;

    Http http;
    Samples samples;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        samples = Samples.fresh();
    }

    void deliver(String text) {
        Http.Response response = http.post("/webhooks/vapi", "application/json", text)
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    Long ownerOf(String callId) {
        return jdbc.sql("select customer_id from usage_call where id = ?").param(callId).query(Long.class).optional()
                .orElse(null);
    }

    long componentsOwnedBy(String callId, Customer customer) {
        return jdbc.sql("""
                select coalesce(sum(jsonb_array_length(components)), 0) from usage_call
                where id = ? and customer_id = ?""")
                .params(callId, customer.id().value()).query(Long.class).single();
    }

    @Test
    void aCallWithAnUnknownCustomerKeyIsKeptUnattributedUntilThatCustomerIsCreated() {
        deliver(samples.text(Samples.EOCR));
        String callId = samples.id(Samples.MAIN_CALL_ID);
        assertThat(ownerOf(callId)).isNull();
        Http.Response unattributed = http.get("/api/admin/v1/unattributed-calls?limit=1000")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(unattributed.body()).contains(callId);

        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        assertThat(ownerOf(callId)).isEqualTo(acme.id().value());
        assertThat(componentsOwnedBy(callId, acme)).isEqualTo(9);
    }

    @Test
    void aCallWithoutMetadataIsAttributedWhenItsAssistantIsMappedWithItsComponents() {
        String withoutMetadata = samples.text(Samples.EOCR)
                .replace("\"customerId\": \"" + samples.id(Samples.ACME) + "\"", "\"campaign\": \"none\"");
        deliver(withoutMetadata);
        String callId = samples.id(Samples.MAIN_CALL_ID);
        assertThat(ownerOf(callId)).isNull();

        Customer owner = fixtures.customer("mapped-" + UUID.randomUUID().toString().substring(0, 8));
        Http.Response mapped = http.post("/api/admin/v1/customers/" + owner.externalId() + "/attributions",
                "application/json", "{\"type\":\"assistantId\",\"value\":\"" + samples.id("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13") + "\"}")
                .bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(mapped.status()).as(mapped.toString()).isEqualTo(201);
        assertThat(ownerOf(callId)).isEqualTo(owner.id().value());
        assertThat(componentsOwnedBy(callId, owner)).isEqualTo(9);
    }

    @Test
    void aNewCallMatchingAnExistingMappingIsAttributedOnArrival() {
        Customer owner = fixtures.customer("org-owner-" + UUID.randomUUID().toString().substring(0, 8));
        customers.addAttribution(owner.id(), AttributionType.ORG_ID, samples.id("0b7e4d2c-91aa-4c55-8f3e-2d6a1b9c7e44"));
        deliver(samples.text(Samples.EOCR_SILENCE));
        assertThat(ownerOf(samples.id(Samples.SILENCE_CALL_ID))).isEqualTo(owner.id().value());
    }

    @Test
    void aMappingWinsOverMetadataClaimingAnotherCustomerAndFinanceSeesTheConflict() {
        // the assistant is mapped to "mapped"; its call's metadata claims to be Acme's (whose cap and bill it would hit)
        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        Customer mapped = fixtures.customer("mapped-" + UUID.randomUUID().toString().substring(0, 8));
        String assistant = samples.id("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13");
        customers.addAttribution(mapped.id(), AttributionType.ASSISTANT_ID, assistant);

        deliver(samples.text(Samples.EOCR));

        assertThat(ownerOf(samples.id(Samples.MAIN_CALL_ID))).isEqualTo(mapped.id().value());
        assertThat(componentsOwnedBy(samples.id(Samples.MAIN_CALL_ID), acme)).isZero();
        Http.Response conflicts = http.get("/api/admin/v1/attribution-conflicts").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(conflicts.status()).isEqualTo(200);
        assertThat(conflicts.json().valueStream().filter(conflict -> conflict.path("hintValue").asString().equals(assistant))
                .toList()).singleElement().satisfies(conflict -> {
                    assertThat(conflict.path("claimedCustomer").asString()).isEqualTo(acme.externalId());
                    assertThat(conflict.path("mappedCustomer").asString()).isEqualTo(mapped.externalId());
                    assertThat(conflict.path("hintType").asString()).isEqualTo("assistantId");
                });
    }

    @Test
    void metadataThatAgreesWithTheMappingOrStandsAloneDecidesWithoutAConflict() {
        Customer acme = fixtures.customer(samples.id(Samples.ACME));
        String assistant = samples.id("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13");
        customers.addAttribution(acme.id(), AttributionType.ASSISTANT_ID, assistant);

        deliver(samples.text(Samples.EOCR));

        assertThat(ownerOf(samples.id(Samples.MAIN_CALL_ID))).isEqualTo(acme.id().value());
        assertThat(customers.attributionConflicts(1000)).noneMatch(conflict -> conflict.hintValue().equals(assistant));
    }
}
