package com.voiceledger.ratecard;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** What changed between two versions, entry by entry. */
public record RateCardDiff(int from, int to, List<Change> changes) {

    public enum Kind { ADDED, REMOVED, CHANGED }

    public record Change(Kind kind, String key, @Nullable BigDecimal before, @Nullable BigDecimal after) {
    }

    public static RateCardDiff between(RateCardVersion a, RateCardVersion b) {
        Map<String, RateEntry> left = index(a);
        Map<String, RateEntry> right = index(b);
        List<Change> changes = new ArrayList<>();
        for (String key : new TreeSet<>(union(left, right))) {
            RateEntry before = left.get(key);
            RateEntry after = right.get(key);
            if (before == null) {
                changes.add(new Change(Kind.ADDED, key, null, after.unitPrice()));
            } else if (after == null) {
                changes.add(new Change(Kind.REMOVED, key, before.unitPrice(), null));
            } else if (before.unitPrice().compareTo(after.unitPrice()) != 0) {
                changes.add(new Change(Kind.CHANGED, key, before.unitPrice(), after.unitPrice()));
            }
        }
        return new RateCardDiff(a.number(), b.number(), changes);
    }

    private static Map<String, RateEntry> index(RateCardVersion version) {
        return version.entries().stream().collect(Collectors.toMap(RateEntry::key, Function.identity(), (x, y) -> x,
                TreeMap::new));
    }

    private static java.util.Set<String> union(Map<String, RateEntry> a, Map<String, RateEntry> b) {
        java.util.Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
