package com.voiceledger.shared;

import java.util.Set;

/** The units quantities are measured in (BILLING-RULES §1). */
public final class Units {

    public static final Set<String> UNITS = Set.of("minute", "second", "prompt_token", "cached_prompt_token",
            "completion_token", "token", "character");

    private Units() {
    }
}
