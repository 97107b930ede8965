package com.voiceledger.rating;

import com.voiceledger.rating.internal.RatingStore;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The rebuild command: recompute every rollup from the charges, and prove they agree. */
@Service
public class RollupMaintenance {

    private final RatingStore store;

    RollupMaintenance(RatingStore store) {
        this.store = store;
    }

    /** Rebuilds all rollups and returns the mismatches left afterwards (none, unless data moved meanwhile). */
    @Transactional
    public List<String> rebuild() {
        store.rebuildAllRollups();
        return store.rollupMismatches();
    }
}
