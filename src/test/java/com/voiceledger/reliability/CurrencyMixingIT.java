package com.voiceledger.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.voiceledger.billing.BillingRun;
import com.voiceledger.billing.BillingRuns;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.ingestion.internal.TwilioSignature;
import com.voiceledger.rating.WhatIf;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Money in one currency never priced as another: the rate card is in USD, a customer bills in EUR.
 * Rate card dates: 2001-06 (fenced from 2001-07).
 */
@IntegrationTest
class CurrencyMixingIT {

    @LocalServerPort
    int port;
    @Autowired
    CustomerService customers;
    @Autowired
    ContractService contracts;
    @Autowired
    InvoiceService invoices;
    @Autowired
    BillingRuns runs;
    @Autowired
    WhatIf whatIf;

    Http http;

    Http.Response admin(String method, String path, String json) {
        Http.Request request = method.equals("PUT") ? http.put(path, "application/json", json)
                : http.post(path, "application/json", json);
        return request.bearer(TestFixtures.ADMIN_TOKEN).send();
    }

    @Test
    void aTwilioReconciliationDeltaIsNotBilledToAEuroCustomerAtTheRateCardsDollarPrice() {
        http = new Http(port);
        LocalDate day = LocalDate.of(2001, 6, 10);
        Samples samples = Samples.fresh().onDay(day);
        Customer euro = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Euro Health", "EUR", "UTC"));
        assertThat(admin("POST", "/api/admin/v1/rate-card/versions", """
                {"effectiveFrom": "2001-06-01T00:00:00Z", "currency": "USD", "reason": "currency test",
                 "entries": [{"layer": "telephony", "provider": "twilio", "model": "*", "unit": "minute", "unitPrice": "0.01"}]}
                """).status()).isEqualTo(201);
        admin("POST", "/api/admin/v1/rate-card/versions", """
                {"effectiveFrom": "2001-07-01T00:00:00Z", "currency": "USD", "reason": "fence",
                 "entries": [{"layer": "other", "provider": "fence", "model": "*", "unit": "token", "unitPrice": "0"}]}
                """);
        // its calls are priced by its own contract in EUR; Twilio billed 301 s for a 3.2-minute call
        contracts.add(euro, day.withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC), "EUR",
                new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(), new BigDecimal("0.10"), BigDecimal.ZERO,
                        60, BigDecimal.ZERO, null, BigDecimal.ONE, null), "euro", "test");
        assertThat(http.post("/webhooks/vapi", "application/json", samples.text(Samples.EOCR))
                .header("X-Vapi-Secret", TestFixtures.VAPI_SECRET).send().status()).isEqualTo(200);
        twilioCallback(samples.twilioForm().replace("CallDuration=194", "CallDuration=301"));
        assertThat(admin("PUT", "/api/admin/v1/customers/" + euro.externalId() + "/reconciliation-policy",
                "{\"policy\": \"BILL_DELTA\"}").status()).isEqualTo(200);

        long runId = admin("POST", "/api/admin/v1/billing-runs", "{\"month\": \"2001-06\", \"customer\": \""
                + euro.externalId() + "\"}").json().path("id").asLong();
        runs.runQueued();
        BillingRun run = runs.get(runId);
        assertThat(run.results()).singleElement().satisfies(result -> {
            assertThat(result.outcome()).isEqualTo("FAILED");
            assertThat(result.error()).contains("Twilio price is in USD, the customer is billed in EUR")
                    .contains("FLAG_ONLY");
        });
        assertThat(invoices.invoices(euro.id())).isEmpty();

        // with the delta only flagged, the month closes in EUR
        admin("PUT", "/api/admin/v1/customers/" + euro.externalId() + "/reconciliation-policy",
                "{\"policy\": \"FLAG_ONLY\"}");
        assertThat(invoices.close(euro, YearMonth.of(2001, 6)).invoice().total()).isEqualByComparingTo("0.40");
    }

    @Test
    void whatIfTermsLikeACustomerInAnotherCurrencyAreRefusedWithTheReason() {
        Samples samples = Samples.fresh();
        Customer dollars = customers.create(NewCustomer.parse(samples.id(Samples.ACME), "Dollar Co", "USD", "UTC"));
        ContractTerms sterlingTerms = new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(),
                new BigDecimal("0.08"), BigDecimal.ZERO, 60, BigDecimal.ZERO, null, BigDecimal.ONE, null);
        WhatIf.Scenario likeBritish = new WhatIf.Scenario("like British Co: 0.08 GBP/min", null, false, sterlingTerms,
                "GBP");
        YearMonth month = YearMonth.of(2026, 1);

        assertThatThrownBy(() -> whatIf.compare(dollars, month, likeBritish)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("are in GBP, Dollar Co is billed in USD");
        assertThatThrownBy(() -> whatIf.offer(dollars, likeBritish, "cheaper", "finance"))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("are in GBP");
        assertThat(whatIf.offers(dollars.id())).isEmpty();
        // the same terms in the customer's own currency are compared as before
        assertThat(whatIf.compare(dollars, month, new WhatIf.Scenario("0.08 USD/min", null, false, sterlingTerms, "USD"))
                .calls()).isZero();
    }

    void twilioCallback(String form) {
        Map<String, List<String>> params = new HashMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            params.computeIfAbsent(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
                    k -> new ArrayList<>()).add(java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        String signature = TwilioSignature.compute(TestFixtures.TWILIO_TOKEN, http.baseUrl() + "/webhooks/twilio/status",
                params);
        assertThat(http.post("/webhooks/twilio/status", "application/x-www-form-urlencoded", form)
                .header("X-Twilio-Signature", signature).send().status()).isEqualTo(200);
    }
}
