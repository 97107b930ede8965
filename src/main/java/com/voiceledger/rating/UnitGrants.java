package com.voiceledger.rating;

import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.UnitGrant;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.rating.GrantDrawing.Bucket;
import com.voiceledger.rating.GrantDrawing.Draw;
import com.voiceledger.rating.internal.GrantDraws;
import com.voiceledger.rating.internal.GrantDraws.BucketKey;
import com.voiceledger.rating.internal.RatingStore;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.usage.RatableCall;
import com.voiceledger.usage.RatableCalls;
import com.voiceledger.usage.UsageComponent;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Grants in units (BILLING-RULES §7, decision 0072): draws each call's components from its contract's grants
 * before they are priced, keeps the draw ledger, and answers what is left. Drawing runs under the customer's
 * ingest lock (ingest and re-rating both hold it), so the balances it reads are exact on any number of
 * instances. Customers whose contracts have no grants cost nothing here beyond one look at the contract.
 */
@Service
public class UnitGrants {

    private final ContractService contracts;
    private final CustomerService customers;
    private final GrantDraws draws;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final RatableCalls ratable;

    UnitGrants(ContractService contracts, CustomerService customers, GrantDraws draws, Clock clock,
            ApplicationEventPublisher events, RatableCalls ratable) {
        this.ratable = ratable;
        this.contracts = contracts;
        this.customers = customers;
        this.draws = draws;
        this.clock = clock;
        this.events = events;
    }

    /**
     * A call's first rating, drawn from the grants (the caller holds the customer's ingest lock). A call that
     * already drew (a delivery retried) keeps what it drew.
     */
    RatedCall drawFirst(RatedCall rated, CustomerId customer, Instant callTime, LocalDate day, int durationSeconds,
            List<UsageComponent> components) {
        Optional<Contract> contract = contracts.contractAt(customer, callTime);
        if (contract.isEmpty() || contract.get().terms().grants().isEmpty()) {
            return rated;
        }
        CallToRate call = RatingService.callToRate(rated.callId(), callTime, durationSeconds, components);
        List<Draw> earlier = draws.of(rated.callId());
        if (!earlier.isEmpty()) {
            return GrantDrawing.apply(rated, call, earlier);
        }
        return drawNow(rated, customer, call, day, contract.get().terms());
    }

    private RatedCall drawNow(RatedCall rated, CustomerId customer, CallToRate call, LocalDate day,
            ContractTerms terms) {
        // late usage draws from the period it is billed in, never from a closed one (§7)
        LocalDate billedDay = draws.lateBillingDay(customer, day).orElse(day);
        List<Bucket> buckets = buckets(customer, terms, billedDay);
        List<Draw> drawn = GrantDrawing.draw(call.components(), buckets);
        if (drawn.isEmpty()) {
            return rated;
        }
        List<GrantDraws.Row> rows = new ArrayList<>(drawn.size());
        for (Draw draw : drawn) {
            CallToRate.Component component = call.components().get(draw.seq());
            rows.add(new GrantDraws.Row(draw, component.layer(), component.provider(), component.model(),
                    component.unit(), rated.components().get(draw.seq()).billedUnitPrice()));
        }
        draws.insert(customer, call.callId(), call.callTime(), rows, clock.instant());
        announce(customer, buckets, drawn);
        return GrantDrawing.apply(rated, call, drawn);
    }

    /** Tells the alerting side how far each drawn grant now is into its period (80 % and 100 % alerts). */
    private void announce(CustomerId customer, List<Bucket> buckets, List<Draw> drawn) {
        Map<String, BigDecimal> drawnNow = new HashMap<>();
        drawn.forEach(draw -> drawnNow.merge(draw.grantId(), draw.units(), BigDecimal::add));
        drawnNow.forEach((grantId, units) -> {
            List<Bucket> ofGrant = buckets.stream().filter(b -> b.grant().grantId().equals(grantId)).toList();
            BigDecimal available = ofGrant.stream().map(Bucket::units).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal usedBefore = ofGrant.stream().map(b -> b.units().subtract(b.remaining()))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            events.publishEvent(new GrantDrawn(customer, grantId, ofGrant.getFirst().periodStart(), available,
                    usedBefore.add(units), units));
        });
    }

