package com.voiceledger.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Paragraph;
import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.security.Role;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import com.voiceledger.usage.TranscriptPolicies;
import com.voiceledger.usage.TranscriptPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The transcript policy as its users set it: a customer admin in Settings, finance on the customer's 360
 * page; the call detail says when a transcript was not kept (docs/decisions/0054).
 */
class TranscriptPolicyScreensTest extends KaribuTest {

    @Autowired
    TestFixtures fixtures;
    @Autowired
    TranscriptPolicies policies;
    @Autowired
    VapiIngest ingest;
    @Autowired
    JdbcClient jdbc;

    Samples samples;
    Customer customer;
    String suffix;

    @BeforeEach
    void data() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        samples = Samples.fresh();
        customer = fixtures.customer(samples.id(Samples.ACME));
        users.create("admin-" + suffix, "Ada Admin", "password-123", Role.CUSTOMER_ADMIN, customer.id());
        users.create("fin-" + suffix, "Finn Finance", "password-123", Role.FINANCE_ADMIN, null);
    }

    @Test
    void aCustomerAdminChoosesToKeepNoTranscriptsAndTheCallDetailSaysTheyWereNotKept() {
        loginAs("admin-" + suffix);
        UI.getCurrent().navigate("settings");
        TranscriptPolicyPanel panel = _get(TranscriptPolicyPanel.class);
        assertThat(panel.keep.getValue()).isEqualTo(TranscriptPolicy.Keep.ALWAYS);
        assertThat(panel.days.isEnabled()).isFalse();
        panel.keep.setValue(TranscriptPolicy.Keep.NEVER);
        _click(panel.save);
        assertThat(policies.of(customer.id())).isEqualTo(TranscriptPolicy.NEVER);
        assertThat(jdbc.sql("select actor from audit_entry where action = 'transcripts.policy' and subject = ?")
                .param("customer " + customer.id()).query(String.class).list()).containsExactly("admin-" + suffix);

        ingest.ingest("vapi", "application/json", Map.of(), samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));
        UI.getCurrent().navigate("calls/" + samples.id(Samples.MAIN_CALL_ID));
        assertThat(_find(Paragraph.class).stream().map(Paragraph::getText))
                .contains("Transcript not kept under your transcript policy (never kept).");
    }

    @Test
    void financeSetsTheDaysKeptOnTheCustomersPage() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/customers/" + customer.externalId());
        TranscriptPolicyPanel panel = _get(TranscriptPolicyPanel.class);
        panel.keep.setValue(TranscriptPolicy.Keep.DAYS);
        assertThat(panel.days.isEnabled()).isTrue();
        panel.days.setValue(14);
        _click(panel.save);
        assertThat(policies.of(customer.id())).isEqualTo(TranscriptPolicy.days(14));
        assertThat(jdbc.sql("select actor from audit_entry where action = 'transcripts.policy' and subject = ?")
                .param("customer " + customer.id()).query(String.class).list()).containsExactly("fin-" + suffix);
    }
}
