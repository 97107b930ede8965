package com.voiceledger.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.billing.InvoiceInput.CommitmentState;
import com.voiceledger.billing.InvoiceInput.GrantBalance;
import com.voiceledger.billing.InvoiceInput.PerMinuteTerms;
import com.voiceledger.contract.Commitment;
import com.voiceledger.contract.CommitmentPeriod;
import com.voiceledger.rating.ChargeGroup;
import com.voiceledger.rating.PerMinuteGroup;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BILLING-RULES §3–5 on hand-worked invoices; the arithmetic is written beside each expectation. */
class InvoiceCalculatorTest {

    static final YearMonth MARCH = YearMonth.of(2027, 3);
    static final Instant START = Instant.parse("2027-03-01T05:00:00Z");
    static final Instant END = Instant.parse("2027-04-01T04:00:00Z");
    static final Instant T = Instant.parse("2027-03-10T12:00:00Z");

    static ChargeGroup charge(boolean late, String layer, String unit, String quantity, String price, String amount) {
        return new ChargeGroup(late, layer, "openai", "gpt-4o", unit, new BigDecimal(price), List.of("rate card v3"),
                new BigDecimal(quantity), new BigDecimal(amount), 10, T, T.plusSeconds(3600));
    }

    static InvoiceInput input(List<ChargeGroup> charges, List<PerMinuteGroup> perMinute, CommitmentState commitment,
            List<GrantBalance> grants) {
        return new InvoiceInput(MARCH, "USD", START, END, charges, perMinute,
                Map.of(2L, new PerMinuteTerms("contract 2", new BigDecimal("0.14"), new BigDecimal("1000"), 60,
                        new BigDecimal("0.25"))),
                commitment, grants, "calls?");
    }

    static List<String> lines(InvoiceDraft draft) {
        return draft.lines().stream().map(l -> l.kind().wireName() + " " + l.amount().toPlainString()).toList();
    }

    @Test
    void eachUsageLineIsRoundedOnceHalfEvenAndTheTotalIsTheSumOfLines() {
        InvoiceDraft draft = InvoiceCalculator.calculate(input(List.of(
                // 8754 tokens × 0.0000025 = 0.021885 → 0.02
                charge(false, "llm", "prompt_token", "8754", "0.0000025", "0.021885"),
                // 0.125 → 0.12 (half-even keeps the even cent)
                charge(false, "platform", "minute", "2.5", "0.05", "0.125"),
                // 0.135 → 0.14
                charge(false, "stt", "minute", "28.125", "0.0048", "0.135")), List.of(), null, List.of()));
        assertThat(lines(draft)).containsExactly("usage 0.02", "usage 0.12", "usage 0.14");
        assertThat(draft.subtotal()).isEqualByComparingTo("0.28");
        assertThat(draft.total()).isEqualByComparingTo("0.28");
        assertThat(draft.lines().getFirst().explanation()).containsEntry("calls", 10L)
                .containsEntry("priceSource", "rate card v3");
    }

    @Test
    void perMinuteUsageBillsMinutesBeyondTheIncludedOnesAndTopUpsSeparately() {
        // 10,000 billable minutes (600,000 s); 1,000 included; 0.14/min → 9,000 × 0.14 = 1,260.00
        // 50 calls topped up by 0.13 each = 6.50
        PerMinuteGroup group = new PerMinuteGroup(false, 2, 600_000, new BigDecimal("1400"), new BigDecimal("6.50"),
                2000, 50, T, T.plusSeconds(60));
        InvoiceDraft draft = InvoiceCalculator.calculate(input(List.of(), List.of(group), null, List.of()));
        assertThat(lines(draft)).containsExactly("usage 1260.00", "minimum_charge 6.50");
        assertThat(draft.lines().getFirst().quantity()).isEqualByComparingTo("9000");
        assertThat(draft.lines().getFirst().description()).isEqualTo("Voice minutes beyond 1000 included");
        assertThat(draft.total()).isEqualByComparingTo("1266.50");
    }

