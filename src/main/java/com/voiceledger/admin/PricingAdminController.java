package com.voiceledger.admin;

import com.voiceledger.audit.AuditEntry;
import com.voiceledger.audit.AuditLog;
import com.voiceledger.contract.Commitment;
import com.voiceledger.contract.Contract;
import com.voiceledger.contract.ContractLimits;
import com.voiceledger.contract.UnitGrant;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.ContractTerms;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.contract.SpendCap;
import com.voiceledger.customer.Customer;
import com.voiceledger.customer.CustomerService;
import com.voiceledger.rating.RatingJob;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.rating.RatingQueries;
import com.voiceledger.rating.RollupMaintenance;
import com.voiceledger.rating.UnpricedItem;
import com.voiceledger.ratecard.NewRateCardVersion;
import com.voiceledger.ratecard.RateCardDiff;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.ratecard.RateCardVersion;
import com.voiceledger.ratecard.RateEntry;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.shared.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Finance's pricing API: rate card versions, contracts, audit log, re-rating jobs, unpriced usage, rollups. */
@RestController
@RequestMapping(path = "/api/admin/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin: pricing")
class PricingAdminController {

    private final RateCardService rateCard;
    private final ContractService contracts;
    private final CustomerService customers;
    private final AuditLog audit;
    private final RatingJobs jobs;
    private final RatingQueries rating;
    private final RollupMaintenance rollups;
    private final CurrentUser currentUser;

    PricingAdminController(RateCardService rateCard, ContractService contracts, CustomerService customers,
            AuditLog audit, RatingJobs jobs, RatingQueries rating, RollupMaintenance rollups, CurrentUser currentUser) {
        this.rateCard = rateCard;
        this.contracts = contracts;
        this.customers = customers;
        this.audit = audit;
        this.jobs = jobs;
        this.rating = rating;
        this.rollups = rollups;
        this.currentUser = currentUser;
    }

    record VersionRequest(@Nullable Instant effectiveFrom, @Nullable String currency, @Nullable String reason,
            @Nullable List<RateEntry> entries) {
    }

    record VersionSummary(int version, Instant effectiveFrom, String currency, String reason, String publishedBy,
            Instant publishedAt, int entries) {

        static VersionSummary of(RateCardVersion v) {
            return new VersionSummary(v.number(), v.effectiveFrom(), v.currency(), v.reason(), v.publishedBy(),
                    v.publishedAt(), v.entries().size());
        }
    }

    record ContractRequest(@Nullable Instant effectiveFrom, @Nullable String currency, @Nullable String reason,
            @Nullable PricingModel pricingModel, @Nullable Map<String, BigDecimal> markup,
            @Nullable List<RateEntry> overrides, @Nullable BigDecimal perMinuteRate, @Nullable BigDecimal minimumCharge,
            @Nullable Integer billingIncrementSeconds, @Nullable BigDecimal includedMinutes,
            @Nullable Commitment commitment, @Nullable BigDecimal overageMultiplier, @Nullable SpendCap spendCap,
            @Nullable Boolean costTransparency, @Nullable ContractLimits limits, @Nullable List<UnitGrant> grants) {

        ContractTerms terms() {
            return new ContractTerms(pricingModel, markup, overrides, perMinuteRate, minimumCharge,
                    billingIncrementSeconds == null ? 60 : billingIncrementSeconds, includedMinutes, commitment,
                    overageMultiplier, spendCap, Boolean.TRUE.equals(costTransparency), limits, grants);
        }
    }

    record ContractJson(long id, String customer, Instant effectiveFrom, String currency, ContractTerms terms,
            String reason, String createdBy, Instant createdAt) {
    }

    @PostMapping(path = "/rate-card/versions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Publish a rate card version (immutable); calls from effectiveFrom on are re-rated in the background")
    RateCardVersion publish(@RequestBody VersionRequest request) {
        return rateCard.publish(new NewRateCardVersion(request.effectiveFrom(), request.currency(), request.reason(),
                request.entries()), actor());
    }