    /**
     * Re-rating, at a customer's first part in a job (under its ingest lock): what its open calls from {@code from}
     * on drew is given back, and they draw again in call order (start, then id). Draws depend on quantities, the
     * grants and the order only, never on prices, so they are planned here once for all the customer's calls and
     * each part then prices what they left ({@link #applyDrawn}), whatever order the job writes its parts in. Calls an
     * invoice covers keep their draws; calls before {@code from} too (they come first). Returns the calls drawn.
     */
    int redrawFrom(CustomerId customer, Instant from) {
        if (contracts.contractsOf(customer).stream().allMatch(c -> c.terms().grants().isEmpty())) {
            return 0;
        }
        draws.deleteOpenFrom(customer, from, "");
        Balances balances = new Balances(customer);
        int drawnCalls = 0;
        Instant afterTime = null;
        String afterId = null;
        while (true) {
            List<RatableCall> page = ratable.page(customer, from, afterTime, afterId, 2000);
            if (page.isEmpty()) {
                return drawnCalls;
            }
            Set<String> covered = draws.covered(page.stream().map(RatableCall::callId).toList());
            for (RatableCall call : page) {
                Optional<Contract> contract = contracts.contractAt(customer, call.callTime());
                if (covered.contains(call.callId()) || contract.isEmpty() || contract.get().terms().grants().isEmpty()) {
                    continue;
                }
                CallToRate toRate = RatingService.callToRate(call.callId(), call.callTime(), call.durationSeconds(),
                        call.components());
                LocalDate day = call.callTime().atZone(balances.zone).toLocalDate();
                List<Draw> drawn = balances.draw(toRate, day, contract.get().terms());
                if (!drawn.isEmpty()) {
                    List<GrantDraws.Row> rows = new ArrayList<>(drawn.size());
                    for (Draw draw : drawn) {
                        CallToRate.Component component = toRate.components().get(draw.seq());
                        rows.add(new GrantDraws.Row(draw, component.layer(), component.provider(), component.model(),
                                component.unit(), null));
                    }
                    draws.insert(customer, call.callId(), call.callTime(), rows, clock.instant());
                    drawnCalls++;
                }
            }
            afterTime = page.getLast().callTime();
            afterId = page.getLast().callId();
        }
    }

    /**
     * A part's calls (one customer's) priced on what their planned draws left; the draws' billed unit prices are
     * set from the new ratings (the invoice lines find their grants by them).
     */
    List<RatingStore.Rerated> applyDrawn(List<RatingStore.Rerated> part) {
        if (part.isEmpty() || contracts.contractsOf(part.getFirst().customer()).stream()
                .allMatch(c -> c.terms().grants().isEmpty())) {
            return part;
        }
        Map<String, List<Draw>> drawn = draws.ofCalls(part.stream().map(r -> r.rated().callId()).toList());
        List<RatingStore.Rerated> priced = new ArrayList<>(part.size());
        for (RatingStore.Rerated call : part) {
            List<Draw> ofCall = drawn.getOrDefault(call.rated().callId(), List.of());
            if (ofCall.isEmpty()) {
                priced.add(call);
                continue;
            }
            CallToRate toRate = RatingService.callToRate(call.rated().callId(), call.callTime(), call.durationSeconds(),
                    call.components());
            draws.setPrices(call.rated().callId(), call.rated(), ofCall);
            priced.add(new RatingStore.Rerated(GrantDrawing.apply(call.rated(), toRate, ofCall), call.customer(),
                    call.callTime(), call.day(), call.durationSeconds(), call.components(), call.assistantId()));
        }
        return priced;
    }

    /**
     * A customer's grant balances kept in memory while a re-rating draws its calls again one after another (it
     * holds the customer's ingest lock, so nothing else draws meanwhile): each bucket is read once.
     */
    private final class Balances {

        final CustomerId customer;
        final ZoneId zone;
        final Map<BucketKey, BigDecimal> drawn = new HashMap<>();
        final Map<BucketKey, BigDecimal> rolled = new HashMap<>();
        final Map<LocalDate, LocalDate> billedDays = new HashMap<>();

        Balances(CustomerId customer) {
            this.customer = customer;
            this.zone = zone(customer);
        }

        List<Draw> draw(CallToRate call, LocalDate day, ContractTerms terms) {
            LocalDate billedDay = billedDays.computeIfAbsent(day, d -> draws.lateBillingDay(customer, d).orElse(d));
            List<Bucket> buckets = new ArrayList<>();
            List<UnitGrant> grants = terms.grants();
            for (int i = 0; i < grants.size(); i++) {
                UnitGrant grant = grants.get(i);
                LocalDate start = GrantDrawing.periodStart(billedDay, grant.period());
                BucketKey own = new BucketKey(grant.grantId(), start, false);
                BucketKey carried = new BucketKey(grant.grantId(), start, true);
                if (!drawn.containsKey(own)) {
                    Map<BucketKey, BigDecimal> read = draws.drawn(customer, List.of(grant.grantId()), List.of(start));
                    drawn.put(own, read.getOrDefault(own, BigDecimal.ZERO));
                    drawn.put(carried, read.getOrDefault(carried, BigDecimal.ZERO));
                }
                buckets.add(new Bucket(grant, i, start, false, grant.amount(), grant.amount().subtract(drawn.get(own))));
                // what rolled into a period is read once: its period before is over by the time its calls draw
                BigDecimal into = rolled.computeIfAbsent(carried, key -> rolledInto(customer, grant, start));
                if (into.signum() > 0) {
                    buckets.add(new Bucket(grant, i, start, true, into, into.subtract(drawn.get(carried))));
                }
            }
            List<Draw> result = GrantDrawing.draw(call.components(), buckets);
            for (Draw draw : result) {
                drawn.merge(new BucketKey(draw.grantId(), draw.periodStart(), draw.rolledOver()), draw.units(),
                        BigDecimal::add);
            }
            return result;
        }
    }

