package com.voiceledger.spendcap;

import java.util.LinkedHashMap;
import java.util.HashMap;
import com.voiceledger.audit.AuditLog;
import com.voiceledger.contract.ContractLimits;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.SpendCap;
import com.voiceledger.customer.CallOwnerHints;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.database.DeferredWrites;
import com.voiceledger.database.SettingsVersion;
import com.voiceledger.database.VersionedCache;
import com.voiceledger.rating.CallRated;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.usage.CallEnded;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Month-to-date spend against the cap, and admission: a call is admitted while spend (rated usage +
 * open reservations) is below the cap, and each admitted call reserves its expected cost. Admissions
 * of one customer are serialised on its settings row, so concurrent admissions overshoot the cap by
 * at most one reservation. A reservation is released when the call is rated, or expires.
 */
@Service
public class SpendCaps {

    private final JdbcClient jdbc;
    private final CustomerService customers;
    private final ContractService contracts;
    private final RatingQueries rating;
    private final Alerts alerts;
    private final AuditLog audit;
    private final SpendCapProperties properties;
    private final Clock clock;
    private final OutboundUrlPolicy outbound;
    private final SecureRandom random = new SecureRandom();
    // the rated-call path asks for the customer's cap on every delivery; admission reads it fresh under its lock
    private final VersionedCache<Long, Settings> settingsCache;
    private final DeferredWrites deferred;
    private final AdmissionLimits admissionLimits;
    private final AssistantBudgets assistantBudgets;

    /** A rated call's reservation released, with the batch's other rows (decision 0048). */
    private static final DeferredWrites.Shape RELEASE = DeferredWrites.Shape.of(
            "update spendcap_reservation r set released_at = v.released_at from (",
            "(cast(? as text), cast(? as timestamptz))",
            ") as v (call_id, released_at) where r.call_id = v.call_id and r.released_at is null");

    /** Lazily: dunning suspends through this service, and admission asks dunning. */
    private final ObjectProvider<Dunning> dunning;

    SpendCaps(JdbcClient jdbc, CustomerService customers, ContractService contracts, RatingQueries rating, Alerts alerts,
            AuditLog audit, SpendCapProperties properties, Clock clock,
            OutboundUrlPolicy outbound, SettingsVersion settingsVersion, DeferredWrites deferred,
            AdmissionLimits admissionLimits, AssistantBudgets assistantBudgets, ObjectProvider<Dunning> dunning) {
        this.dunning = dunning;
        this.deferred = deferred;
        this.admissionLimits = admissionLimits;
        this.assistantBudgets = assistantBudgets;
        this.settingsCache = VersionedCache.of(settingsVersion, 10_000);
        this.jdbc = jdbc;
        this.customers = customers;
        this.contracts = contracts;
        this.rating = rating;
        this.alerts = alerts;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
        this.outbound = outbound;
    }

    @Transactional(readOnly = true)
    public SpendStatus status(Customer customer) {
        Instant now = clock.instant();
        YearMonth month = YearMonth.from(now.atZone(customer.billingTimeZone()));
        BigDecimal reserved = jdbc.sql("""
                select coalesce(sum(amount), 0) from spendcap_reservation
                where customer_id = :id and released_at is null and expires_at > :now
                """)
                .param("id", customer.id().value()).param("now", Timestamp.from(now))
                .query(BigDecimal.class).single();
        return compose(customer, month, settings(customer.id()), rating.monthCharge(customer.id(), month), reserved, now);
    }

