package com.voiceledger.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartsTest {

    @Test
    void stackedBarsCarryOneSeriesPerLayerOverTheDays() {
        Map<String, Object> options = Charts.stackedBars(List.of("1", "2"),
                List.of(new Charts.Series("llm", List.of(new BigDecimal("1.00"), new BigDecimal("2.00"))),
                        new Charts.Series("tts", List.of(BigDecimal.ZERO, new BigDecimal("0.50")))), Charts.Values.money("USD"));

        assertThat(options.get("chart")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("stacked", true).containsEntry("type", "bar");
        assertThat(options.get("series")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .hasSize(2);
        assertThat(options.get("xaxis")).isEqualTo(Map.of("categories", List.of("1", "2")));
    }

    @Test
    void horizontalBarsDrawLossesInRed() {
        Map<String, Object> options = Charts.horizontalBars(List.of("Globex", "Acme"),
                new Charts.Series("Margin", List.of(new BigDecimal("-1.29"), new BigDecimal("0.12"))), Charts.Values.money("USD"));

        assertThat(options.get("plotOptions").toString()).contains("horizontal=true").contains("to=0")
                .contains("#d32f2f");
    }

    @Test
    void aDonutHasALabelPerValue() {
        Map<String, Object> options = Charts.donut(List.of("llm", "tts"), List.of(BigDecimal.ONE, BigDecimal.TEN), Charts.Values.money("USD"));

        assertThat(options).containsEntry("labels", List.of("llm", "tts"))
                .containsEntry("series", List.of(BigDecimal.ONE, BigDecimal.TEN));
    }

    @Test
    void aBurnDownDrawsUseSolidTheProjectionDashedAndTheCommittedLevel() {
        Map<String, Object> options = Charts.burnDown(
                List.of(new Charts.Point("2026-11-01", new BigDecimal("10")), new Charts.Point("2026-11-02", 25)),
                List.of(new Charts.Point("2026-11-02", 25), new Charts.Point("2026-11-30", 400)), 1000,
                "Committed 1000.00 USD", Charts.Values.money("USD"));

        assertThat(options.get("series").toString()).contains("name=Used").contains("name=Projected");
        assertThat(options.get("stroke").toString()).contains("dashArray=[0, 6]");
        assertThat(options.get("annotations").toString()).contains("y=1000").contains("Committed 1000.00 USD");
        assertThat(options.get("yaxis").toString()).as("the committed level is in view").contains("max=1100.0");
    }

    @Test
    void everyChartSaysWhatItsValuesAreSoItsAxisAndTooltipsReadLikeTheTables() {
        Map<String, Object> margin = Charts.horizontalBars(List.of("Globex"),
                new Charts.Series("Margin", List.of(new BigDecimal("-2.5"))), Charts.Values.money("USD"));

        assertThat(margin.get("vlValues")).isEqualTo(Map.of("kind", "money", "currency", "USD", "minorDigits", 2));
        assertThat(margin.get("xaxis").toString()).contains("title={text=USD}");
    }

    @Test
    void aSmallCountGetsOneTickPerWholeNumberSoNoLabelRepeats() {
        Map<String, Object> options = Charts.columns(List.of("0–1 min", "1–2 min"),
                new Charts.Series("Calls", List.of(3, 1)), Charts.Values.count("calls"));

        assertThat(options.get("yaxis").toString()).contains("tickAmount=3").contains("max=3");
    }
}
