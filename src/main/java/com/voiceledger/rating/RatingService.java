package com.voiceledger.rating;

import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractAdded;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.ContractService;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.rating.internal.ChargeLocks;
import com.voiceledger.rating.internal.RatingStore;
import com.voiceledger.ratecard.RateCardPublished;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.CustomersBusy;
import com.voiceledger.usage.CallReported;
import com.voiceledger.usage.CallsAttributed;
import com.voiceledger.usage.CallsReportedTogether;
import com.voiceledger.usage.UsageComponent;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Prices calls as they are recorded (in the recording's transaction: no extra round trip, no call
 * stored unrated) and queues re-rating when a price, a contract or an owner changes.
 */
@Service
public class RatingService {

    private final RateCardService rateCard;
    private final ContractService contracts;
    private final CustomerService customers;
    private final RatingStore store;
    private final RatingJobs jobs;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final ChargeLocks locks;
    private final UnitGrants grants;
    private final Map<Long, Customer> customerCache = new ConcurrentHashMap<>();

    RatingService(RateCardService rateCard, ContractService contracts, CustomerService customers, RatingStore store,
            RatingJobs jobs, Clock clock, ApplicationEventPublisher events,
            ChargeLocks locks, UnitGrants grants) {
        this.grants = grants;
        this.locks = locks;
        this.events = events;
        this.rateCard = rateCard;
        this.contracts = contracts;
        this.customers = customers;
        this.store = store;
        this.jobs = jobs;
        this.clock = clock;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(CallReported reported) {
        // no close of this customer between here and the commit; the closes so far give the call's epoch (0050);
        // entered before pricing, since drawing from grants reads balances only this lock holder may change (0072)
        int closes = locks.enterShared(reported.customerId());
        LocalDate day = dayOf(reported.customerId(), reported.callTime());
        RatedCall rated = grants.drawFirst(rate(reported.callId(), reported.customerId(), reported.callTime(),
                reported.durationSeconds(), reported.components()), reported.customerId(), reported.callTime(), day,
                reported.durationSeconds(), reported.components());
        String assistant = reported.call().assistantId();
        // a call recorded just now has no rating yet: inserted without looking for one (decisions 0045, 0048)
        store.insertFirst(rated, reported.customerId(), reported.callTime(), day, reported.durationSeconds(),
                reported.components(), assistant, clock.instant(), closes);
        store.addToRollup(rated, reported.customerId(), day, reported.components(), assistant);
        store.addToInvoiceRollup(rated, reported.customerId(), day, reported.callTime(), reported.components(),
                RatingStore.firstEpoch(rated, closes));
        store.addToCallStats(rated, reported.customerId(), day, reported.durationSeconds(), assistant);
        BigDecimal providerCost = reported.components().stream().map(UsageComponent::providerCost)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        events.publishEvent(new CallRated(reported.callId(), reported.customerId(), reported.callTime(), rated.charge(),
                rated.currency(), providerCost));
    }

    /** The customers of reports recorded together enter their charge locks at once (decisions 0048, 0050). */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    void on(CallsReportedTogether together) {
        if (CustomersBusy.settingAside()) {
            // a group-commit batch: a customer whose lock is held elsewhere is set aside, not waited for (0065)
            Set<CustomerId> busy = locks.tryEnterShared(together.customers());
            if (!busy.isEmpty()) {
                Set<String> calls = new HashSet<>();
                busy.forEach(customer -> calls.addAll(together.calls().getOrDefault(customer, Set.of())));
                throw new CustomersBusy(calls);
            }
            return;
        }
        locks.enterShared(together.customers());
    }

    @EventListener
    void on(CallsAttributed attributed) {
        jobs.enqueue("price " + attributed.calls() + " newly attributed call(s)", attributed.customerId(),
                attributed.from());
    }

    @EventListener
    void on(RateCardPublished published) {
        jobs.enqueue("re-rate calls from " + published.effectiveFrom() + " for rate card v" + published.version(), null,
                published.effectiveFrom());
    }

    @EventListener
    void on(ContractAdded added) {
        jobs.enqueue("re-rate calls from " + added.effectiveFrom() + " for contract " + added.contractId(),
                added.customerId(), added.effectiveFrom());
    }

    /** Prices one call with the rate card version and contract in force at its start. */
    public RatedCall rate(String callId, CustomerId customerId, Instant callTime, int durationSeconds,
            List<UsageComponent> components) {
        return Rater.rate(callToRate(callId, callTime, durationSeconds, components),
                rateCard.versionAt(callTime).orElse(null), contracts.contractAt(customerId, callTime).orElse(null),
                customer(customerId).currency());
    }

    /** A recorded call as the pure rater sees it (components numbered in their recorded order). */
    static CallToRate callToRate(String callId, Instant callTime, int durationSeconds, List<UsageComponent> components) {
        List<CallToRate.Component> toRate = new ArrayList<>();
        for (int seq = 0; seq < components.size(); seq++) {
            UsageComponent c = components.get(seq);
            toRate.add(new CallToRate.Component(seq, c.layer(), c.provider(), c.model(), c.unit(), c.quantity()));
        }
        return new CallToRate(callId, callTime, durationSeconds, toRate);
    }

    /**
     * What a typical call (the platform's sample: 3 min 12 s on gpt-4o with ElevenLabs voice) would cost
     * a customer under draft contract terms, with the rate card in force at {@code at}.
     */
    public RatedCall preview(Customer customer, ContractTerms terms, Instant at) {
        Contract draft = new Contract(Contract.DRAFT, customer.id(), at, customer.currency(), terms, "preview",
                "preview", at);
        RatedCall rated = Rater.rate(EXAMPLE_CALL, rateCard.versionAt(at).orElse(null), draft, customer.currency());
        return GrantDrawing.apply(rated, EXAMPLE_CALL, previewDraws(terms));
    }

    /** What the example call would draw from the draft's grants at the start of a period (all units left). */
    public List<GrantDrawing.Draw> previewDraws(ContractTerms terms) {
        List<GrantDrawing.Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < terms.grants().size(); i++) {
            var grant = terms.grants().get(i);
            buckets.add(new GrantDrawing.Bucket(grant, i, LocalDate.EPOCH, false, grant.amount(), grant.amount()));
        }
        return GrantDrawing.draw(EXAMPLE_CALL.components(), buckets);
    }