    /** The buckets of a contract's grants for the period holding {@code day}, with what is left in each. */
    private List<Bucket> buckets(CustomerId customer, ContractTerms terms, LocalDate day) {
        List<UnitGrant> grants = terms.grants();
        List<String> ids = grants.stream().map(UnitGrant::grantId).toList();
        List<LocalDate> starts = grants.stream().map(g -> GrantDrawing.periodStart(day, g.period())).toList();
        Map<BucketKey, BigDecimal> drawn = draws.drawn(customer, ids, starts);
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < grants.size(); i++) {
            UnitGrant grant = grants.get(i);
            LocalDate start = starts.get(i);
            BigDecimal own = grant.amount().subtract(drawn.getOrDefault(new BucketKey(grant.grantId(), start, false),
                    BigDecimal.ZERO));
            buckets.add(new Bucket(grant, i, start, false, grant.amount(), own));
            BigDecimal rolled = rolledInto(customer, grant, start);
            if (rolled.signum() > 0) {
                buckets.add(new Bucket(grant, i, start, true, rolled, rolled.subtract(drawn.getOrDefault(
                        new BucketKey(grant.grantId(), start, true), BigDecimal.ZERO))));
            }
        }
        return buckets;
    }

    /**
     * Units rolled over into the period starting at {@code start}: what the same grant (by id) left of its own
     * units in the period before, up to the cap of the contract in force at that period's last instant; none when
     * no contract then had that grant.
     */
    private BigDecimal rolledInto(CustomerId customer, UnitGrant grant, LocalDate start) {
        LocalDate previous = GrantDrawing.previousPeriod(start, grant.period());
        Instant lastInstant = start.atStartOfDay(zone(customer)).toInstant().minusNanos(1);
        Optional<UnitGrant> before = contracts.contractAt(customer, lastInstant).stream()
                .flatMap(c -> c.terms().grants().stream())
                .filter(g -> g.grantId().equals(grant.grantId()))
                .findFirst();
        if (before.isEmpty() || before.get().rollover() == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal drawnFromOwn = draws.drawn(customer, List.of(grant.grantId()), List.of(previous))
                .getOrDefault(new BucketKey(grant.grantId(), previous, false), BigDecimal.ZERO);
        return GrantDrawing.rollover(before.get(), drawnFromOwn);
    }

    private ZoneId zone(CustomerId customer) {
        return customers.get(customer).billingTimeZone();
    }

    /** Each grant of the contract in force now, in its current period (GET /api/v1/entitlements). */
    @Transactional(readOnly = true)
    public List<Entitlement> entitlements(CustomerId customer) {
        Instant now = clock.instant();
        Optional<Contract> contract = contracts.contractAt(customer, now);
        if (contract.isEmpty()) {
            return List.of();
        }
        ZoneId zone = zone(customer);
        LocalDate today = now.atZone(zone).toLocalDate();
        List<Entitlement> entitlements = new ArrayList<>();
        for (UnitGrant grant : contract.get().terms().grants()) {
            LocalDate start = GrantDrawing.periodStart(today, grant.period());
            Map<BucketKey, BigDecimal> drawn = draws.drawn(customer, List.of(grant.grantId()), List.of(start));
            BigDecimal used = drawn.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add).stripTrailingZeros();
            BigDecimal rolled = rolledInto(customer, grant, start);
            BigDecimal remaining = grant.amount().add(rolled).subtract(used).max(BigDecimal.ZERO).stripTrailingZeros();
            entitlements.add(new Entitlement(grant.grantId(), grant.layer(), grant.provider(), grant.model(),
                    grant.unit(), grant.period().name(), start, grant.amount(), used, remaining, rolled,
                    GrantDrawing.nextPeriod(start, grant.period()).atStartOfDay(zone).toInstant()));
        }
        return entitlements;
    }

    /**
     * One grant in its current period: {@code granted} the period's own units, {@code rolledOver} the units carried
     * in from the period before, {@code used} what calls drew from both, {@code remaining} what is left of both.
     */
    public record Entitlement(String grantId, String layer, String provider, String model, String unit, String period,
            LocalDate periodStart, BigDecimal granted, BigDecimal used, BigDecimal remaining, BigDecimal rolledOver,
            Instant resetsAt) {
    }
}