    /**
     * The status of many customers at once, as {@link #status} gives it for one, in a few grouped
     * queries instead of three per customer (finance's overview of every customer).
     */
    public Map<CustomerId, SpendStatus> statuses(List<Customer> customers) {
        if (customers.isEmpty()) {
            return Map.of();
        }
        Instant now = clock.instant();
        List<Long> ids = customers.stream().map(customer -> customer.id().value()).toList();
        Map<Long, Settings> settings = new HashMap<>();
        jdbc.sql("""
                select customer_id, customer_cap, suspended, suspended_reason, default_assistant_id, alert_webhook_url,
                    alert_email
                from spendcap_setting where customer_id in (:ids)
                """)
                .param("ids", ids)
                .query((rs, row) -> Map.entry(rs.getLong(1), new Settings(rs.getBigDecimal(2), rs.getBoolean(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7))))
                .list()
                .forEach(entry -> settings.put(entry.getKey(), entry.getValue()));
        Map<Long, BigDecimal> reserved = new HashMap<>();
        jdbc.sql("""
                select customer_id, sum(amount) from spendcap_reservation
                where customer_id in (:ids) and released_at is null and expires_at > :now group by customer_id
                """)
                .param("ids", ids).param("now", Timestamp.from(now))
                .query((rs, row) -> Map.entry(rs.getLong(1), rs.getBigDecimal(2)))
                .list()
                .forEach(entry -> reserved.put(entry.getKey(), entry.getValue()));
        // customers in different time zones can be in different months (around a month's turn)
        Map<YearMonth, List<Customer>> byMonth = customers.stream().collect(java.util.stream.Collectors.groupingBy(
                customer -> YearMonth.from(now.atZone(customer.billingTimeZone()))));
        Map<CustomerId, SpendStatus> statuses = new LinkedHashMap<>();
        byMonth.forEach((month, inMonth) -> {
            Map<CustomerId, BigDecimal> rated = rating.monthCharges(inMonth.stream().map(Customer::id).toList(), month);
            for (Customer customer : inMonth) {
                statuses.put(customer.id(), compose(customer, month,
                        settings.getOrDefault(customer.id().value(), new Settings(null, false, null, null, null, null)),
                        rated.getOrDefault(customer.id(), BigDecimal.ZERO),
                        reserved.getOrDefault(customer.id().value(), BigDecimal.ZERO), now));
            }
        });
        return statuses;
    }

    private SpendStatus compose(Customer customer, YearMonth month, Settings settings, BigDecimal rated,
            BigDecimal reserved, Instant now) {
        BigDecimal contractCap = contracts.contractAt(customer.id(), now).map(c -> c.terms().spendCap())
                .map(SpendCap::monthlyAmount).orElse(null);
        BigDecimal cap = lower(contractCap, settings.customerCap());
        BigDecimal spend = rated.add(reserved);
        BigDecimal remaining = cap == null ? null : cap.subtract(spend).max(BigDecimal.ZERO).setScale(2, RoundingMode.DOWN);
        Integer percent = cap == null || cap.signum() == 0 ? null
                : spend.multiply(BigDecimal.valueOf(100)).divide(cap, 0, RoundingMode.DOWN).intValue();
        return new SpendStatus(month, customer.currency(), Money.round(rated, customer.currency()),
                Money.round(reserved, customer.currency()), Money.round(spend, customer.currency()), cap, contractCap,
                settings.customerCap(), remaining, percent, settings.suspended(), settings.suspendedReason());
    }

    /** May a call of this customer start? When it may, its expected cost is reserved. */
    @Transactional
    public Admission admit(Customer customer, @Nullable String callId) {
        return admit(customer, callId, CallToAdmit.UNKNOWN);
    }

