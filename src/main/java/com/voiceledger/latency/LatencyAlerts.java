package com.voiceledger.latency;

import com.voiceledger.latency.internal.LatencyStore;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.spendcap.Alerts;
import com.voiceledger.usage.CallLatency;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The latency alert tick (decision 0075): for the hour that just ended and the one under way, every assistant
 * whose p95 turn latency passes its customer's threshold gets an alert, through the spend-cap alerts (portal,
 * webhook, e-mail). Once per assistant and hour whatever the number of ticks or instances: the alert's unique
 * key is (customer, month, "LATENCY_P95 assistant", hour of the month), as the guards use the day.
 */
@Service
public class LatencyAlerts {

    static final String KIND = "LATENCY_P95 ";

    private final LatencyStore store;
    private final Alerts alerts;
    private final Clock clock;

    LatencyAlerts(LatencyStore store, Alerts alerts, Clock clock) {
        this.store = store;
        this.alerts = alerts;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${voiceledger.latency.alert-poll:60s}",
            initialDelayString = "${voiceledger.latency.alert-poll-start:60s}")
    public void scheduled() {
        tick();
    }

    /** Checks the last full hour and the current one; the alerts raised now. */
    @Transactional
    public int tick() {
        Instant current = clock.instant().truncatedTo(ChronoUnit.HOURS);
        return check(current.minus(Duration.ofHours(1))) + check(current);
    }

    private int check(Instant hour) {
        int raised = 0;
        for (LatencyStore.HourOfAssistant seen : store.hourWithThresholds(hour, CallLatency.TURN)) {
            LayerLatency latency = LayerLatency.of(seen.histogram());
            if (latency.p95Ms() > seen.p95Ms()) {
                YearMonth month = YearMonth.from(hour.atOffset(ZoneOffset.UTC));
                int hourOfMonth = (int) Duration.between(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(), hour)
                        .toHours();
                if (alerts.raise(CustomerId.of(seen.customerId()), month, KIND + seen.assistantId(), hourOfMonth,
                        "Assistant " + seen.assistantId() + ": p95 turn latency " + latency.p95Ms()
                                + " ms over " + latency.calls() + " calls in the hour from " + hour
                                + " passed its threshold of " + seen.p95Ms() + " ms.")) {
                    raised++;
                }
            }
        }
        return raised;
    }
}
