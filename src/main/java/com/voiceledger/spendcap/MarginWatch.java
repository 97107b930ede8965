package com.voiceledger.spendcap;

import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.database.DeferredWrites;
import com.voiceledger.rating.CallRated;
import com.voiceledger.rating.MarginRow;
import com.voiceledger.rating.Margins;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells finance (never the customer) when a contract loses money: a customer whose month-to-date margin
 * falls below its threshold (default 0 %), and a call whose margin is below a negative amount (default
 * −0.50), each once per customer and month.
 */
@Component
class MarginWatch {

    private final Margins margins;
    private final Alerts alerts;
    private final CustomerService customers;
    private final JdbcClient jdbc;
    private final BigDecimal defaultPercent;
    private final BigDecimal callAmount;
    private final java.time.Clock clock;
    private final DeferredWrites deferred;
    private final java.util.Map<Long, Instant> lastMonthCheck = new java.util.concurrent.ConcurrentHashMap<>();

    static final java.time.Duration MONTH_CHECK_EVERY = java.time.Duration.ofMinutes(1);

    MarginWatch(Margins margins, Alerts alerts, CustomerService customers, JdbcClient jdbc, java.time.Clock clock,
            @Value("${voiceledger.margin.alert-percent:0}") BigDecimal defaultPercent,
            @Value("${voiceledger.margin.call-alert-amount:-0.50}") BigDecimal callAmount, DeferredWrites deferred) {
        this.deferred = deferred;
        this.margins = margins;
        this.alerts = alerts;
        this.customers = customers;
        this.jdbc = jdbc;
        this.defaultPercent = defaultPercent;
        this.callAmount = callAmount;
        this.clock = clock;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(CallRated rated) {
        Customer customer = customers.get(rated.customerId());
        YearMonth month = YearMonth.from(rated.callTime().atZone(customer.billingTimeZone()));
        BigDecimal callMargin = rated.charge().subtract(rated.providerCost());
        if (callMargin.compareTo(callAmount) < 0) {
            alerts.raiseInternal(customer.id(), month, "MARGIN_CALL", 0, "Call " + rated.callId() + " of "
                    + customer.name() + " lost " + money(callMargin.negate(), rated.currency()) + " (charge "
                    + money(rated.charge(), rated.currency()) + ", provider cost "
                    + money(rated.providerCost(), rated.currency()) + ")");
        }
        Instant now = clock.instant();
        Instant checked = lastMonthCheck.get(customer.id().value());
        if (checked != null && checked.plus(MONTH_CHECK_EVERY).isAfter(now)) {
            return; // the month's margin moves slowly: checked at most once a minute per customer
        }
        lastMonthCheck.put(customer.id().value(), now);
        BigDecimal threshold = jdbc.sql("select margin_alert_percent from spendcap_setting where customer_id = :id")
                .param("id", customer.id().value()).query(BigDecimal.class).optional().orElse(defaultPercent);
        deferred.flush(); // the month's margin includes this batch's calls
        MarginRow month_ = margins.ofCustomer(customer.id(), month);
        if (month_.marginPercent() != null && month_.marginPercent().compareTo(threshold) < 0) {
            alerts.raiseInternal(customer.id(), month, "MARGIN_MONTH", threshold.intValue(), customer.name()
                    + "'s month-to-date margin is " + month_.marginPercent().toPlainString() + " % (below "
                    + threshold.toPlainString() + " %): charge " + money(month_.charge(), customer.currency()) + ", provider cost "
                    + money(month_.providerCost(), customer.currency()));
        }
    }

    /** Amounts in an alert read as on the screens (docs/decisions/0043): minor unit and currency. */
    private static String money(BigDecimal amount, String currency) {
        return com.voiceledger.shared.Money.round(amount, currency).toPlainString() + " " + currency;
    }
}
