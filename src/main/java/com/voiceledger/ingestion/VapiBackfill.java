package com.voiceledger.ingestion;

import com.voiceledger.ingestion.internal.VapiMessages;
import com.voiceledger.shared.BadRequestException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Fills gaps the webhooks left (the platform does not retry failed deliveries) by paging the
 * platform's {@code GET /call} between two instants and ingesting every ended call through the same
 * path as a webhook. The API has no cursor: each full page moves the upper bound to the oldest
 * {@code createdAt} seen; a call seen twice is simply a duplicate.
 */
@Service
public class VapiBackfill {

    public static final int PAGE_LIMIT = 1000;
    private static final Logger log = LoggerFactory.getLogger(VapiBackfill.class);

    private final VapiIngest ingest;
    private final VapiProperties properties;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    VapiBackfill(VapiIngest ingest, VapiProperties properties) {
        this.ingest = ingest;
        this.properties = properties;
    }

    public BackfillReport backfill(Instant from, Instant to, int pageLimit) {
        if (!from.isBefore(to)) {
            throw new BadRequestException("'from' must be before 'to'");
        }
        if (pageLimit < 1 || pageLimit > PAGE_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + PAGE_LIMIT);
        }
        if (properties.apiKey() == null || properties.apiKey().isBlank()) {
            throw new BadRequestException("backfill needs the platform's API key (set VOICELEDGER_VAPI_API_KEY)");
        }
        int pages = 0, seen = 0, recorded = 0, present = 0, notEnded = 0, failed = 0;
        Instant upper = to;
        while (true) {
            JsonNode page = fetch(from, upper, pageLimit);
            pages++;
            Instant oldest = upper;
            for (JsonNode call : page) {
                seen++;
                Instant createdAt = parseInstant(call.path("createdAt").asString(""));
                if (createdAt != null && createdAt.isBefore(oldest)) {
                    oldest = createdAt;
                }
                if (!call.hasNonNull("endedAt")) {
                    notEnded++;
                    continue;
                }
                IngestResult result = ingest.ingest("backfill", "application/json", Map.of(),
                        VapiMessages.endOfCallReportFor(call));
                switch (result.status()) {
                    case PROCESSED -> recorded++;
                    case DUPLICATE -> present++;
                    default -> failed++;
                }
            }
            if (page.size() < pageLimit || !oldest.isBefore(upper)) {
                break;
            }
            upper = oldest.plusMillis(1);
            if (!upper.isBefore(to) && pages > 1) {
                break;
            }
        }
        BackfillReport report = new BackfillReport(pages, seen, recorded, present, notEnded, failed);
        log.info("Backfill {} .. {}: {}", from, to, report);
        return report;
    }

    private JsonNode fetch(Instant from, Instant to, int limit) {
        URI uri = URI.create(properties.apiBaseUrl().toString().replaceAll("/+$", "") + "/call?createdAtGt="
                + encode(from.toString()) + "&createdAtLt=" + encode(to.toString()) + "&limit=" + limit);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + properties.apiKey())
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new BackfillFailedException("the platform's API answered " + response.statusCode() + " for " + uri);
            }
            JsonNode body = VapiMessages.json().readTree(response.body());
            JsonNode calls = body.isArray() ? body : body.path("results");
            if (!calls.isArray()) {
                throw new BackfillFailedException("the platform's API did not answer with a list of calls");
            }
            return calls;
        } catch (IOException e) {
            throw new BackfillFailedException("could not reach the platform's API at " + uri + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackfillFailedException("interrupted");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Instant parseInstant(String value) {
        try {
            return value.isEmpty() ? null : Instant.parse(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The platform's API could not be read; nothing already ingested is undone. */
    public static class BackfillFailedException extends RuntimeException {

        public BackfillFailedException(String message) {
            super(message);
        }
    }
}
