package com.voiceledger.rating;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.customer.Customer;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.ratecard.RateCardVersion;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.usage.RatableCall;
import com.voiceledger.usage.RatableCalls;
import com.voiceledger.usage.UsageComponent;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * "What if": prices a month's calls again under another rate card version and/or other contract
 * terms, without storing anything, and sets the result beside what the calls were actually charged.
 * Usage charges only: included minutes, minimum invoice amounts, commitments and credits are applied
 * at month end and are not part of the comparison (the page says so).
 */
@Service
@Transactional(readOnly = true)
public class WhatIf {

    private static final int PAGE = 1000;

    private final RatableCalls calls;
    private final RatingQueries charges;
    private final RateCardService rateCard;
    private final ContractService contracts;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AuditLog audit;
    private final Clock clock;

    WhatIf(RatableCalls calls, RatingQueries charges, RateCardService rateCard, ContractService contracts,
            JdbcClient jdbc, JsonMapper json, AuditLog audit, Clock clock) {
        this.calls = calls;
        this.charges = charges;
        this.rateCard = rateCard;
        this.contracts = contracts;
        this.jdbc = jdbc;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
    }

    /** A scenario finance shared with a customer, with why. */
    public record Offer(long id, Scenario scenario, String note, String createdBy, Instant createdAt) {
    }

    /** Shares a scenario with the customer (it sees last month re-priced under it); audited. */
    @Transactional
    public Offer offer(Customer customer, Scenario scenario, String note, String actor) {
        if (note == null || note.isBlank()) {
            throw new BadRequestException("say in a note what the offer is, for the customer to read");
        }
        requireSameCurrency(customer, scenario);
        if (scenario.rateVersion() != null) {
            rateCard.version(scenario.rateVersion());
        }
        Instant now = clock.instant();
        long id = jdbc.sql("""
                insert into rating_whatif_offer (customer_id, label, rate_version, keep_contract, terms, note,
                    created_by, created_at)
                values (:customer, :label, :version, :keep, cast(:terms as jsonb), :note, :actor, :now)
                returning id
                """)
                .param("customer", customer.id().value())
                .param("label", scenario.label())
                .param("version", scenario.rateVersion(), java.sql.Types.INTEGER)
                .param("keep", scenario.keepContract())
                .param("terms", scenario.terms() == null ? null : json.writeValueAsString(scenario.terms()),
                        java.sql.Types.VARCHAR)
                .param("note", note.strip())
                .param("actor", actor)
                .param("now", Timestamp.from(now))
                .query(Long.class)
                .single();
        audit.record(actor, "what-if offered", customer.externalId(), note, scenario);
        return new Offer(id, scenario, note.strip(), actor, now);
    }

    /** The offers shared with a customer, newest first. */
    public List<Offer> offers(CustomerId customer) {
        return jdbc.sql("""
                select id, label, rate_version, keep_contract, terms::text, note, created_by, created_at
                from rating_whatif_offer where customer_id = :customer order by created_at desc, id desc
                """)
                .param("customer", customer.value())
                .query((rs, row) -> {
                    String terms = rs.getString(5);
                    return new Offer(rs.getLong(1), new Scenario(rs.getString(2), (Integer) rs.getObject(3),
                            rs.getBoolean(4), terms == null ? null : json.readValue(terms, ContractTerms.class)),
                            rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant());
                })
                .list();
    }

    /**
     * The alternative to price with. {@code rateVersion} null: the version in force at each call;
     * {@code terms} null with {@code keepContract}: the contract in force at each call; {@code terms}
     * null without it: list prices, no contract. {@code termsCurrency}: the currency the terms' amounts
     * are in when they come from elsewhere (another customer's contract); null: the customer's own.
     */
    public record Scenario(String label, @Nullable Integer rateVersion, boolean keepContract,
            @Nullable ContractTerms terms, @Nullable String termsCurrency) {

        /** Terms in the customer's own currency. */
        public Scenario(String label, @Nullable Integer rateVersion, boolean keepContract, @Nullable ContractTerms terms) {
            this(label, rateVersion, keepContract, terms, null);
        }
    }

