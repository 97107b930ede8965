package com.voiceledger.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class DayRangeTest {

    @Test
    void aMonthRunsFromItsFirstDayToTheFirstOfTheNextAndKnowsItIsAMonth() {
        DayRange february = DayRange.of(YearMonth.of(2028, 2));
        assertThat(february.days()).isEqualTo(29);
        assertThat(february.lastDay()).isEqualTo(LocalDate.of(2028, 2, 29));
        assertThat(february.isMonth()).isTrue();
        assertThat(february).hasToString("2028-02");
    }

    @Test
    void aCustomPeriodIsComparedWithTheSameNumberOfDaysJustBeforeIt() {
        DayRange fortnight = DayRange.inclusive(LocalDate.of(2026, 10, 3), LocalDate.of(2026, 10, 16));
        assertThat(fortnight.days()).isEqualTo(14);
        assertThat(fortnight.isMonth()).isFalse();
        assertThat(fortnight.previous()).isEqualTo(DayRange.inclusive(LocalDate.of(2026, 9, 19), LocalDate.of(2026, 10, 2)));
        assertThat(fortnight).hasToString("2026-10-03 – 2026-10-16");
    }

    @Test
    void aPeriodThatEndsBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> DayRange.inclusive(LocalDate.of(2026, 10, 3), LocalDate.of(2026, 10, 2)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
