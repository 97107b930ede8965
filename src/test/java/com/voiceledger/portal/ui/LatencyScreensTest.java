package com.voiceledger.portal.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.security.Role;
import com.voiceledger.support.Http;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Latency on the customer's screens (issue #30): p50/p95 per layer beside cost per minute, and each turn on the call. */
class LatencyScreensTest extends KaribuTest {

    @Autowired
    TestFixtures fixtures;
    @Autowired
    VapiIngest ingest;
    @Autowired
    Clock clock;

    Samples samples;
    Customer acme;
    String suffix;

    @BeforeEach
    void data() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        samples = Samples.fresh().onDay(LocalDate.now(clock));
        acme = fixtures.customer(samples.id(Samples.ACME));
        users.create("viewer-" + suffix, "Vic Viewer", "password-123", Role.CUSTOMER_VIEWER, acme.id());
        // the main sample with the performance metrics the platform's SDK describes (decision 0075)
        ObjectNode root = (ObjectNode) Http.parse(samples.text(Samples.EOCR));
        ObjectNode metrics = ((ObjectNode) root.path("message").path("artifact")).putObject("performanceMetrics");
        metrics.put("turnLatencyAverage", 1234);
        ArrayNode turns = metrics.putArray("turnLatencies");
        turns.addObject().put("endpointingLatency", 310).put("transcriberLatency", 95).put("modelLatency", 420)
                .put("voiceLatency", 180).put("turnLatency", 1005);
        turns.addObject().put("modelLatency", 760).put("turnLatency", 1463); // the others not measured
        ingest.ingest("vapi", "application/json", Map.of(), root.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDashboardDrawsP50AndP95PerLayerBesideCostPerMinute() {
        loginAs("viewer-" + suffix);
        UI.getCurrent().navigate("");
        DashboardView dashboard = _get(DashboardView.class);
        // the report's own average for the turn (1234 → (1200, 1300]); model from its turns: (420 + 760) / 2 = 590
        assertThat(dashboard.latency.getListDataView().getItems()
                .map(row -> row.getKey() + " " + row.getValue().p50Ms() + "/" + row.getValue().p95Ms() + " "
                        + row.getValue().calls()))
                .containsExactly("endpointing 325/325 1", "transcriber 100/100 1", "model 600/600 1",
                        "voice 200/200 1", "turn 1300/1300 1");
        String latencyOptions = dashboard.latencyChart.getElement().getProperty("options");
        assertThat(latencyOptions).contains("\"type\":\"line\"").contains("\"name\":\"turn p95\"")
                .contains("\"name\":\"model p50\"").contains("1300");
        String perMinute = dashboard.perMinuteChart.getElement().getProperty("options");
        assertThat(perMinute).contains("\"name\":\"Per minute\"").contains("\"kind\":\"money\"");
        assertThat(perMinute).as("a value for the day").containsPattern("\"data\":\\[[0-9.]+\\]");
    }

    @Test
    void theCallDetailShowsEachTurnsLatency() {
        loginAs("viewer-" + suffix);
        UI.getCurrent().navigate("calls/" + samples.id(Samples.MAIN_CALL_ID));
        @SuppressWarnings("unchecked")
        Grid<Integer> turns = _find(Grid.class).stream().filter(grid -> "turn-latency".equals(grid.getId().orElse(null)))
                .findFirst().orElseThrow();
        assertThat(GridKt._size(turns)).isEqualTo(2);
        assertThat(String.join(" | ", GridKt._getFormattedRow(turns, 0)))
                .isEqualTo("1 | 310 ms | 95 ms | 420 ms | 180 ms | 1005 ms");
        assertThat(String.join(" | ", GridKt._getFormattedRow(turns, 1)))
                .isEqualTo("2 | – | – | 760 ms | – | 1463 ms");
    }
}