    /**
     * Terms from a contract in another currency would price the customer's calls with amounts in the
     * wrong currency (e.g. 0.08 GBP a minute read as 0.08 USD): refused, never converted silently.
     */
    private static void requireSameCurrency(Customer customer, Scenario scenario) {
        if (scenario.terms() != null && scenario.termsCurrency() != null
                && !scenario.termsCurrency().equalsIgnoreCase(customer.currency())) {
            throw new BadRequestException("the terms \"" + scenario.label() + "\" are in " + scenario.termsCurrency()
                    + ", " + customer.name() + " is billed in " + customer.currency()
                    + ": terms in another currency cannot price its calls (write them as terms in "
                    + customer.currency() + ")");
        }
    }

    /** Charge of one layer as it was and as it would be. */
    public record LayerComparison(String layer, BigDecimal actual, BigDecimal alternative) {
        public BigDecimal difference() {
            return alternative.subtract(actual);
        }
    }

    public record Comparison(YearMonth month, String currency, String scenario, long calls, BigDecimal actual,
            BigDecimal alternative, long unpricedCalls, List<LayerComparison> layers) {
        public BigDecimal difference() {
            return alternative.subtract(actual);
        }
    }

    public Comparison compare(Customer customer, YearMonth month, Scenario scenario) {
        requireSameCurrency(customer, scenario);
        ZoneId zone = customer.billingTimeZone();
        Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        RateCardVersion fixedVersion = scenario.rateVersion() == null ? null
                : rateCard.version(scenario.rateVersion());
        Map<String, BigDecimal[]> byLayer = new TreeMap<>();
        long count = 0;
        long unpriced = 0;
        BigDecimal actualTotal = BigDecimal.ZERO;
        BigDecimal alternativeTotal = BigDecimal.ZERO;
        Instant afterTime = null;
        String afterId = null;
        pages:
        while (true) {
            List<RatableCall> page = calls.page(customer.id(), from, afterTime, afterId, PAGE);
            if (page.isEmpty()) {
                break;
            }
            Map<String, RatedCall> actual = charges.ratedCalls(customer.id(), page.stream().map(RatableCall::callId)
                    .toList());
            for (RatableCall call : page) {
                if (!call.callTime().isBefore(to)) {
                    break pages;
                }
                RatedCall was = actual.get(call.callId());
                if (was == null) {
                    continue;
                }
                RatedCall would = Rater.rate(RatingService.callToRate(call.callId(), call.callTime(), call.durationSeconds(),
                        call.components()), fixedVersion != null ? fixedVersion
                        : rateCard.versionAt(call.callTime()).orElse(null), contract(customer, call, scenario),
                        customer.currency());
                count++;
                unpriced += would.unpriced() ? 1 : 0;
                actualTotal = actualTotal.add(was.charge());
                alternativeTotal = alternativeTotal.add(would.charge());
                addByLayer(byLayer, call.components(), was, 0);
                addByLayer(byLayer, call.components(), would, 1);
            }
            afterTime = page.getLast().callTime();
            afterId = page.getLast().callId();
        }
        List<LayerComparison> layers = new ArrayList<>();
        byLayer.forEach((layer, sums) -> layers.add(new LayerComparison(layer, sums[0].stripTrailingZeros(),
                sums[1].stripTrailingZeros())));
        return new Comparison(month, customer.currency(), scenario.label(), count, actualTotal.stripTrailingZeros(),
                alternativeTotal.stripTrailingZeros(), unpriced, layers);
    }

    /** Per-minute charges are all-in: they count under "voice_minutes", as on the dashboard. */
    private static void addByLayer(Map<String, BigDecimal[]> byLayer, List<UsageComponent> usage, RatedCall rated,
            int column) {
        BigDecimal components = BigDecimal.ZERO;
        for (RatedCall.Component component : rated.components()) {
            String layer = usage.get(component.seq()).layer();
            byLayer.computeIfAbsent(layer, key -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO})[column] =
                    byLayer.get(layer)[column].add(component.charge());
            components = components.add(component.charge());
        }
        BigDecimal rest = rated.charge().subtract(components);
        if (rest.signum() != 0) {
            byLayer.computeIfAbsent(com.voiceledger.shared.Layer.VOICE_MINUTES,
                    key -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO})[column] =
                    byLayer.get(com.voiceledger.shared.Layer.VOICE_MINUTES)[column].add(rest);
        }
    }

    private @Nullable Contract contract(Customer customer, RatableCall call, Scenario scenario) {
        if (scenario.terms() != null) {
            return new Contract(Contract.DRAFT, customer.id(), call.callTime(), customer.currency(), scenario.terms(),
                    "what-if", "what-if", call.callTime());
        }
        return scenario.keepContract() ? contracts.contractAt(customer.id(), call.callTime()).orElse(null) : null;
    }
}
