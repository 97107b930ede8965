package com.voiceledger.shared;

import java.util.Set;

/** The units quantities are measured in (BILLING-RULES §1, docs/decisions/0042-every-cost-item-kept.md). */
public final class Units {

    /** Voicemail detection's token kinds, which the platform reports apart (text and audio cost differently). */
    public static final String PROMPT_TEXT_TOKEN = "prompt_text_token";
    public static final String PROMPT_AUDIO_TOKEN = "prompt_audio_token";
    public static final String COMPLETION_TEXT_TOKEN = "completion_text_token";
    public static final String COMPLETION_AUDIO_TOKEN = "completion_audio_token";
    /** A cost entry with no quantity we can read, kept as one item of its reported cost. */
    public static final String ITEM = "item";

    public static final Set<String> UNITS = Set.of("minute", "second", "prompt_token", "cached_prompt_token",
            "completion_token", "token", "character", PROMPT_TEXT_TOKEN, PROMPT_AUDIO_TOKEN, COMPLETION_TEXT_TOKEN,
            COMPLETION_AUDIO_TOKEN, ITEM);

    private Units() {
    }
}
