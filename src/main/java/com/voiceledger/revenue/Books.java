package com.voiceledger.revenue;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The revenue books: what locked months recognized (stored when they were locked, never recomputed) and
 * the month they are locked through. Open months are computed from the documents each time. Pure.
 */
public record Books(@Nullable YearMonth lockedThrough, List<Entry> stored) {

    public static final Books EMPTY = new Books(null, List.of());

    public Books {
        stored = List.copyOf(stored);
    }

    public boolean isLocked(YearMonth month) {
        return lockedThrough != null && !month.isAfter(lockedThrough);
    }

    /** Every entry recognized in {@code upTo} or before: the stored ones, then those of open months. */
    public List<Entry> entriesUpTo(List<Document> documents, YearMonth upTo) {
        Set<Long> locked = new HashSet<>();
        stored.forEach(entry -> locked.add(entry.documentId()));
        return Stream.concat(stored.stream(), Recognition.recognize(documents, locked, lockedThrough).stream())
                .filter(entry -> !entry.month().isAfter(upTo))
                .toList();
    }

    /** The entries locking {@code month} stores: those of it and of every earlier open month. */
    public List<Entry> toLock(List<Document> documents, YearMonth month) {
        if (isLocked(month)) {
            throw new IllegalStateException(month + " is already locked");
        }
        Set<Long> storedIds = new HashSet<>();
        stored.forEach(entry -> storedIds.add(entry.documentId()));
        return entriesUpTo(documents, month).stream().filter(entry -> !storedIds.contains(entry.documentId())).toList();
    }

    /** These books after locking {@code month} with {@code entries} (from {@link #toLock}). */
    public Books lock(YearMonth month, List<Entry> entries) {
        List<Entry> all = new ArrayList<>(stored);
        all.addAll(entries);
        return new Books(month, all);
    }
}
