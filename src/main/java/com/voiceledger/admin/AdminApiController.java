package com.voiceledger.admin;

import com.voiceledger.customer.AttributionConflict;
import com.voiceledger.customer.Attribution;
import com.voiceledger.customer.AttributionType;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.customer.NewCustomer;
import com.voiceledger.ingestion.BackfillReport;
import com.voiceledger.ingestion.IngestResult;
import com.voiceledger.ingestion.WebhookRetry;
import com.voiceledger.ingestion.VapiBackfill;
import com.voiceledger.ingestion.WebhookEvent;
import com.voiceledger.ingestion.WebhookEventLog;
import com.voiceledger.ingestion.WebhookEventStatus;
import com.voiceledger.security.ApiKey;
import com.voiceledger.security.ApiKeyService;
import com.voiceledger.security.CreatedApiKey;
import com.voiceledger.shared.ApiError;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.shared.NotFoundException;
import com.voiceledger.usage.CallQueries;
import com.voiceledger.usage.CallSummary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Finance's JSON API: customers, attributions, API keys, unattributed calls, webhook log, backfill. */
@RestController
@RequestMapping(path = "/api/admin/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin", description = "Finance admin API (Bearer admin API token or a FINANCE_ADMIN session)")
class AdminApiController {

    private final CustomerService customers;
    private final ApiKeyService apiKeys;
    private final CallQueries calls;
    private final WebhookEventLog webhookEvents;
    private final VapiBackfill backfill;
    private final WebhookRetry webhookRetry;

    AdminApiController(CustomerService customers, ApiKeyService apiKeys, CallQueries calls,
            WebhookEventLog webhookEvents, VapiBackfill backfill, WebhookRetry webhookRetry) {
        this.webhookRetry = webhookRetry;
        this.customers = customers;
        this.apiKeys = apiKeys;
        this.calls = calls;
        this.webhookEvents = webhookEvents;
        this.backfill = backfill;
    }

    record CustomerRequest(@Nullable String externalId, @Nullable String name, @Nullable String currency,
            @Nullable String billingTimeZone) {
    }

    record CustomerJson(String externalId, String name, String currency, String billingTimeZone, Instant createdAt,
            List<Attribution> attributions) {
    }

    record AttributionRequest(@Nullable String type, @Nullable String value) {
    }

    record ApiKeyRequest(@Nullable String name) {
    }

    record ApiKeyJson(long id, String name, String prefix, Instant createdAt, @Nullable Instant lastUsedAt,
            @Nullable Instant revokedAt, @Nullable String key) {

        static ApiKeyJson of(ApiKey key, @Nullable String secret) {
            return new ApiKeyJson(key.id(), key.name(), key.prefix(), key.createdAt(), key.lastUsedAt(),
                    key.revokedAt(), secret);
        }
    }

    record BackfillRequest(@Nullable Instant from, @Nullable Instant to, @Nullable Integer limit) {
    }

