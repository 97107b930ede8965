package com.voiceledger.ingestion;

import com.voiceledger.database.DeferredWrites;
import com.voiceledger.database.IdBlocks;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The raw event log: every authenticated delivery is written here, and committed, before it is
 * normalised, so nothing accepted is ever lost; its outcome is written after.
 */
@Service
public class WebhookEventLog {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final DeferredWrites deferred;
    private final IdBlocks ids;

    private static final DeferredWrites.Shape HANDLED = DeferredWrites.Shape.of("""
            insert into ingestion_webhook_event (id, source, received_at, content_type, headers, body, status,
                message_type, call_id, processed_at)""", "(?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?, ?)", "");

    WebhookEventLog(JdbcClient jdbc, JsonMapper json, Clock clock, DeferredWrites deferred) {
        this.jdbc = jdbc;
        this.deferred = deferred;
        this.ids = new IdBlocks(jdbc, "ingestion_webhook_event_id_seq", 64);
        this.json = json;
        this.clock = clock;
    }

    /** Stores a delivery in its own committed transaction and returns its id. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public long store(String source, @Nullable String contentType, Map<String, String> headers, String body) {
        return jdbc.sql("""
                insert into ingestion_webhook_event (source, received_at, content_type, headers, body, status)
                values (:source, :receivedAt, :contentType, cast(:headers as jsonb), :body, 'RECEIVED')
                returning id
                """)
                .param("source", source)
                .param("receivedAt", Timestamp.from(clock.instant()))
                .param("contentType", contentType)
                .param("headers", json.writeValueAsString(headers))
                .param("body", body)
                .query(Long.class)
                .single();
    }

    /**
     * Stores a delivery already handled in the caller's transaction, with its outcome: one row, written with
     * the batch's other rows (decision 0048); its id is known at once.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public long storeHandled(String source, @Nullable String contentType, Map<String, String> headers, String body,
            WebhookEventStatus status, @Nullable String messageType, @Nullable String callId) {
        Timestamp now = Timestamp.from(clock.instant());
        long id = ids.next();
        deferred.add(HANDLED, id, source, now, contentType, json.writeValueAsString(headers), body, status.name(),
                messageType, callId, now);
        return id;
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordOutcome(long eventId, WebhookEventStatus status, @Nullable String messageType,
            @Nullable String callId, @Nullable String error) {
        jdbc.sql("""
                update ingestion_webhook_event
                set status = :status, message_type = :messageType, call_id = :callId, error = :error,
                    processed_at = :now
                where id = :id
                """)
                .param("status", status.name())
                .param("messageType", storable(messageType))
                .param("callId", callId == null || callId.length() <= 255 ? storable(callId)
                        : storable(callId.substring(0, 255)))
                .param("error", storable(error))
                .param("now", Timestamp.from(clock.instant()))
                .param("id", eventId)
                .update();
    }

    /** PostgreSQL text cannot hold NUL; a sender's value that has one is kept with U+FFFD instead. */
    private static @Nullable String storable(@Nullable String value) {
        return value == null ? null : value.replace('\u0000', '\uFFFD');
    }

    /** Newest first, optionally only one status. */
    @Transactional(readOnly = true)
    public List<WebhookEvent> recent(@Nullable WebhookEventStatus status, int limit) {
        return jdbc.sql("""
                select id, source, received_at, message_type, call_id, status, error, body_purged_at
                from ingestion_webhook_event
                where cast(:status as text) is null or status = :status
                order by received_at desc, id desc limit :limit
                """)
                .param("status", status == null ? null : status.name())
                .param("limit", Math.clamp(limit, 1, 1000))
                .query((rs, row) -> event(rs))
                .list();
    }

    private static WebhookEvent event(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new WebhookEvent(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                rs.getString(5), WebhookEventStatus.valueOf(rs.getString(6)), rs.getString(7),
                rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant());
    }

    @Transactional(readOnly = true)
    public long count(WebhookEventStatus status) {
        return jdbc.sql("select count(*) from ingestion_webhook_event where status = :status")
                .param("status", status.name())
                .query(Long.class)
                .single();
    }

    @Transactional(readOnly = true)
    public Optional<WebhookEvent> find(long eventId) {
        return jdbc.sql("""
                select id, source, received_at, message_type, call_id, status, error, body_purged_at
                from ingestion_webhook_event where id = :id
                """)
                .param("id", eventId)
                .query((rs, row) -> event(rs))
                .optional();
    }

    /** The body exactly as received, for inspection; empty when there is no such delivery or its body was purged. */
    @Transactional(readOnly = true)
    public Optional<String> body(long eventId) {
        return rawBody(eventId).map(RawBody::text);
    }

    /** A delivery's body, or when the retention job purged it (docs/decisions/0053). */
    public record RawBody(@Nullable String text, java.time.@Nullable Instant purgedAt) {
    }

    @Transactional(readOnly = true)
    public Optional<RawBody> rawBody(long eventId) {
        return jdbc.sql("select body, body_purged_at from ingestion_webhook_event where id = :id")
                .param("id", eventId)
                .query((rs, row) -> new RawBody(rs.getString(1),
                        rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant()))
                .optional();
    }
}
