package com.voiceledger.billing;

import com.voiceledger.contract.Commitment;
import com.voiceledger.contract.ContractService;
import com.voiceledger.customer.Customer;
import com.voiceledger.rating.DailyCharge;
import com.voiceledger.rating.RatingQueries;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Burn-down of the current commitment period and of each credit grant, from the daily rollups:
 * used to date, remaining, and a projection from the run rate of the last 14 days.
 */
@Service
@Transactional(readOnly = true)
public class BurnDowns {

    static final int RUN_RATE_DAYS = 14;

    private final ContractService contracts;
    private final RatingQueries rating;
    private final CreditService credits;
    private final Clock clock;

    BurnDowns(ContractService contracts, RatingQueries rating, CreditService credits, Clock clock) {
        this.contracts = contracts;
        this.rating = rating;
        this.credits = credits;
        this.clock = clock;
    }

    public Optional<BurnDown> commitment(Customer customer) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), customer.billingTimeZone());
        return contracts.contractAt(customer.id(), clock.instant())
                .filter(contract -> contract.terms().commitment() != null)
                .map(contract -> {
                    Commitment commitment = contract.terms().commitment();
                    int months = switch (commitment.period()) {
                        case MONTH -> 1;
                        case QUARTER -> 3;
                        case YEAR -> 12;
                    };
                    YearMonth month = YearMonth.from(today);
                    LocalDate start = month.minusMonths((month.getMonthValue() - 1) % months).atDay(1);
                    LocalDate end = start.plusMonths(months);
                    return burnDown((commitment.prepaid() ? "Prepaid commitment " : "Commitment ")
                            + commitment.amount().toPlainString() + " per " + commitment.period().name().toLowerCase(),
                            customer, start, end, today, commitment.amount());
                });
    }

    /** One burn-down per grant with a balance left: its use projected at the customer's run rate. */
    public List<BurnDown> credits(Customer customer) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), customer.billingTimeZone());
        List<BurnDown> result = new ArrayList<>();
        for (CreditGrant grant : credits.grants(customer.id())) {
            if (grant.balance().signum() <= 0) {
                continue;
            }
            BigDecimal used = grant.amount().subtract(grant.balance());
            BigDecimal rate = runRate(customer, today);
            LocalDate start = LocalDate.ofInstant(grant.effectiveFrom(), customer.billingTimeZone());
            LocalDate end = grant.expiresAt() == null ? today.plusMonths(12)
                    : LocalDate.ofInstant(grant.expiresAt(), customer.billingTimeZone());
            long daysLeft = Math.max(0, ChronoUnit.DAYS.between(today, end));
            BigDecimal projected = used.add(rate.multiply(BigDecimal.valueOf(daysLeft)));
            LocalDate exhausted = rate.signum() == 0 ? null
                    : today.plusDays(grant.balance().divide(rate, 0, RoundingMode.CEILING).longValue());
            result.add(new BurnDown("Credit: " + grant.reason(), grant.currency(), start, end, grant.amount(), used,
                    grant.balance(), rate, projected, exhausted != null && exhausted.isBefore(end) ? exhausted : null,
                    BigDecimal.ZERO, List.of()));
        }
        return result;
    }

    private BurnDown burnDown(String what, Customer customer, LocalDate start, LocalDate end, LocalDate today,
            BigDecimal level) {
        List<DailyCharge> days = rating.dailyCharges(customer.id(), start, today.plusDays(1));
        List<BurnDown.Point> points = new ArrayList<>();
        BigDecimal cumulative = BigDecimal.ZERO;
        for (DailyCharge day : days) {
            cumulative = cumulative.add(day.charge());
            points.add(new BurnDown.Point(day.day(), cumulative.setScale(2, RoundingMode.HALF_EVEN)));
        }
        BigDecimal rate = runRate(customer, today);
        long daysLeft = Math.max(0, ChronoUnit.DAYS.between(today, end) - 1);
        BigDecimal projected = cumulative.add(rate.multiply(BigDecimal.valueOf(daysLeft)));
        BigDecimal remaining = level.subtract(cumulative).max(BigDecimal.ZERO);
        LocalDate exhausted = null;
        if (cumulative.compareTo(level) >= 0) {
            exhausted = points.stream().filter(p -> p.cumulative().compareTo(level) >= 0).findFirst()
                    .map(BurnDown.Point::day).orElse(today);
        } else if (rate.signum() > 0) {
            LocalDate day = today.plusDays(remaining.divide(rate, 0, RoundingMode.CEILING).longValue());
            exhausted = day.isBefore(end) ? day : null;
        }
        return new BurnDown(what, customer.currency(), start, end, level, cumulative.setScale(2, RoundingMode.HALF_EVEN),
                remaining.setScale(2, RoundingMode.HALF_EVEN), rate, projected.setScale(2, RoundingMode.HALF_EVEN),
                exhausted, level.subtract(projected).max(BigDecimal.ZERO).setScale(2, RoundingMode.HALF_EVEN), points);
    }

    /** Average charge per day over the last 14 days (today excluded, it is not over). */
    private BigDecimal runRate(Customer customer, LocalDate today) {
        List<DailyCharge> recent = rating.dailyCharges(customer.id(), today.minusDays(RUN_RATE_DAYS), today);
        BigDecimal total = recent.stream().map(DailyCharge::charge).reduce(BigDecimal.ZERO, BigDecimal::add);
        return total.divide(BigDecimal.valueOf(RUN_RATE_DAYS), 6, RoundingMode.HALF_EVEN);
    }
}
