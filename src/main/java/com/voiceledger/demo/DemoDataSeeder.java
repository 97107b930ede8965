package com.voiceledger.demo;

import com.voiceledger.billing.CreditService;
import com.voiceledger.billing.InvoiceService;
import com.voiceledger.billing.InvoiceIssuing;
import com.voiceledger.contract.Commitment;
import com.voiceledger.contract.CommitmentPeriod;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.contract.SpendCap;
import com.voiceledger.customer.AttributionType;
import com.voiceledger.ratecard.NewRateCardVersion;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.rating.WhatIf;
import com.voiceledger.ratecard.RateEntry;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.demo.DemoCallGenerator.Assistant;
import com.voiceledger.demo.DemoCallGenerator.Outcome;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.security.Role;
import com.voiceledger.spendcap.SpendCaps;
import com.voiceledger.security.UserService;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Seeds an empty database with three demo customers on different set-ups, their logins, a finance
 * admin, and about three months of calls ingested through {@link VapiIngest}, the webhook's own
 * path. Runs once: a database that has any user is left alone.
 */
@Component
@ConditionalOnProperty(name = "voiceledger.demo-data", havingValue = "true")
class DemoDataSeeder {

    /** Demo logins, listed in the README. */
    static final Map<String, String> LOGINS = Map.of(
            "finance", "demo-finance",
            "acme.admin", "demo-acme",
            "acme.viewer", "demo-acme",
            "globex.admin", "demo-globex",
            "initech.admin", "demo-initech");

    private static final Logger log = LoggerFactory.getLogger(DemoDataSeeder.class);

    private static final int DAYS = 92;
    private static final String ACTOR = "demo-seeder";

    private final CustomerService customers;
    private final RateCardService rateCard;
    private final ContractService contracts;
    private final UserService users;
    private final VapiIngest ingest;
    private final CreditService credits;
    private final InvoiceService invoices;
    private final InvoiceIssuing issuing;
    private final SpendCaps spendCaps;
    private final WhatIf whatIf;
    private final Clock clock;
    private final int callsPerDay;
    private final DemoDataStatus status;

    DemoDataSeeder(CustomerService customers, RateCardService rateCard, ContractService contracts, UserService users,
            VapiIngest ingest, CreditService credits, InvoiceService invoices, SpendCaps spendCaps, WhatIf whatIf,
            Clock clock, @Value("${voiceledger.demo.calls-per-day:8}") int callsPerDay, DemoDataStatus status,
            InvoiceIssuing issuing) {
        this.status = status;
        this.issuing = issuing;
        this.whatIf = whatIf;
        this.spendCaps = spendCaps;
        this.credits = credits;
        this.invoices = invoices;
        this.customers = customers;
        this.rateCard = rateCard;
        this.contracts = contracts;
        this.users = users;
        this.ingest = ingest;
        this.clock = clock;
        this.callsPerDay = callsPerDay;
    }

    /**
     * Seeds on {@code ApplicationStartedEvent}, before Spring Boot reports the application ready (its
     * readiness turns ACCEPTING_TRAFFIC only after), while pages that open meanwhile say it is loading.
     */
    @EventListener(ApplicationStartedEvent.class)
    void seedOnce() {
        if (users.anyUser()) {
            return;
        }
        status.loading(true);
        try {
            seed();
        } finally {
            status.loading(false);
        }
    }

