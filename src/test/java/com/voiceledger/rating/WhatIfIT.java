package com.voiceledger.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.customer.Customer;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.Layer;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What-if against hand-worked figures. The sample call (3 min 12 s) costs 0.338285 at the reference
 * list prices (see RatingIT); this test lives in March 2045, where only its own versions exist.
 */
@IntegrationTest
class WhatIfIT {

    static final YearMonth MONTH = YearMonth.of(2045, 3);

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    WhatIf whatIf;
    @Autowired
    com.voiceledger.ratecard.RateCardService rateCard;

    Http http;
    Samples samples;
    Customer acme;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        samples = Samples.fresh().onDay(MONTH.atDay(10));
        acme = fixtures.customer(samples.id(Samples.ACME));
        publishOnce();
        Http.Response response = http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    static boolean published;

    /** v(reference) from March 1st; a dearer platform (0.06/min) from March 20th, after the call. */
    void publishOnce() {
        if (published) {
            return;
        }
        published = true;
        publish(MONTH.atDay(1), RatingIT.REFERENCE);
        publish(MONTH.atDay(20), RatingIT.REFERENCE.replace("\"platform\",\"provider\":\"vapi\",\"model\":\"*\","
                + "\"unit\":\"minute\",\"unitPrice\":\"0.05\"", "\"platform\",\"provider\":\"vapi\",\"model\":\"*\","
                + "\"unit\":\"minute\",\"unitPrice\":\"0.06\""));
    }

    void publish(LocalDate from, String entries) {
        Http.Response response = http.post("/api/admin/v1/rate-card/versions", "application/json",
                "{\"effectiveFrom\":\"" + from + "T00:00:00Z\",\"currency\":\"USD\",\"reason\":\"what-if test\","
                        + "\"entries\":[" + entries + "]}").bearer(TestFixtures.ADMIN_TOKEN).send();
        assertThat(response.status()).as(response.toString()).isBetween(200, 201);
    }

    int laterVersion() {
        return rateCard.versions().stream()
                .filter(v -> v.effectiveFrom().equals(MONTH.atDay(20).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()))
                .findFirst().orElseThrow().number();
    }

    @Test
    void theSameTermsGiveTheSameChargeAndNoDifference() {
        WhatIf.Comparison same = whatIf.compare(acme, MONTH, new WhatIf.Scenario("list prices", null, false, null));
        assertThat(same.calls()).isEqualTo(1);
        assertThat(same.actual()).isEqualByComparingTo("0.338285");
        assertThat(same.alternative()).isEqualByComparingTo("0.338285");
        assertThat(same.difference()).isEqualByComparingTo("0");
    }

    @Test
    void aLaterRateCardVersionRepricesTheMonthWithItsPrices() {
        // platform 3.2 min × (0.06 − 0.05) = +0.032
        WhatIf.Comparison dearer = whatIf.compare(acme, MONTH, new WhatIf.Scenario("later", laterVersion(), true, null));
        assertThat(dearer.alternative()).isEqualByComparingTo("0.370285");
        assertThat(dearer.difference()).isEqualByComparingTo("0.032");
        assertThat(dearer.layers()).filteredOn(layer -> layer.layer().equals("platform")).singleElement()
                .satisfies(layer -> assertThat(layer.difference()).isEqualByComparingTo("0.032"));
    }

    @Test
    void aPerMinuteContractChargesBillableMinutesAllIn() {
        // 192 s in 60 s steps = 4 minutes × 0.10 = 0.40, shown as voice minutes; the layers drop to zero
        ContractTerms perMinute = new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(),
                new BigDecimal("0.10"), BigDecimal.ZERO, 60, BigDecimal.ZERO, null, BigDecimal.ONE, null, false);
        WhatIf.Comparison comparison = whatIf.compare(acme, MONTH, new WhatIf.Scenario("0.10/min", null, false,
                perMinute));
        assertThat(comparison.alternative()).isEqualByComparingTo("0.40");
        assertThat(comparison.difference()).isEqualByComparingTo("0.061715");
        assertThat(comparison.layers()).filteredOn(layer -> layer.layer().equals(Layer.VOICE_MINUTES)).singleElement()
                .satisfies(layer -> assertThat(layer.alternative()).isEqualByComparingTo("0.40"));
    }

    @Test
    void anOfferIsStoredForThatCustomerOnlyAndNeedsANote() {
        WhatIf.Scenario scenario = new WhatIf.Scenario("list prices", null, false, null);
        assertThatThrownBy(() -> whatIf.offer(acme, scenario, " ", "finance")).isInstanceOf(BadRequestException.class);
        whatIf.offer(acme, scenario, "the plan we discussed", "finance");
        assertThat(whatIf.offers(acme.id())).singleElement().satisfies(offer -> {
            assertThat(offer.note()).isEqualTo("the plan we discussed");
            assertThat(offer.scenario()).isEqualTo(scenario);
        });
        Customer other = fixtures.customer(samples.id(Samples.GLOBEX));
        assertThat(whatIf.offers(other.id())).isEmpty();
    }
}
