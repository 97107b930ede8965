package com.voiceledger.admin;

import com.voiceledger.billing.BurnDown;
import com.voiceledger.billing.BurnDowns;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.ingestion.WebhookEventLog;
import com.voiceledger.ingestion.WebhookEventStatus;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.spendcap.Alerts;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.spendcap.SpendStatus;
import com.voiceledger.stripe.StripePushes;
import com.voiceledger.usage.CallQueries;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What finance looks at first: every customer's month so far against cap and commitment, and the
 * queues that need a person (failed webhooks, unattributed calls, unpriced usage, failed Stripe
 * pushes) with this month's alerts (caps, guards, margins; the month in UTC). Built from the other
 * modules' read APIs, which read rollups, never raw calls.
 */
@Service
public class FinanceOverview {

    /** From this share of the cap on, a customer is "near cap". */
    static final int NEAR_CAP_PERCENT = 80;

    private final CustomerService customers;
    private final SpendCaps spendCaps;
    private final BurnDowns burnDowns;
    private final WebhookEventLog webhooks;
    private final CallQueries calls;
    private final RatingQueries rating;
    private final StripePushes stripe;
    private final Alerts alerts;
    private final Clock clock;

    FinanceOverview(CustomerService customers, SpendCaps spendCaps, BurnDowns burnDowns, WebhookEventLog webhooks,
            CallQueries calls, RatingQueries rating, StripePushes stripe, Alerts alerts, Clock clock) {
        this.customers = customers;
        this.spendCaps = spendCaps;
        this.burnDowns = burnDowns;
        this.webhooks = webhooks;
        this.calls = calls;
        this.rating = rating;
        this.stripe = stripe;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** One customer's standing this month: spend against its cap, and its commitment burn-down if it has one. */
    public record Standing(Customer customer, SpendStatus spend, @Nullable BurnDown commitment) {

        public boolean nearCap() {
            return spend.suspended() || (spend.percent() != null && spend.percent() >= NEAR_CAP_PERCENT);
        }

        public boolean commitmentAtRisk() {
            return commitment != null && commitment.projectedShortfall().signum() > 0;
        }

        public boolean needsAttention() {
            return nearCap() || commitmentAtRisk();
        }
    }

    /** The queues that need a person, as counts; each has its own screen. */
    public record Queues(long failedWebhooks, long unattributedCalls, long unpricedItems, long failedStripePushes,
            long alertsThisMonth) {
    }

    /** Customers needing attention first, then by spend, largest first. */
    @Transactional(readOnly = true)
    public List<Standing> standings() {
        List<Customer> all = customers.list();
        var statuses = spendCaps.statuses(all);
        return all.stream()
                .map(customer -> new Standing(customer, statuses.get(customer.id()),
                        burnDowns.commitment(customer).orElse(null)))
                .sorted(Comparator.comparing(Standing::needsAttention).reversed()
                        .thenComparing(standing -> standing.spend().spend(), Comparator.reverseOrder()))
                .toList();
    }

    @Transactional(readOnly = true)
    public Queues queues() {
        return new Queues(webhooks.count(WebhookEventStatus.FAILED), calls.countUnattributed(),
                rating.unpriced().size(), stripe.failed().size(),
                alerts.countFor(YearMonth.from(clock.instant().atZone(ZoneOffset.UTC))));
    }
}
