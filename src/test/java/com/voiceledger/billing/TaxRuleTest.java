package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.BillingDetails;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tax line under a configured rate (decision 0079), the arithmetic beside each expected value. */
class TaxRuleTest {

    static final TaxRule.Rate VAT = new TaxRule.Rate(new BigDecimal("0.21"), "VAT 21%");

    static BillingDetails details(String country, String taxId, boolean exempt) {
        return new BillingDetails("Buyer", new BillingDetails.Address("1 Street", null, "City", null, null, country),
                taxId, null, List.of(), exempt);
    }

    @Test
    void withoutAConfiguredRateThereIsNoTaxLine() {
        assertThat(TaxRule.line(new BigDecimal("10.00"), "EUR", null, details("NL", null, false), "NL")).isEmpty();
    }

    @Test
    void theRateIsAppliedToSubtotalPlusCreditsAndRoundedOnceHalfEven() {
        // 10.25 × 0.21 = 2.1525 → 2.15 (half-even at the cent)
        InvoiceLine line = TaxRule.line(new BigDecimal("10.25"), "EUR", VAT, details("NL", "NL123456789B01", false), "NL")
                .orElseThrow();
        assertThat(line.kind()).isEqualTo(LineKind.TAX);
        assertThat(line.amount()).isEqualByComparingTo("2.15");
        assertThat(line.description()).isEqualTo("VAT 21%");
        // 0.50 × 0.21 = 0.105 → 0.10 (half-even: the even cent)
        assertThat(TaxRule.line(new BigDecimal("0.50"), "EUR", VAT, null, "NL").orElseThrow().amount())
                .isEqualByComparingTo("0.10");
        // JPY has no minor unit: 1000 × 0.21 = 210
        assertThat(TaxRule.line(new BigDecimal("1000"), "JPY", VAT, null, "NL").orElseThrow().amount())
                .isEqualByComparingTo("210");
    }

    @Test
    void anExemptCustomerGetsAZeroLineSayingSo() {
        InvoiceLine line = TaxRule.line(new BigDecimal("10.00"), "EUR", VAT, details("NL", null, true), "NL").orElseThrow();
        assertThat(line.amount()).isEqualByComparingTo("0");
        assertThat(line.description()).isEqualTo("VAT 21%: exempt");
    }

    @ParameterizedTest(name = "customer {0} with {1}, issuer {2}: reverse charge {3}")
    @CsvSource({"DE, DE123456789, NL, true", "GR, EL123456789, NL, true", "DE, DE 123.456.789, NL, true",
            "NL, NL123456789B01, NL, false", // same member state: domestic VAT
            "DE, , NL, false", // no VAT number: a consumer, VAT charged
            "DE, FR12345678901, NL, false", // another state's number
            "DE, DEABCDEFGH, NL, false", // no digits: not a VAT number
            "US, 12-3456789, NL, false", // outside the EU
            "DE, DE123456789, US, false"}) // issuer outside the EU: no EU reverse charge
    void theReverseChargeAppliesToAnEuBusinessInAnotherMemberStateWithItsOwnVatNumber(String country, String taxId,
            String issuer, boolean reverse) {
        InvoiceLine line = TaxRule.line(new BigDecimal("100.00"), "EUR", VAT, details(country, taxId, false), issuer)
                .orElseThrow();
        if (reverse) {
            assertThat(line.amount()).isEqualByComparingTo("0");
            assertThat(line.description()).isEqualTo(TaxRule.REVERSE_CHARGE_NOTE);
        } else {
            // 100.00 × 0.21 = 21.00
            assertThat(line.amount()).isEqualByComparingTo("21.00");
        }
    }
}
