package com.voiceledger.rating;

import com.voiceledger.customer.Customer;
import com.voiceledger.rating.internal.GrantDraws;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Burn-down of each grant in units in its current period, as commitments have (issue #30): units drawn to date day
 * by day, and a projection to the period's end from the run rate of the last 14 days (the run rate of the period so
 * far when it is younger), with the day it would run out.
 */
@Service
@Transactional(readOnly = true)
public class GrantBurnDowns {

    static final int RUN_RATE_DAYS = 14;

    private final UnitGrants grants;
    private final GrantDraws draws;
    private final Clock clock;

    GrantBurnDowns(UnitGrants grants, GrantDraws draws, Clock clock) {
        this.grants = grants;
        this.draws = draws;
        this.clock = clock;
    }

    /**
     * @param level the units the period has (granted plus rolled over)
     * @param daily cumulative units drawn, per day with draws
     */
    public record GrantBurnDown(UnitGrants.Entitlement grant, LocalDate periodEnd, BigDecimal level,
            BigDecimal dailyRunRate, BigDecimal projectedUse, @Nullable LocalDate exhaustedOn, List<Point> daily) {

        public GrantBurnDown {
            daily = List.copyOf(daily);
        }
    }

    public record Point(LocalDate day, BigDecimal cumulative) {
    }

    public List<GrantBurnDown> of(Customer customer) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), customer.billingTimeZone());
        List<GrantBurnDown> result = new ArrayList<>();
        for (UnitGrants.Entitlement grant : grants.entitlements(customer.id())) {
            LocalDate end = LocalDate.ofInstant(grant.resetsAt(), customer.billingTimeZone());
            List<Point> points = new ArrayList<>();
            BigDecimal cumulative = BigDecimal.ZERO;
            BigDecimal recent = BigDecimal.ZERO;
            LocalDate runFrom = today.minusDays(RUN_RATE_DAYS).isBefore(grant.periodStart()) ? grant.periodStart()
                    : today.minusDays(RUN_RATE_DAYS);
            for (Map.Entry<LocalDate, BigDecimal> day : draws.daily(customer.id(), grant.grantId(), grant.periodStart(),
                    customer.billingTimeZone())) {
                cumulative = cumulative.add(day.getValue());
                points.add(new Point(day.getKey(), cumulative.stripTrailingZeros()));
                if (!day.getKey().isBefore(runFrom) && day.getKey().isBefore(today)) {
                    recent = recent.add(day.getValue());
                }
            }
            long runDays = Math.max(1, ChronoUnit.DAYS.between(runFrom, today));
            BigDecimal rate = recent.divide(BigDecimal.valueOf(runDays), 6, RoundingMode.HALF_EVEN);
            long daysLeft = Math.max(0, ChronoUnit.DAYS.between(today, end));
            BigDecimal projected = cumulative.add(rate.multiply(BigDecimal.valueOf(daysLeft)))
                    .setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros();
            BigDecimal level = grant.granted().add(grant.rolledOver());
            LocalDate exhausted = null;
            if (cumulative.compareTo(level) >= 0) {
                exhausted = points.stream().filter(p -> p.cumulative().compareTo(level) >= 0).findFirst()
                        .map(Point::day).orElse(today);
            } else if (rate.signum() > 0) {
                LocalDate day = today.plusDays(level.subtract(cumulative).divide(rate, 0, RoundingMode.CEILING)
                        .longValue());
                exhausted = day.isBefore(end) ? day : null;
            }
            result.add(new GrantBurnDown(grant, end, level, rate, projected, exhausted, points));
        }
        return result;
    }
}
