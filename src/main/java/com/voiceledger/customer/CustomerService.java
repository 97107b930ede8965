package com.voiceledger.customer;

import com.voiceledger.customer.internal.AttributionConflicts;
import com.voiceledger.customer.internal.AttributionEntity;
import com.voiceledger.customer.internal.AttributionRepository;
import com.voiceledger.customer.internal.CustomerEntity;
import com.voiceledger.customer.internal.CustomerRepository;
import com.voiceledger.database.SettingsVersion;
import com.voiceledger.database.VersionedCache;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.shared.CustomerId;
import com.voiceledger.shared.NotFoundException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates customers and their attribution mappings, and answers "whose call is this?". Callers
 * check who may do what; this service keeps the data consistent.
 */
@Service
@Transactional(readOnly = true)
public class CustomerService {

    private final CustomerRepository customers;
    private final AttributionRepository attributions;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final AttributionConflicts conflicts;
    private final boolean trustMetadata;
    // Every delivery asks who owns its call and reads its customer several times: kept while no customer or
    // mapping changes anywhere (docs/decisions/0045-ingest-caches-and-batched-rows.md).
    private final VersionedCache<Long, Optional<Customer>> byId;
    private final VersionedCache<CallOwnerHints, Optional<CustomerId>> owners;

    CustomerService(CustomerRepository customers, AttributionRepository attributions,
            ApplicationEventPublisher events, Clock clock, SettingsVersion settingsVersion,
            AttributionConflicts conflicts,
            @Value("${voiceledger.attribution.trust-metadata:false}") boolean trustMetadata) {
        this.conflicts = conflicts;
        this.trustMetadata = trustMetadata;
        this.customers = customers;
        this.attributions = attributions;
        this.events = events;
        this.clock = clock;
        this.byId = VersionedCache.of(settingsVersion, 10_000);
        this.owners = VersionedCache.of(settingsVersion, 100_000);
    }

    @Transactional
    public Customer create(NewCustomer request) {
        if (customers.existsByExternalId(request.externalId())) {
            throw new ConflictException("a customer with externalId '" + request.externalId() + "' already exists");
        }
        CustomerEntity saved = customers.saveAndFlush(new CustomerEntity(request.externalId(), request.name(),
                request.currency(), request.billingTimeZone(), clock.instant()));
        Customer customer = saved.toCustomer();
        forgetOwners();
        events.publishEvent(new CustomerCreated(customer.id(), customer.externalId()));
        return customer;
    }

    public List<Customer> list() {
        return customers.findAllByOrderByNameAsc().stream().map(CustomerEntity::toCustomer).toList();
    }

    public Optional<Customer> findByExternalId(String externalId) {
        return customers.findByExternalId(externalId).map(CustomerEntity::toCustomer);
    }

    public Customer getByExternalId(String externalId) {
        return findByExternalId(externalId)
                .orElseThrow(() -> new NotFoundException("no customer with externalId '" + externalId + "'"));
    }

    public Optional<Customer> find(CustomerId id) {
        return byId.get(id.value(), key -> customers.findById(key).map(CustomerEntity::toCustomer));
    }

    public Customer get(CustomerId id) {
        return find(id).orElseThrow(() -> new NotFoundException("no customer " + id));
    }