    @Test
    void fewerMinutesThanIncludedBillNothingButTheTopUps() {
        // 300 minutes, all included; 2 top-ups of 0.13
        PerMinuteGroup group = new PerMinuteGroup(false, 2, 18_000, new BigDecimal("42"), new BigDecimal("0.26"), 120,
                2, T, T);
        assertThat(lines(InvoiceCalculator.calculate(input(List.of(), List.of(group), null, List.of()))))
                .containsExactly("usage 0.00", "minimum_charge 0.26");
    }

    @Test
    void aQuarterCommitmentIsTrueUpInItsLastMonth() {
        // January 700 + February 800 used before; March 600: 2,500 − 2,100 = 400 true-up
        CommitmentState quarter = new CommitmentState(new Commitment(new BigDecimal("2500"), CommitmentPeriod.QUARTER,
                false), "contract 2", LocalDate.of(2027, 1, 1), false, true, new BigDecimal("1500"), BigDecimal.ZERO,
                BigDecimal.ONE);
        InvoiceDraft draft = InvoiceCalculator.calculate(input(List.of(
                charge(false, "llm", "prompt_token", "240000000", "0.0000025", "600")), List.of(), quarter, List.of()));
        assertThat(lines(draft)).containsExactly("usage 600.00", "commitment_true_up 400.00");
        assertThat(draft.total()).isEqualByComparingTo("1000.00");
        assertThat(draft.commitmentMoves()).extracting(InvoiceDraft.CommitmentMove::kind).containsExactly("USAGE", "TRUE_UP");
    }

    @Test
    void noTrueUpBeforeThePeriodsLastMonth() {
        CommitmentState quarter = new CommitmentState(new Commitment(new BigDecimal("2500"), CommitmentPeriod.QUARTER,
                false), "contract 2", LocalDate.of(2027, 3, 1), true, false, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ONE);
        assertThat(lines(InvoiceCalculator.calculate(input(List.of(
                charge(false, "llm", "prompt_token", "4000000", "0.0000025", "10")), List.of(), quarter, List.of()))))
                .containsExactly("usage 10.00");
    }

    @Test
    void usageBeyondTheCommitmentBillsTheOverageMultiplierOnThisMonthsOverage() {
        // monthly 1,000 committed, 1,300 used: overage 300 × (1.2 − 1) = 60.00; no true-up
        CommitmentState monthly = new CommitmentState(new Commitment(new BigDecimal("1000"), CommitmentPeriod.MONTH,
                false), "contract 2", LocalDate.of(2027, 3, 1), true, true, BigDecimal.ZERO, BigDecimal.ZERO,
                new BigDecimal("1.2"));
        InvoiceDraft draft = InvoiceCalculator.calculate(input(List.of(
                charge(false, "llm", "prompt_token", "520000000", "0.0000025", "1300")), List.of(), monthly, List.of()));
        assertThat(lines(draft)).containsExactly("usage 1300.00", "overage 60.00");
        assertThat(draft.total()).isEqualByComparingTo("1360.00");
    }

    @Test
    void aPrepaidCommitmentIsInvoicedAtThePeriodStartAndUsageDrawsItDown() {
        // prepaid 300 in its first month; 120 used → 120 drawn, nothing else billed: 300 + 120 − 120
        CommitmentState prepaid = new CommitmentState(new Commitment(new BigDecimal("300"), CommitmentPeriod.MONTH,
                true), "contract 3", LocalDate.of(2027, 3, 1), true, true, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ONE);
        InvoiceDraft draft = InvoiceCalculator.calculate(input(List.of(
                charge(false, "tts", "character", "2400000", "0.00005", "120")), List.of(), prepaid, List.of()));
        assertThat(lines(draft)).containsExactly("usage 120.00", "prepaid_commitment 300.00", "prepaid_commitment -120.00");
        assertThat(draft.total()).isEqualByComparingTo("300.00");
    }