    @PostMapping(path = "/customers", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a customer")
    CustomerJson createCustomer(@RequestBody CustomerRequest request) {
        return json(customers.create(NewCustomer.parse(request.externalId(), request.name(), request.currency(),
                request.billingTimeZone())));
    }

    @GetMapping("/customers")
    @Operation(summary = "List customers")
    List<CustomerJson> listCustomers() {
        return customers.list().stream().map(this::json).toList();
    }

    @GetMapping("/customers/{externalId}")
    @Operation(summary = "One customer with its attribution mappings")
    CustomerJson customer(@PathVariable String externalId) {
        return json(customers.getByExternalId(externalId));
    }

    @PostMapping(path = "/customers/{externalId}/attributions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Attribute an assistantId, phoneNumberId or orgId to the customer (and its past calls)")
    Attribution addAttribution(@PathVariable String externalId, @RequestBody AttributionRequest request) {
        if (request.type() == null) {
            throw new BadRequestException("type is required (assistantId, phoneNumberId or orgId)");
        }
        Customer customer = customers.getByExternalId(externalId);
        return customers.addAttribution(customer.id(), AttributionType.fromWireName(request.type()),
                request.value() == null ? "" : request.value());
    }

    record MoveAttributionRequest(@Nullable String type, @Nullable String value, @Nullable String customer) {
    }

    @PutMapping(path = "/attributions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Move a mapping (one learned from a first call, or one finance made) to another customer; "
            + "calls already recorded keep their customer")
    Attribution moveAttribution(@RequestBody MoveAttributionRequest request) {
        if (request.type() == null || request.value() == null || request.customer() == null) {
            throw new BadRequestException("type, value and customer are required");
        }
        return customers.moveAttribution(AttributionType.fromWireName(request.type()), request.value(),
                customers.getByExternalId(request.customer()).id());
    }

    @PostMapping(path = "/customers/{externalId}/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an API key for the customer; the key is in this answer only")
    ApiKeyJson createApiKey(@PathVariable String externalId, @RequestBody(required = false) @Nullable ApiKeyRequest request) {
        Customer customer = customers.getByExternalId(externalId);
        CreatedApiKey created = apiKeys.create(customer.id(), request == null ? null : request.name());
        return ApiKeyJson.of(created.key(), created.secret());
    }

    @GetMapping("/customers/{externalId}/api-keys")
    @Operation(summary = "The customer's API keys (prefixes only)")
    List<ApiKeyJson> apiKeys(@PathVariable String externalId) {
        Customer customer = customers.getByExternalId(externalId);
        return apiKeys.keysOf(customer.id()).stream().map(key -> ApiKeyJson.of(key, null)).toList();
    }

    @GetMapping("/unattributed-calls")
    @Operation(summary = "Calls no mapping attributes to a customer yet")
    List<CallSummary> unattributedCalls(@RequestParam(defaultValue = "100") int limit) {
        return calls.unattributed(limit);
    }

    @GetMapping("/attribution-conflicts")
    @Operation(summary = "Calls whose metadata claimed another customer than their mapping (the mapping decided)")
    List<AttributionConflict> attributionConflicts(@RequestParam(defaultValue = "100") int limit) {
        return customers.attributionConflicts(Math.min(Math.max(limit, 1), 1000));
    }

    @GetMapping("/webhook-events")
    @Operation(summary = "The webhook log, newest first, optionally one status")
    List<WebhookEvent> webhookEvents(@RequestParam(required = false) @Nullable String status,
            @RequestParam(defaultValue = "100") int limit) {
        return webhookEvents.recent(status == null ? null : parseStatus(status), limit);
    }

    @GetMapping(path = "/webhook-events/{id}/body", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "A delivery's body exactly as received")
    String webhookEventBody(@PathVariable long id) {
        WebhookEventLog.RawBody body = webhookEvents.rawBody(id)
                .orElseThrow(() -> new NotFoundException("no webhook event " + id));
        if (body.text() == null) {
            throw new ConflictException("the body of webhook event " + id + " was purged on " + body.purgedAt()
                    + " after it was processed (voiceledger.retention.raw-bodies)");
        }
        return body.text();
    }

    @PostMapping("/webhook-events/{id}/retry")
    @Operation(summary = "Process a stored delivery again from its raw body (after a fix, or a late customer)")
    IngestResult retryWebhookEvent(@PathVariable long id) {
        return webhookRetry.retry(id);
    }

    @PostMapping(path = "/backfill", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Ingest ended calls from the platform's API between two instants")
    BackfillReport backfill(@RequestBody BackfillRequest request) {
        if (request.from() == null || request.to() == null) {
            throw new BadRequestException("from and to are required (ISO-8601 instants)");
        }
        return backfill.backfill(request.from(), request.to(),
                request.limit() == null ? VapiBackfill.PAGE_LIMIT : request.limit());
    }

    @ExceptionHandler(VapiBackfill.BackfillFailedException.class)
    ResponseEntity<ApiError> backfillFailed(VapiBackfill.BackfillFailedException e) {
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(ApiError.of(e.getMessage()));
    }

    private static WebhookEventStatus parseStatus(String status) {
        try {
            return WebhookEventStatus.valueOf(status.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("status must be one of " + Arrays.toString(WebhookEventStatus.values()));
        }
    }

    private CustomerJson json(Customer customer) {
        return new CustomerJson(customer.externalId(), customer.name(), customer.currency(),
                customer.billingTimeZone().getId(), customer.createdAt(), customers.attributions(customer.id()));
    }
}
