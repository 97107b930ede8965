package com.voiceledger.shared;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Thrown inside a group-commit batch when some of its customers' locks are held by another transaction (a
 * re-rating part, a close, another instance's batch): the batch rolls back and is written again without the
 * calls named here, which wait for a later batch, instead of the whole batch (and every customer on its
 * writer) waiting for that lock (issue #27, decision 0065). Only while {@link #setAside} runs; everywhere else
 * a busy lock is waited for as before.
 */
public final class CustomersBusy extends RuntimeException {

    private static final ThreadLocal<Boolean> SETTING_ASIDE = new ThreadLocal<>();

    private final Set<String> callIds;

    public CustomersBusy(Set<String> callIds) {
        super("the locks of " + callIds.size() + " call(s)' customers are held elsewhere", null, false, false);
        this.callIds = Set.copyOf(callIds);
    }

    /** The calls whose customers were busy: their deliveries are set aside. */
    public Set<String> callIds() {
        return callIds;
    }

    /** Runs {@code work} so that a busy customer throws this instead of being waited for. */
    public static <T> T setAside(Supplier<T> work) {
        Boolean before = SETTING_ASIDE.get();
        SETTING_ASIDE.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            if (before == null) {
                SETTING_ASIDE.remove();
            } else {
                SETTING_ASIDE.set(before);
            }
        }
    }

    /** Whether the current work sets busy customers aside instead of waiting for them. */
    public static boolean settingAside() {
        return Boolean.TRUE.equals(SETTING_ASIDE.get());
    }
}