    private void seed() {
        long started = System.nanoTime();
        Customer acme = customers.create(NewCustomer.parse("acme-health", "Acme Health", "USD", "America/New_York"));
        Customer globex = customers.create(NewCustomer.parse("globex-insurance", "Globex Insurance", "USD",
                "America/Chicago"));
        Customer initech = customers.create(NewCustomer.parse("initech", "Initech Support", "USD", "Europe/London"));
        // issuing must not finalize months while their calls are still being loaded (they would turn up
        // as late usage): the demo customers' invoices wait, held, until the seeding is done
        for (Customer customer : List.of(acme, globex, initech)) {
            issuing.hold(customer, true, "demo data being loaded", ACTOR);
        }
        users.create("finance", "Fiona Finance", LOGINS.get("finance"), Role.FINANCE_ADMIN, null);
        users.create("acme.admin", "Alice Admin (Acme)", LOGINS.get("acme.admin"), Role.CUSTOMER_ADMIN, acme.id());
        users.create("acme.viewer", "Victor Viewer (Acme)", LOGINS.get("acme.viewer"), Role.CUSTOMER_VIEWER, acme.id());
        users.create("globex.admin", "Greta Admin (Globex)", LOGINS.get("globex.admin"), Role.CUSTOMER_ADMIN,
                globex.id());
        users.create("initech.admin", "Ian Admin (Initech)", LOGINS.get("initech.admin"), Role.CUSTOMER_ADMIN,
                initech.id());

        publishReferenceRateCard(start());
        contracts.add(acme, start(), null, new ContractTerms(PricingModel.RATE_CARD,
                Map.of("llm", new BigDecimal("20"), "platform", new BigDecimal("10")),
                List.of(new RateEntry("tts", "11labs", "*", "character", new BigDecimal("0.00004"))),
                null, null, 60, null, null, null, new SpendCap(new BigDecimal("2500"), null)),
                "Acme MSA: cost plus 20 % on LLM, 10 % on platform, negotiated ElevenLabs price", ACTOR);
        contracts.add(globex, start(), null, new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(),
                new BigDecimal("0.10"), new BigDecimal("0.25"), 60, new BigDecimal("1000"),
                new Commitment(new BigDecimal("2500"), CommitmentPeriod.QUARTER, false), new BigDecimal("1.2"),
                new SpendCap(new BigDecimal("4000"), List.of(50, 80, 100))),
                "Globex order form: all-in 0.10/min, 0.25 minimum, 1,000 minutes included, quarterly commitment",
                ACTOR);
        contracts.add(initech, start(), null, new ContractTerms(PricingModel.RATE_CARD,
                Map.of("llm", new BigDecimal("15"), "tts", new BigDecimal("15"), "stt", new BigDecimal("15")),
                List.of(), null, null, 60, null,
                new Commitment(new BigDecimal("300"), CommitmentPeriod.MONTH, true), null, null),
                "Initech: 15 % on AI layers, prepaid monthly commitment", ACTOR);

        // Initech is attributed by mapping, not metadata; one of its assistants stays unmapped on purpose,
        // so finance has unattributed calls to look at.
        customers.addAttribution(initech.id(), AttributionType.ASSISTANT_ID, "7c1e0a52-initech-helpdesk");

        List<Assistant> assistants = List.of(
                assistant("a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13", "acme-health", "gpt-4o", "openai", "2.50", "10.00",
                        "11labs", "eleven_flash_v2_5", "0.00005", true),
                assistant("b2d0f7a3-acme-scheduler", "acme-health", "gpt-4o-mini", "openai", "0.15", "0.60",
                        "cartesia", "sonic-2", "0.000038", false),
                assistant("d2e3f4a5-6b7c-4d8e-9f0a-1b2c3d4e5f60", "globex-insurance", "claude-sonnet-4", "anthropic",
                        "3.00", "15.00", "11labs", "eleven_multilingual_v2", "0.0001", false),
                assistant("7c1e0a52-initech-helpdesk", null, "gpt-4o-mini", "openai", "0.15", "0.60", "cartesia",
                        "sonic-2", "0.000038", false),
                assistant("9f8e7d6c-unmapped-pilot", null, "gpt-4o-mini", "openai", "0.15", "0.60", "cartesia",
                        "sonic-2", "0.000038", true));