    /**
     * Maps an assistant, phone number or org of the platform to a customer. Calls already kept
     * unattributed that match are attributed by the usage module when it hears of it.
     */
    @Transactional
    public Attribution addAttribution(CustomerId customerId, AttributionType type, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException("value is required");
        }
        String trimmed = value.strip();
        Optional<AttributionEntity> existing = attributions.findByTypeAndValue(type.wireName(), trimmed);
        if (existing.isPresent()) {
            if (existing.get().getCustomerId() == customerId.value()) {
                return existing.get().toAttribution();
            }
            throw new ConflictException(type.wireName() + " '" + trimmed + "' is already attributed to another customer");
        }
        AttributionEntity saved = attributions.saveAndFlush(
                new AttributionEntity(customerId.value(), type, trimmed, clock.instant()));
        forgetOwners();
        events.publishEvent(new AttributionAdded(customerId, type, trimmed));
        return saved.toAttribution();
    }

    public List<Attribution> attributions(CustomerId customerId) {
        return attributions.findByCustomerIdOrderByCreatedAtAsc(customerId.value()).stream()
                .map(AttributionEntity::toAttribution).toList();
    }

    /**
     * Whose call is this? A mapping (assistant, then phone number, then org) wins over the customer
     * key in the call's metadata, which the caller controls: a customer must not move its usage (and
     * its cap) onto another by writing another's id there. When both exist and disagree, finance sees
     * the conflict; {@code voiceledger.attribution.trust-metadata=true} lets the metadata win instead.
     * Without a mapping the metadata key decides. Decision 0035.
     */
    public Optional<CustomerId> resolveOwner(CallOwnerHints hints) {
        return owners.get(hints, this::resolveOwnerNow);
    }

    /**
     * The answer is cached per set of hints (see {@link #owners}), so a disagreement is noted for finance when
     * the hints are first seen after a change of customers or mappings, not on every call carrying them.
     */
    private Optional<CustomerId> resolveOwnerNow(CallOwnerHints hints) {
        Optional<CustomerId> claimed = hints.metadataCustomerKey() == null ? Optional.empty()
                : customers.findByExternalId(hints.metadataCustomerKey()).map(entity -> CustomerId.of(entity.getId()));
        Optional<Mapped> known = mapped(hints);
        // first seen: the assistant and phone number are now pinned to the customer their first call named
        // (or, if another call pinned them first, to that one: read again)
        Optional<Mapped> mapped = known.isEmpty() && claimed.isPresent() && learn(claimed.get(), hints)
                ? mapped(hints) : known;
        if (claimed.isEmpty() || mapped.isEmpty()) {
            return claimed.or(() -> mapped.map(Mapped::customer));
        }
        if (!claimed.get().equals(mapped.get().customer())) {
            conflicts.note(claimed.get().value(), mapped.get().customer().value(), mapped.get().type().wireName(),
                    mapped.get().value());
            return trustMetadata ? claimed : mapped.map(Mapped::customer);
        }
        return claimed;
    }

    /** Disagreements between metadata claims and mappings, most recent first (finance). */
    public List<AttributionConflict> attributionConflicts(int limit) {
        return conflicts.recent(limit);
    }

    private record Mapped(CustomerId customer, AttributionType type, String value) {
    }

    /** This instance's own change: other instances see it through the settings version. */
    private void forgetOwners() {
        owners.clear();
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCompletion(int status) {
                            owners.clear();
                        }
                    });
        }
    }

    private Optional<Mapped> mapped(CallOwnerHints hints) {
        return mapped(AttributionType.ASSISTANT_ID, hints.assistantId())
                .or(() -> mapped(AttributionType.PHONE_NUMBER_ID, hints.phoneNumberId()))
                .or(() -> mapped(AttributionType.ORG_ID, hints.orgId()));
    }

    /**
     * Pins the call's assistant to the customer its metadata names, or its phone number when the call has no
     * assistant; true when there was one to pin. Never the org, which a platform account shares among all its
     * customers, and not the phone number beside an assistant: one outbound number often serves several
     * customers' assistants, and the assistant already decides first. Issue 25: without this, a customer's own
     * assistant with another customer's id in its metadata billed that other customer.
     */
    private boolean learn(CustomerId owner, CallOwnerHints hints) {
        boolean hasAssistant = hints.assistantId() != null && !hints.assistantId().isBlank();
        AttributionType type = hasAssistant ? AttributionType.ASSISTANT_ID : AttributionType.PHONE_NUMBER_ID;
        String value = hasAssistant ? hints.assistantId() : hints.phoneNumberId();
        if (value == null || value.isBlank()) {
            return false;
        }
        if (attributions.learn(owner.value(), type.wireName(), value.strip(), clock.instant()) > 0) {
            forgetOwners();
        }
        return true;
    }

    /**
     * Finance moves a mapping (learned or not) to another customer; calls already recorded keep their customer.
     */
    @Transactional
    public Attribution moveAttribution(AttributionType type, String value, CustomerId to) {
        AttributionEntity entity = attributions.findByTypeAndValue(type.wireName(), value == null ? "" : value.strip())
                .orElseThrow(() -> new com.voiceledger.shared.NotFoundException("no " + type.wireName() + " mapping of that value"));
        entity.moveTo(to.value());
        attributions.saveAndFlush(entity);
        forgetOwners();
        return entity.toAttribution();
    }

    private Optional<Mapped> mapped(AttributionType type, @Nullable String value) {
        if (value == null) {
            return Optional.empty();
        }
        return attributions.findByTypeAndValue(type.wireName(), value)
                .map(entity -> new Mapped(CustomerId.of(entity.getCustomerId()), type, value));
    }
}
