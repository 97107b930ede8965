package com.voiceledger.ingestion;

/** What a backfill did: pages fetched, calls seen, and how many were new, already there or failed. */
public record BackfillReport(int pages, int callsSeen, int recorded, int alreadyPresent, int skippedNotEnded,
        int failed) {
}
