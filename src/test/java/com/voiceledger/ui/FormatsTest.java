package com.voiceledger.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatsTest {

    @ParameterizedTest(name = "a charge of {0} reads {1}")
    @CsvSource({"0.16, 0.16 USD", "0.004, 0.004 USD", "0.0012345, 0.001234 USD", "0.0012355, 0.001236 USD", "2, 2.00 USD"})
    void aChargeShowsItsPrecisionUpToSixDecimals(String charge, String shown) {
        assertThat(Formats.charge(new BigDecimal(charge), "USD")).isEqualTo(shown);
    }

    @ParameterizedTest(name = "a running total of {0} reads {1}")
    @CsvSource({"69.744398, 69.74 USD", "0.125, 0.12 USD", "0.135, 0.14 USD", "12, 12.00 USD"})
    void aRunningTotalReadsToTheCentRoundedHalfEven(String total, String shown) {
        assertThat(Formats.total(new BigDecimal(total), "USD")).isEqualTo(shown);
    }
}