    @Test
    void usageBeyondAPrepaidBalanceIsBilled() {
        // 40 left from earlier in the quarter, 100 used: 40 drawn, 60 billed
        CommitmentState prepaid = new CommitmentState(new Commitment(new BigDecimal("300"), CommitmentPeriod.QUARTER,
                true), "contract 3", LocalDate.of(2027, 1, 1), false, true, new BigDecimal("260"), new BigDecimal("40"),
                BigDecimal.ONE);
        InvoiceDraft draft = InvoiceCalculator.calculate(input(List.of(
                charge(false, "tts", "character", "2000000", "0.00005", "100")), List.of(), prepaid, List.of()));
        assertThat(lines(draft)).containsExactly("usage 100.00", "prepaid_commitment -40.00");
        assertThat(draft.total()).isEqualByComparingTo("60.00");
    }

    @Test
    void creditsApplyByPriorityThenSoonestExpiryAndSkipGrantsExpiringOrStartingOutsideThePeriod() {
        Instant soon = END.plusSeconds(86_400 * 10);
        Instant later = END.plusSeconds(86_400 * 60);
        List<GrantBalance> grants = List.of(
                new GrantBalance(1, new BigDecimal("100"), 2, START.minusSeconds(86_400), null, "goodwill"),
                new GrantBalance(2, new BigDecimal("50"), 1, START.minusSeconds(86_400), later, "promo B"),
                new GrantBalance(3, new BigDecimal("30"), 1, START.minusSeconds(86_400), END.minusSeconds(1), "expired"),
                new GrantBalance(4, new BigDecimal("40"), 1, START.minusSeconds(86_400), soon, "promo D"),
                new GrantBalance(5, new BigDecimal("500"), 0, END, null, "starts next month"));
        // due 120: D (priority 1, expires soonest) 40, then B 50, then goodwill (priority 2) 30
        InvoiceDraft draft = InvoiceCalculator.calculate(input(List.of(
                charge(false, "llm", "prompt_token", "48000000", "0.0000025", "120")), List.of(), null, grants));
        assertThat(lines(draft)).containsExactly("usage 120.00", "credit -40.00", "credit -50.00", "credit -30.00");
        assertThat(draft.subtotal()).isEqualByComparingTo("120.00");
        assertThat(draft.credits()).isEqualByComparingTo("-120.00");
        assertThat(draft.total()).isEqualByComparingTo("0.00");
        assertThat(draft.creditUses()).extracting(InvoiceDraft.CreditUse::grantId).containsExactly(4L, 2L, 1L);
    }

    @Test
    void creditsApplyAfterTheTrueUp() {
        CommitmentState monthly = new CommitmentState(new Commitment(new BigDecimal("100"), CommitmentPeriod.MONTH,
                false), "contract 2", LocalDate.of(2027, 3, 1), true, true, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ONE);
        // usage 30 + true-up 70 = 100 due; a 150 grant gives 100
        InvoiceDraft draft = InvoiceCalculator.calculate(input(List.of(
                charge(false, "llm", "prompt_token", "12000000", "0.0000025", "30")), List.of(), monthly,
                List.of(new GrantBalance(9, new BigDecimal("150"), 1, START, null, "launch credit"))));
        assertThat(lines(draft)).containsExactly("usage 30.00", "commitment_true_up 70.00", "credit -100.00");
        assertThat(draft.total()).isEqualByComparingTo("0.00");
    }

    @Test
    void lateCallsLandOnTheInvoiceAsLateUsageAndDoNotDrawTheCommitment() {
        CommitmentState monthly = new CommitmentState(new Commitment(new BigDecimal("100"), CommitmentPeriod.MONTH,
                false), "contract 2", LocalDate.of(2027, 3, 1), true, true, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ONE);
        InvoiceDraft draft = InvoiceCalculator.calculate(input(List.of(
                charge(false, "llm", "prompt_token", "16000000", "0.0000025", "40"),
                charge(true, "llm", "prompt_token", "4000", "0.0000025", "0.01")), List.of(), monthly, List.of()));
        // true-up 100 − 40 = 60; the late 0.01 is billed on its own line
        assertThat(lines(draft)).containsExactly("usage 40.00", "late_usage 0.01", "commitment_true_up 60.00");
        assertThat(draft.lines().get(1).description()).startsWith("Late usage: ");
        assertThat(draft.total()).isEqualByComparingTo("100.01");
    }
}
