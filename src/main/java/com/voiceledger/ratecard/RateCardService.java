package com.voiceledger.ratecard;

import com.voiceledger.audit.AuditLog;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.NotFoundException;
import com.voiceledger.shared.PerTransaction;
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
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publishes rate card versions and answers "which version was in force at this instant?". Versions
 * are few and immutable, so all of them are held in memory, stamped with the latest version number
 * they hold. Before use (once per transaction) the stamp is checked against {@code max(version)} in
 * the database, so a version published on another instance is seen at once; a reload reads versions
 * and entries in one statement (one snapshot: never a version without its entries). Version numbers
 * are given under a table lock, so a higher number is always committed after a lower one.
 */
@Service
public class RateCardService {

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final AtomicReference<Snapshot> cache = new AtomicReference<>();

    /** Every version as one read saw them; {@code latest}: the highest version number among them (0: none). */
    private record Snapshot(int latest, List<RateCardVersion> versions) {
    }

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
        PerTransaction.forget(this);
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

    /** The highest version number published (0: none), as the database says now. */
    public int latestVersion() {
        return jdbc.sql("select coalesce(max(version), 0) from ratecard_version").query(Integer.class).single();
    }

    /**
     * Refuses to go on with a rate card older than {@code version}: a job created for a version must
     * never price with an older one (this instance's copy is reloaded first if it is behind).
     */
    public void requireAtLeast(int version) {
        int seen = current().latest();
        if (seen < version) {
            PerTransaction.forget(this);
            seen = current().latest();
        }
        if (seen < version) {
            throw new IllegalStateException("rate card v" + version + " is not visible yet (latest seen: v" + seen + ")");
        }
    }

    private List<RateCardVersion> load() {
        return current().versions();
    }

    /** The cached versions if still current (checked once per transaction), else a fresh read. */
    private Snapshot current() {
        return PerTransaction.get(this, () -> {
            Snapshot cached = cache.get();
            if (cached != null && cached.latest() == latestVersion()) {
                return cached;
            }
            Snapshot read = read();
            // keep whichever is newer: a slow reader must not put back an older snapshot
            cache.accumulateAndGet(read, (old, fresh) -> old == null || fresh.latest() >= old.latest() ? fresh : old);
            return read;
        });
    }

    /** Versions with their entries in one statement: one snapshot of the database. */
    private Snapshot read() {
        record Row(RateCardVersion version, @Nullable RateEntry entry) {
        }
        List<Row> rows = jdbc.sql("""
                select v.version, v.effective_from, v.currency, v.reason, v.published_by, v.published_at,
                       e.layer, e.provider, e.model, e.unit, e.unit_price
                from ratecard_version v left join ratecard_entry e on e.version = v.version
                order by v.effective_from, v.version, e.layer, e.provider, e.model, e.unit
                """)
                .query((rs, row) -> new Row(new RateCardVersion(rs.getInt(1), rs.getTimestamp(2).toInstant(),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(), List.of()),
                        rs.getString(7) == null ? null : new RateEntry(rs.getString(7), rs.getString(8),
                                rs.getString(9), rs.getString(10), rs.getBigDecimal(11))))
                .list();
        Map<Integer, RateCardVersion> headers = new LinkedHashMap<>();
        Map<Integer, List<RateEntry>> entries = new LinkedHashMap<>();
        for (Row row : rows) {
            headers.putIfAbsent(row.version().number(), row.version());
            List<RateEntry> own = entries.computeIfAbsent(row.version().number(), key -> new ArrayList<>());
            if (row.entry() != null) {
                own.add(row.entry());
            }
        }
        List<RateCardVersion> versions = headers.values().stream()
                .map(v -> new RateCardVersion(v.number(), v.effectiveFrom(), v.currency(), v.reason(), v.publishedBy(),
                        v.publishedAt(), entries.get(v.number())))
                .toList();
        return new Snapshot(versions.stream().mapToInt(RateCardVersion::number).max().orElse(0), versions);
    }

    /** Forgets this instance's copy (the next use reads the database again). */
    public void refresh() {
        cache.set(null);
    }

    private static String plain(java.math.BigDecimal value) {
        return value == null ? "none" : value.toPlainString();
    }
}