    static final CallToRate EXAMPLE_CALL = new CallToRate("example", Instant.EPOCH, 192, List.of(
            new CallToRate.Component(0, "telephony", "twilio", "-", "minute", new java.math.BigDecimal("3.2")),
            new CallToRate.Component(1, "stt", "deepgram", "nova-3", "minute", new java.math.BigDecimal("3.2")),
            new CallToRate.Component(2, "llm", "openai", "gpt-4o", "prompt_token", new java.math.BigDecimal("8754")),
            new CallToRate.Component(3, "llm", "openai", "gpt-4o", "cached_prompt_token", new java.math.BigDecimal("4096")),
            new CallToRate.Component(4, "llm", "openai", "gpt-4o", "completion_token", new java.math.BigDecimal("740")),
            new CallToRate.Component(5, "tts", "11labs", "eleven_flash_v2_5", "character", new java.math.BigDecimal("1830")),
            new CallToRate.Component(6, "platform", "vapi", "normal", "minute", new java.math.BigDecimal("3.2"))));

    /** The example call's components, for showing a preview line by line. */
    public List<CallToRate.Component> exampleCall() {
        return EXAMPLE_CALL.components();
    }

    /** The time zone a customer's billing days are in. */
    java.time.ZoneId zoneOf(CustomerId customerId) {
        return customer(customerId).billingTimeZone();
    }

    LocalDate dayOf(CustomerId customerId, Instant callTime) {
        return callTime.atZone(customer(customerId).billingTimeZone()).toLocalDate();
    }

    private Customer customer(CustomerId customerId) {
        return customerCache.computeIfAbsent(customerId.value(), id -> customers.get(customerId));
    }
}
