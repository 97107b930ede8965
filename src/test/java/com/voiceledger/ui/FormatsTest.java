package com.voiceledger.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatsTest {

    @ParameterizedTest(name = "a per-call figure or unit price of {0} reads {1}")
    @CsvSource({"0.16, 0.16 USD", "0.004, 0.004 USD", "0.0000025, 0.0000025 USD", "0.00000001, 0.00000001 USD",
            "0.123456789, 0.12345679 USD", "2, 2.00 USD", "-0.0976, -0.0976 USD"})
    void aPreciseFigureKeepsEveryDecimalUpToTheRateCardsEightAndAtLeastTheCents(String amount, String shown) {
        assertThat(Formats.precise(new BigDecimal(amount), "USD")).isEqualTo(shown);
    }

    @ParameterizedTest(name = "an amount of {0} {1} reads {2}")
    @CsvSource({"69.744398, USD, 69.74 USD", "0.125, USD, 0.12 USD", "0.135, USD, 0.14 USD", "12, USD, 12.00 USD",
            "179.4604, USD, 179.46 USD", "-0.0976, USD, -0.10 USD", "1234.5, JPY, 1234 JPY"})
    void anAmountReadsToTheCurrencysMinorUnitRoundedHalfEvenWithItsCurrency(String amount, String currency,
            String shown) {
        assertThat(Formats.money(new BigDecimal(amount), currency)).isEqualTo(shown);
    }
}
