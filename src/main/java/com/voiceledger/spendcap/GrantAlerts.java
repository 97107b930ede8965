package com.voiceledger.spendcap;

import com.voiceledger.rating.GrantDrawn;
import java.time.YearMonth;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Alerts when a grant in units is 80 % and 100 % used (issue #30, decision 0072): raised in the transaction of the
 * call that crossed the threshold, once per grant, threshold and period (the alert's month is the period's first
 * month, so a quarterly grant alerts once per quarter), delivered like the spend cap's alerts.
 */
@Component
class GrantAlerts {

    static final List<Integer> THRESHOLDS = List.of(80, 100);

    private final Alerts alerts;

    GrantAlerts(Alerts alerts) {
        this.alerts = alerts;
    }

    @EventListener
    void on(GrantDrawn drawn) {
        if (drawn.available().signum() <= 0) {
            return;
        }
        for (int threshold : THRESHOLDS) {
            // only the call that crosses a threshold raises it (the alert's key makes it once per period anyway)
            if (drawn.crossed(threshold)) {
                alerts.raise(drawn.customer(), YearMonth.from(drawn.periodStart()), "GRANT " + drawn.grantId(),
                        threshold, threshold + " % of grant " + drawn.grantId() + " used: "
                                + drawn.used().stripTrailingZeros().toPlainString() + " of "
                                + drawn.available().stripTrailingZeros().toPlainString() + " units in the period from "
                                + drawn.periodStart());
            }
        }
    }
}
