package com.voiceledger.audit;

import com.voiceledger.shared.BadRequestException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records changes in the caller's transaction (a change and its audit entry commit together or not
 * at all), and lists them for finance. Entries are never updated or deleted.
 */
@Service
public class AuditLog {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String actor, String action, String subject, String reason, Object details) {
        if (reason == null || reason.isBlank()) {
            throw new BadRequestException("a reason is required for " + action);
        }
        jdbc.sql("""
                insert into audit_entry (at, actor, action, subject, reason, details)
                values (:at, :actor, :action, :subject, :reason, cast(:details as jsonb))
                """)
                .param("at", Timestamp.from(clock.instant()))
                .param("actor", actor)
                .param("action", action)
                .param("subject", subject)
                .param("reason", reason.strip())
                .param("details", json.writeValueAsString(details))
                .update();
    }

    /** Newest first; {@code text} filters on action, subject, actor or reason (case-insensitive). */
    @Transactional(readOnly = true)
    public List<AuditEntry> entries(@Nullable String text, int limit) {
        String pattern = text == null || text.isBlank() ? null : "%" + text.strip().toLowerCase() + "%";
        return jdbc.sql("""
                select id, at, actor, action, subject, reason, details::text from audit_entry
                where cast(:pattern as text) is null
                   or lower(action || ' ' || subject || ' ' || actor || ' ' || reason) like :pattern
                order by at desc, id desc limit :limit
                """)
                .param("pattern", pattern)
                .param("limit", Math.clamp(limit, 1, 1000))
                .query((rs, row) -> new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)))
                .list();
    }
}
