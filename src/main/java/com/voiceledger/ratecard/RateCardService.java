package com.voiceledger.ratecard;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publishes rate card versions and answers "which version was in force at this instant?". Versions
 * are few and immutable, so all of them are held in memory and reloaded when one is published (and
 * when another instance may have published: {@link #refresh()}).
 */
@Service
public class RateCardService {

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final AtomicReference<List<RateCardVersion>> cache = new AtomicReference<>();

    RateCardService(JdbcClient jdbc, AuditLog audit, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public RateCardVersion publish(NewRateCardVersion request, String actor) {
        List<RateCardVersion> existing = load();
        if (!existing.isEmpty() && !existing.getLast().currency().equals(request.currency())) {
            throw new BadRequestException("the rate card is in " + existing.getLast().currency()
                    + "; a version in " + request.currency() + " would mix currencies");
        }
        jdbc.sql("lock table ratecard_version in share row exclusive mode").update();
        int number = jdbc.sql("select coalesce(max(version), 0) + 1 from ratecard_version").query(Integer.class).single();
        Instant now = clock.instant();
        jdbc.sql("""
                insert into ratecard_version (version, effective_from, currency, reason, published_by, published_at)
                values (:version, :effectiveFrom, :currency, :reason, :actor, :now)
                """)
                .param("version", number)
                .param("effectiveFrom", Timestamp.from(request.effectiveFrom()))
                .param("currency", request.currency())
                .param("reason", request.reason().strip())
                .param("actor", actor)
                .param("now", Timestamp.from(now))
                .update();
        for (RateEntry entry : request.entries()) {
            jdbc.sql("""
                    insert into ratecard_entry (version, layer, provider, model, unit, unit_price)
                    values (:version, :layer, :provider, :model, :unit, :price)
                    """)
                    .param("version", number)
                    .param("layer", entry.layer())
                    .param("provider", entry.provider())
                    .param("model", entry.model())
                    .param("unit", entry.unit())
                    .param("price", entry.unitPrice())
                    .update();
        }
        RateCardVersion published = new RateCardVersion(number, request.effectiveFrom(), request.currency(),
                request.reason().strip(), actor, now, request.entries());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", number);
        details.put("effectiveFrom", request.effectiveFrom().toString());
        details.put("entries", request.entries().size());
        existing.stream().filter(v -> !v.effectiveFrom().isAfter(request.effectiveFrom())).reduce((a, b) -> b)
                .ifPresent(previous -> details.put("changesFromVersion" + previous.number(),
                        RateCardDiff.between(previous, published).changes().stream()
                                .map(c -> c.kind() + " " + c.key() + ": " + plain(c.before()) + " -> " + plain(c.after()))
                                .toList()));
        audit.record(actor, "rate card published", "rate card v" + number, request.reason(), details);
        forgetAfterCommit();
        events.publishEvent(new RateCardPublished(number, request.effectiveFrom()));
        return published;
    }

    private void forgetAfterCommit() {
        cache.set(null);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    cache.set(null);
                }
            });
        }
    }

    /** All versions in order of effect (ties: the later-published one last, so it wins). */
    public List<RateCardVersion> versions() {
        return load();
    }

    public RateCardVersion version(int number) {
        return load().stream().filter(v -> v.number() == number).findFirst()
                .orElseThrow(() -> new NotFoundException("no rate card version " + number));
    }

    /**
     * The version in force at an instant: the latest whose effectiveFrom is not after it; of two with
     * the same effectiveFrom, the later-published one (a correction).
     */
    public Optional<RateCardVersion> versionAt(Instant instant) {
        RateCardVersion inForce = null;
        for (RateCardVersion version : load()) {
            if (!version.effectiveFrom().isAfter(instant)) {
                inForce = version;
            }
        }
        return Optional.ofNullable(inForce);
    }

    /** The version that follows the one in force at an instant, if any: where its validity ends. */
    public Optional<Instant> nextEffectiveFromAfter(Instant instant) {
        return load().stream().map(RateCardVersion::effectiveFrom).filter(from -> from.isAfter(instant))
                .min(Comparator.naturalOrder());
    }

    public RateCardDiff diff(int from, int to) {
        return RateCardDiff.between(version(from), version(to));
    }

    /** Forgets the cached versions (another instance may have published one). */
    @org.springframework.scheduling.annotation.Scheduled(fixedDelayString = "${voiceledger.ratecard.refresh:30s}")
    public void refresh() {
        cache.set(null);
    }

    private List<RateCardVersion> load() {
        List<RateCardVersion> cached = cache.get();
        if (cached != null) {
            return cached;
        }
        Map<Integer, List<RateEntry>> entries = new LinkedHashMap<>();
        jdbc.sql("select version, layer, provider, model, unit, unit_price from ratecard_entry order by version, layer, provider, model, unit")
                .query((rs, row) -> {
                    entries.computeIfAbsent(rs.getInt(1), key -> new ArrayList<>()).add(new RateEntry(rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getBigDecimal(6)));
                    return row;
                })
                .list();
        List<RateCardVersion> versions = jdbc.sql("""
                select version, effective_from, currency, reason, published_by, published_at
                from ratecard_version order by effective_from, version
                """)
                .query((rs, row) -> new RateCardVersion(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(),
                        entries.getOrDefault(rs.getInt(1), List.of())))
                .list();
        cache.compareAndSet(null, versions);
        return versions;
    }

    private static String plain(java.math.BigDecimal value) {
        return value == null ? "none" : value.toPlainString();
    }
}
