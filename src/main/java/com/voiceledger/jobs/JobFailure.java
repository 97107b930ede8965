package com.voiceledger.jobs;

import java.time.Instant;

/**
 * One item of a background job that failed and has not succeeded since: which job, what item (a customer,
 * an invoice, a delivery), the last error, how many times, since when.
 */
public record JobFailure(String job, String subject, String error, int failures, Instant firstAt, Instant lastAt) {
}