    /**
     * May this call start? Refused while the customer is suspended, when the contract's limits refuse it (a model
     * not allowed, too many calls in progress), or at the spend cap. When it may, its expected cost is reserved,
     * which is also its slot among the calls in progress, and the answer says how long it may run.
     */
    @Transactional
    public Admission admit(Customer customer, @Nullable String callId, CallToAdmit call) {
        lockSettings(customer.id());
        SpendStatus status = status(customer);
        Settings settings = settings(customer.id());
        String assistantId = call.assistantId() != null ? call.assistantId() : settings.defaultAssistantId();
        if (status.suspended()) {
            return new Admission(false, "suspended" + (status.suspendedReason() == null ? "" : ": " + status.suspendedReason()),
                    status.remaining(), customer.externalId(), null);
        }
        Optional<Admission> overdue = dunning.getObject().refusal(customer, status.remaining(), assistantId);
        if (overdue.isPresent()) {
            return overdue.get();
        }
        Instant now = clock.instant();
        ContractLimits limits = contracts.contractAt(customer.id(), now).map(c -> c.terms().limits()).orElse(null);
        if (limits != null) {
            Optional<Admission> refused = admissionLimits.refusal(customer, limits, call, assistantId, status.remaining(), now);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        Optional<Admission> overBudget = assistantBudgets.refusal(customer, assistantId, status.remaining());
        if (overBudget.isPresent()) {
            return overBudget.get();
        }
        if (status.cap() != null && status.spend().compareTo(status.cap()) >= 0) {
            return new Admission(false, "monthly spend cap of " + status.cap().toPlainString() + " " + status.currency()
                    + " reached", BigDecimal.ZERO.setScale(2), customer.externalId(), null);
        }
        BigDecimal reservation = reservationSize(customer);
        jdbc.sql("""
                insert into spendcap_reservation (customer_id, call_id, amount, created_at, expires_at, assistant_id)
                values (:customer, :call, :amount, :now, :expires, :assistant)
                """)
                .param("customer", customer.id().value())
                .param("call", callId)
                .param("amount", reservation)
                .param("now", Timestamp.from(now))
                .param("expires", Timestamp.from(admissionLimits.slotExpiry(limits, now, properties.reservationTimeout())))
                .param("assistant", assistantId)
                .update();
        admissionLimits.recordPeak(customer.id(), now);
        BigDecimal remaining = status.cap() == null ? null
                : status.cap().subtract(status.spend()).subtract(reservation).max(BigDecimal.ZERO).setScale(2, RoundingMode.DOWN);
        Integer maxDuration = admissionLimits.maxDurationSeconds(customer, limits,
                status.cap() == null ? null : status.cap().subtract(status.spend()).max(BigDecimal.ZERO), assistantId, now);
        String reason = status.cap() == null ? "no spend cap" : "within the spend cap";
        return new Admission(true, reason, remaining, customer.externalId(), settings.defaultAssistantId(), maxDuration,
                reason);
    }

    /** The limits of the contract in force now (none: no limits). */
    @Transactional(readOnly = true)
    public Optional<ContractLimits> limits(Customer customer) {
        return contracts.contractAt(customer.id(), clock.instant()).map(c -> c.terms().limits());
    }

    /** Calls in progress against the contract's limits now, and the day's peak (the customer's billing day). */
    @Transactional(readOnly = true)
    public Concurrency concurrency(Customer customer) {
        Instant now = clock.instant();
        ContractLimits limits = contracts.contractAt(customer.id(), now).map(c -> c.terms().limits()).orElse(null);
        Integer perAssistant = limits == null ? null : limits.concurrentCallsPerAssistant();
        return new Concurrency(limits == null ? null : limits.concurrentCalls(),
                admissionLimits.inUse(customer.id(), null, now).customer(),
                admissionLimits.peakSince(customer.id(), AdmissionLimits.startOfDay(customer, now)),
                admissionLimits.byAssistant(customer.id(), now).stream()
                        .map(a -> new Concurrency.ByAssistant(a.assistantId(), perAssistant, a.inUse())).toList());
    }

    /** The most calls in progress at once per hour over the last {@code hours} hours, oldest first (the portal's chart). */
    @Transactional(readOnly = true)
    public List<ConcurrencyHour> peaksByHour(Customer customer, int hours) {
        Instant now = clock.instant();
        return admissionLimits.peaksByHour(customer.id(), now.minus(java.time.Duration.ofHours(hours - 1L)),
                now.plus(java.time.Duration.ofHours(1)));
    }

    /** A call that ended frees its slot at once; its reservation still counts against the cap until it is rated. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(CallEnded ended) {
        jdbc.sql("""
                update spendcap_reservation set ended_at = :at
                where call_id = :call and released_at is null and ended_at is null
                """)
                .param("call", ended.callId()).param("at", Timestamp.from(ended.endedAt())).update();
    }

    /** Admission for a call described by the platform (assistant-request): whose is it, may it start? */
    @Transactional
    public Admission admit(CallOwnerHints hints, @Nullable String callId) {
        return admit(hints, callId, CallToAdmit.UNKNOWN);
    }

    /** As {@link #admit(CallOwnerHints, String)}, with what the platform says of the call. */
    @Transactional
    public Admission admit(CallOwnerHints hints, @Nullable String callId, CallToAdmit call) {
        Optional<CustomerId> owner = customers.resolveOwner(hints);
        if (owner.isEmpty()) {
            return new Admission(true, "no customer matches this call: no cap applies", null, null, null);
        }
        return admit(customers.get(owner.get()), callId, call);
    }

    /** A rated call releases its reservation and may cross a threshold. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(CallRated rated) {
        deferred.add(RELEASE, rated.callId(), Timestamp.from(clock.instant()));
        Customer customer = customers.get(rated.customerId());
        boolean contractCap = contracts.contractAt(customer.id(), clock.instant())
                .map(c -> c.terms().spendCap() != null).orElse(false);
        Settings cached = settingsCache.get(customer.id().value(), key -> settings(customer.id()));
        if (!contractCap && (cached == null ? settings(customer.id()) : cached).customerCap() == null) {
            return; // no cap, no thresholds: spare the month's sum on every call
        }
        deferred.flush(); // the month's spend includes this batch's calls
        SpendStatus status = status(customer);
        if (status.cap() == null || status.percent() == null) {
            return;
        }
        for (int threshold : thresholds(customer)) {
            if (status.percent() >= threshold) {
                alerts.raise(customer.id(), status.month(), "SPEND_CAP", threshold,
                        customer.name() + " has used " + status.percent() + " % of its " + status.cap().toPlainString()
                                + " " + status.currency() + " monthly spend cap (" + status.spend().toPlainString()
                                + " incl. calls in progress)" + (threshold >= 100 ? ": new calls are refused." : "."));
            }
        }
    }

    @Transactional
    public SpendStatus setCustomerCap(Customer customer, @Nullable BigDecimal cap, String actor) {
        if (cap != null && cap.signum() <= 0) {
            throw new BadRequestException("the cap must be more than 0 (or empty for none)");
        }
        lockSettings(customer.id());
        jdbc.sql("update spendcap_setting set customer_cap = :cap, updated_at = :now where customer_id = :id")
                .param("cap", cap).param("now", Timestamp.from(clock.instant())).param("id", customer.id().value()).update();
        audit.record(actor, "customer spend cap set", "customer " + customer.externalId(), "set by the customer",
                Map.of("cap", cap == null ? "none" : cap.toPlainString()));
        return status(customer);
    }

    @Transactional
    public SpendStatus suspend(Customer customer, boolean suspended, @Nullable String reason, String actor) {
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("a reason is required");
        }
        lockSettings(customer.id());
        jdbc.sql("update spendcap_setting set suspended = :suspended, suspended_reason = :reason, updated_at = :now "
                        + "where customer_id = :id")
                .param("suspended", suspended).param("reason", suspended ? reason.strip() : null)
                .param("now", Timestamp.from(clock.instant())).param("id", customer.id().value()).update();
        audit.record(actor, suspended ? "customer suspended" : "customer resumed", "customer " + customer.externalId(),
                reason, Map.of("suspended", suspended));
        return status(customer);
    }

    /** Sets the alert webhook and returns the new signing secret (shown once). */
    @Transactional
    public String setAlertWebhook(Customer customer, @Nullable String url) {
        String secret = null;
        if (url != null && !url.isBlank()) {
            outbound.check(url);
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            secret = "whsec_" + HexFormat.of().formatHex(bytes);
        }
        lockSettings(customer.id());
        jdbc.sql("update spendcap_setting set alert_webhook_url = :url, alert_webhook_secret = :secret, updated_at = :now "
                        + "where customer_id = :id")
                .param("url", url == null || url.isBlank() ? null : url.strip()).param("secret", secret)
                .param("now", Timestamp.from(clock.instant())).param("id", customer.id().value()).update();
        return secret == null ? "" : secret;
    }

    /** Finance's margin alert threshold for this customer, in percent (null: the global default). */
    @Transactional
    public void setMarginAlert(Customer customer, @Nullable BigDecimal percent) {
        lockSettings(customer.id());
        jdbc.sql("update spendcap_setting set margin_alert_percent = :percent, updated_at = :now where customer_id = :id")
                .param("percent", percent).param("now", Timestamp.from(clock.instant()))
                .param("id", customer.id().value()).update();
    }

    /** Where the customer's alerts are mailed (null or blank: nowhere). */
    @Transactional
    public void setAlertEmail(Customer customer, @Nullable String email) {
        String address = email == null || email.isBlank() ? null : email.strip();
        if (address != null && !address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new BadRequestException("'" + address + "' is not an e-mail address");
        }
        lockSettings(customer.id());
        jdbc.sql("update spendcap_setting set alert_email = :email, updated_at = :now where customer_id = :id")
                .param("email", address).param("now", Timestamp.from(clock.instant()))
                .param("id", customer.id().value()).update();
    }

    @Transactional
    public void setDefaultAssistant(Customer customer, @Nullable String assistantId) {
        lockSettings(customer.id());
        jdbc.sql("update spendcap_setting set default_assistant_id = :assistant, updated_at = :now where customer_id = :id")
                .param("assistant", assistantId == null || assistantId.isBlank() ? null : assistantId.strip())
                .param("now", Timestamp.from(clock.instant())).param("id", customer.id().value()).update();
    }

    @Transactional(readOnly = true)
    public Settings settings(CustomerId customer) {
        return jdbc.sql("""
                select customer_cap, suspended, suspended_reason, default_assistant_id, alert_webhook_url, alert_email
                from spendcap_setting where customer_id = :id
                """)
                .param("id", customer.value())
                .query((rs, row) -> new Settings(rs.getBigDecimal(1), rs.getBoolean(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)))
                .optional()
                .orElse(new Settings(null, false, null, null, null, null));
    }

    /** A customer's own settings as it can see them (never the webhook secret). */
    public record Settings(@Nullable BigDecimal customerCap, boolean suspended, @Nullable String suspendedReason,
            @Nullable String defaultAssistantId, @Nullable String alertWebhookUrl, @Nullable String alertEmail) {
    }

    private void lockSettings(CustomerId customer) {
        jdbc.sql("""
                insert into spendcap_setting (customer_id, updated_at) values (:id, :now) on conflict do nothing
                """)
                .param("id", customer.value()).param("now", Timestamp.from(clock.instant())).update();
        jdbc.sql("select customer_id from spendcap_setting where customer_id = :id for update")
                .param("id", customer.value()).query(Long.class).single();
    }

    private BigDecimal reservationSize(Customer customer) {
        return rating.averageCallCharge(customer.id(), clock.instant().minus(java.time.Duration.ofDays(7))).filter(average -> average.signum() > 0)
                .map(average -> average.setScale(6, RoundingMode.HALF_EVEN))
                .orElse(properties.defaultReservation());
    }

    private List<Integer> thresholds(Customer customer) {
        return contracts.contractAt(customer.id(), clock.instant()).map(c -> c.terms().spendCap())
                .map(SpendCap::alertThresholds).orElse(List.of(50, 80, 100));
    }

    private static @Nullable BigDecimal lower(@Nullable BigDecimal a, @Nullable BigDecimal b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a.min(b);
    }
}