    @GetMapping("/rate-card/versions")
    @Operation(summary = "All versions, in order of effect")
    List<VersionSummary> versions() {
        return rateCard.versions().stream().map(VersionSummary::of).toList();
    }

    @GetMapping("/rate-card/versions/{version}")
    @Operation(summary = "One version with its entries")
    RateCardVersion version(@PathVariable int version) {
        return rateCard.version(version);
    }

    @GetMapping("/rate-card/diff")
    @Operation(summary = "What changed between two versions")
    RateCardDiff diff(@RequestParam int from, @RequestParam int to) {
        return rateCard.diff(from, to);
    }

    @PostMapping(path = "/customers/{externalId}/contracts", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a contract from effectiveFrom on; the customer's calls from then are re-rated")
    ContractJson addContract(@PathVariable String externalId, @RequestBody ContractRequest request) {
        Customer customer = customers.getByExternalId(externalId);
        return json(customer, contracts.add(customer, request.effectiveFrom(), request.currency(), request.terms(),
                request.reason(), actor()));
    }

    @GetMapping("/customers/{externalId}/contracts")
    @Operation(summary = "The customer's contracts, oldest first")
    List<ContractJson> contracts(@PathVariable String externalId) {
        Customer customer = customers.getByExternalId(externalId);
        return contracts.contractsOf(customer.id()).stream().map(contract -> json(customer, contract)).toList();
    }

    @GetMapping("/audit")
    @Operation(summary = "Audit log, newest first; q filters on action, subject, actor or reason")
    List<AuditEntry> audit(@RequestParam(required = false) @Nullable String q,
            @RequestParam(defaultValue = "200") int limit) {
        return audit.entries(q, limit);
    }

    @GetMapping("/rating/jobs")
    @Operation(summary = "Re-rating jobs with their progress, newest first")
    List<RatingJob> jobs() {
        return jobs.recent(50);
    }

    @GetMapping("/rating/jobs/{id}")
    RatingJob job(@PathVariable long id) {
        return jobs.find(id).orElseThrow(() -> new NotFoundException("no rating job " + id));
    }

    @PostMapping("/rating/jobs/{id}/pause")
    @Operation(summary = "Pause a queued or running re-rating: it stops after its current transaction, what it wrote "
            + "stays; 409 when it is not queued or running")
    RatingJob pause(@PathVariable long id) {
        RatingJob job = job(id);
        if (!jobs.pause(id, actor())) {
            throw new ConflictException("rating job " + id + " is " + job.status() + ": only a queued or running job pauses");
        }
        return job(id);
    }

    @PostMapping("/rating/jobs/{id}/resume")
    @Operation(summary = "Resume a paused re-rating after its last re-rated call; 409 when it is not paused")
    RatingJob resume(@PathVariable long id) {
        RatingJob job = job(id);
        if (!jobs.resume(id, actor())) {
            throw new ConflictException("rating job " + id + " is " + job.status() + ": only a paused job resumes");
        }
        return job(id);
    }

    @GetMapping("/unpriced-usage")
    @Operation(summary = "Usage that found no price, by the price that is missing")
    List<UnpricedItem> unpriced() {
        return rating.unpriced();
    }

    @GetMapping("/rollups/check")
    @Operation(summary = "Rollup rows that disagree with the charges (empty when all is well)")
    Map<String, List<String>> checkRollups() {
        return Map.of("mismatches", rating.rollupMismatches());
    }

    @PostMapping("/rollups/rebuild")
    @Operation(summary = "Rebuild every rollup from the charges, then check them")
    Map<String, List<String>> rebuildRollups() {
        return Map.of("mismatches", rollups.rebuild());
    }

    private String actor() {
        return currentUser.require().name();
    }

    private static ContractJson json(Customer customer, Contract contract) {
        return new ContractJson(contract.id(), customer.externalId(), contract.effectiveFrom(), contract.currency(),
                contract.terms(), contract.reason(), contract.createdBy(), contract.createdAt());
    }
}
