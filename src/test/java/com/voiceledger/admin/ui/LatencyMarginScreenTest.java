package com.voiceledger.admin.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.UI;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.security.Role;
import com.voiceledger.support.Http;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.node.ObjectNode;

/** Finance sees latency by provider and model across customers beside margin (issue #30), on the margins view. */
class LatencyMarginScreenTest extends KaribuTest {

    @Autowired
    TestFixtures fixtures;
    @Autowired
    VapiIngest ingest;
    @Autowired
    Clock clock;

    String model;
    String suffix;

    @BeforeEach
    void data() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        // a model of this test's own (other tests' calls share the month), named as a script would be: text only
        model = "<b>gpt-slow-" + suffix + "</b>";
        users.create("fin-" + suffix, "Finn Finance", "password-123", Role.FINANCE_ADMIN, null);
        for (int customer = 0; customer < 2; customer++) {
            Samples samples = Samples.fresh().onDay(LocalDate.now(clock));
            fixtures.customer(samples.id(Samples.ACME));
            ObjectNode root = (ObjectNode) Http.parse(samples.text(Samples.EOCR));
            ObjectNode message = (ObjectNode) root.path("message");
            message.path("costs").forEach(cost -> {
                if ("model".equals(cost.path("type").asString())) {
                    ((ObjectNode) cost.path("model")).put("model", model);
                }
            });
            ObjectNode metrics = ((ObjectNode) message.path("artifact")).putObject("performanceMetrics");
            metrics.put("modelLatencyAverage", customer == 0 ? 800 : 2900);
            ingest.ingest("vapi", "application/json", Map.of(), root.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theMarginsViewShowsEachModelsLatencyAcrossCustomersBesideItsMargin() {
        loginAs("fin-" + suffix);
        UI.getCurrent().navigate("admin/margins");
        MarginView view = _get(MarginView.class);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < GridKt._size(view.latency); i++) {
            rows.add(String.join(" | ", GridKt._getFormattedRow(view.latency, i)));
        }
        // two customers' calls, 800 and 2900 ms: nearest rank p50 is the first (800), p95 the second (2900)
        assertThat(rows).anySatisfy(row -> assertThat(row)
                .startsWith("model | openai " + model + " | 800 ms | 2900 ms | 2 | "));
        String options = view.latencyChart.getElement().getProperty("options");
        assertThat(options).as("the model's name as the text it is, for vl-chart.js to escape")
                .contains("model: openai " + model).contains("\"kind\":\"count\"");
    }
}