        DemoCallGenerator generator = new DemoCallGenerator(20261125L);
        Instant end = clock.instant().truncatedTo(ChronoUnit.HOURS);
        Instant start = end.minus(Duration.ofDays(DAYS));
        int calls = 0;
        for (Instant day = start; day.isBefore(end); day = day.plus(Duration.ofDays(1))) {
            for (Assistant assistant : assistants) {
                int count = assistant.id().contains("unmapped") ? (generator.nextInt(6) == 0 ? 1 : 0)
                        : callsPerDay / 2 + generator.nextInt(callsPerDay);
                for (int i = 0; i < count; i++) {
                    Instant createdAt = day.plusSeconds(8 * 3600 + generator.nextInt(10 * 3600));
                    if (createdAt.isAfter(end)) {
                        continue;
                    }
                    Outcome outcome = assistant.metadataCustomerKey() != null
                            && assistant.metadataCustomerKey().startsWith("globex") && generator.nextInt(60) == 0
                            ? Outcome.SILENCE_LOOP
                            : generator.nextOutcome();
                    send(generator.endOfCallReport(assistant, createdAt, outcome));
                    calls++;
                }
            }
        }
        credits.grant(acme, new BigDecimal("50.00"), start(), null, 1, "Launch credit", ACTOR);
        credits.grant(initech, new BigDecimal("25.00"), start(), end.plus(Duration.ofDays(300)), 2,
                "Goodwill for the September outage", ACTOR);
        // Earlier months are closed, as finance would have done at each month-end.
        java.time.YearMonth thisMonth = java.time.YearMonth.from(end.atZone(java.time.ZoneOffset.UTC));
        for (java.time.YearMonth month = thisMonth.minusMonths(3); month.isBefore(thisMonth.minusMonths(1));
                month = month.plusMonths(1)) {
            for (Customer customer : List.of(acme, globex, initech)) {
                invoices.close(customer, month);
            }
        }
        // The last month is a draft for another week (a long grace, for the demo): finalize it yourself
        // (Billing → Close month, or Finalize now in the customer's billing calendar), or let it go.
        for (Customer customer : List.of(acme, globex, initech)) {
            Instant lastMonthEnd = thisMonth.atDay(1).atStartOfDay(customer.billingTimeZone()).toInstant();
            Duration grace = Duration.between(lastMonthEnd, clock.instant()).plusDays(7).truncatedTo(ChronoUnit.HOURS);
            issuing.setGracePeriod(customer, grace.isNegative() ? Duration.ofDays(7) : grace,
                    "demo: last month stays a draft for a week", ACTOR);
            issuing.hold(customer, false, "demo data loaded", ACTOR);
        }
        // An offer from the account team, for Acme to compare on its What-if offers page.
        whatIf.offer(acme, new WhatIf.Scenario("all-in 0.08 USD/min in 60 s steps", null, false,
                        new ContractTerms(PricingModel.PER_MINUTE, Map.of(), List.of(), new BigDecimal("0.08"), null, 60,
                                null, null, null, null)),
                "The all-in per-minute plan we discussed: one price a minute, whichever model runs", ACTOR);
        // Initech's own cap sits just above what it has spent this month: a few more calls reach it (README).
        BigDecimal initechSpend = spendCaps.status(initech).rated();
        spendCaps.setCustomerCap(initech, initechSpend.add(new BigDecimal("1.00")).setScale(2,
                java.math.RoundingMode.UP), ACTOR);
        log.info("Demo data: 3 customers, {} calls through the ingest path in {} ms. Logins: {}", calls,
                (System.nanoTime() - started) / 1_000_000, LOGINS.keySet());
    }

    /** Three months back, at midnight UTC, before the first demo call. */
    private Instant start() {
        return clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(DAYS + 1));
    }

    /** The reference list prices of shared/vapi-webhooks.md §4, per unit (tokens: per 1M / 10^6). */
    private void publishReferenceRateCard(Instant effectiveFrom) {
        List<RateEntry> entries = ReferencePrices.all();
        rateCard.publish(new NewRateCardVersion(effectiveFrom, "USD",
                "Reference list prices (public prices of each provider, Nov 2026)", entries), ACTOR);
    }


    private void send(byte[] report) {
        var result = ingest.ingest("vapi", "application/json", Map.of("x-demo", "seeded"), report);
        if (result.failed()) {
            throw new IllegalStateException("demo report rejected: " + result.error());
        }
    }

    /** The names the platform's payload carries for the demo assistants (Acme's second one has none). */
    private static final Map<String, String> ASSISTANT_NAMES = Map.of(
            "a1c9e6f2-3b7d-4e8a-9c0f-5d2b4a6e8c13", "Patient intake",
            "d2e3f4a5-6b7c-4d8e-9f0a-1b2c3d4e5f60", "Claims assistant",
            "7c1e0a52-initech-helpdesk", "IT helpdesk",
            "9f8e7d6c-unmapped-pilot", "Outbound pilot");

    private static Assistant assistant(String id, String customerKey, String model, String provider, String prompt,
            String completion, String voiceProvider, String voiceModel, String voicePerChar, boolean outbound) {
        return new Assistant(id, ASSISTANT_NAMES.getOrDefault(id, id), customerKey, "p7d3a9b1-2c4e-4f6a-8b0d-1e3f5a7c9b25", provider, model,
                new BigDecimal(prompt), new BigDecimal(completion), voiceProvider, voiceModel,
                new BigDecimal(voicePerChar), outbound);
    }
}
