package com.voiceledger.portal.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.UI;
import com.voiceledger.audit.AuditLog;
import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.security.Role;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.support.Http;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import com.voiceledger.usage.CallIdentity;
import com.voiceledger.usage.CallReported;
import com.voiceledger.usage.ResourceNames;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.node.ObjectNode;

/** Assistants and phone numbers read by name wherever their ids were shown (docs/decisions/0044). */
class NamesScreensTest extends KaribuTest {

    @Autowired
    TestFixtures fixtures;
    @Autowired
    VapiIngest ingest;
    @Autowired
    Clock clock;
    @Autowired
    ResourceNames names;
    @Autowired
    AuditLog audit;

    Samples samples;
    Customer acme;
    String suffix;
    String assistantId;

    @BeforeEach
    void data() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        samples = Samples.fresh().onDay(LocalDate.now(clock));
        acme = fixtures.customer(samples.id(Samples.ACME));
        users.create("admin-" + suffix, "Ada Admin", "password-123", Role.CUSTOMER_ADMIN, acme.id());
        ObjectNode report = (ObjectNode) Http.parse(samples.text(Samples.EOCR));
        assistantId = report.path("message").path("call").path("assistantId").asString();
        ((ObjectNode) report.path("message")).putObject("assistant").put("id", assistantId).put("name", "Front desk");
        ingest.ingest("vapi", "application/json", Map.of(), report.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theNameThePayloadCarriesIsShownInTheCallsGridTheFilterAndTheDashboard() {
        loginAs("admin-" + suffix);
        UI.getCurrent().navigate("calls");
        CallsView calls = _get(CallsView.class);
        assertThat(calls.assistant.getItemLabelGenerator().apply(assistantId)).isEqualTo("Front desk");

        UI.getCurrent().navigate("dashboard");
        DashboardView dashboard = _get(DashboardView.class);
        assertThat(dashboard.assistant.getItemLabelGenerator().apply(assistantId)).isEqualTo("Front desk");
    }

    @Test
    void aCustomerAdminsNameWinsOverThePayloadsAndIsAudited() {
        names.rename(acme.id(), ResourceNames.Kind.ASSISTANT, assistantId, "Reception (EN)", "admin-" + suffix);
        // a later report with the platform's name: the person's name stays
        names.on(new CallReported("later-" + suffix, acme.id(), clock.instant(), 60, List.of(),
                new CallIdentity("later-" + suffix, null, null, assistantId, null, null, null, null, null, null,
                        "Front desk v2", null), null, null));
        assertThat(names.names(acme.id(), ResourceNames.Kind.ASSISTANT)).containsEntry(assistantId, "Reception (EN)");
        assertThat(audit.entries("resource.rename", 50)).anyMatch(entry -> entry.subject().contains(assistantId));
    }

    @Test
    void anIdThatIsNotOnTheCustomersCallsCannotBeNamed() {
        assertThatThrownBy(() -> names.rename(acme.id(), ResourceNames.Kind.ASSISTANT, "someone-elses-assistant",
                "Mine now", "admin-" + suffix)).isInstanceOf(BadRequestException.class);
    }
}
