package com.voiceledger.shared;

import java.util.Set;

/** The layers a call's cost is made of (BILLING-RULES §1), by their wire names. */
public final class Layer {

    public static final String TELEPHONY = "telephony";
    public static final String STT = "stt";
    public static final String LLM = "llm";
    public static final String TTS = "tts";
    public static final String PLATFORM = "platform";
    public static final String ANALYSIS = "analysis";
    public static final String OTHER = "other";
    /** Not a component layer: the all-in charge of a per-minute contract. */
    public static final String VOICE_MINUTES = "voice_minutes";

    public static final Set<String> ALL = Set.of(TELEPHONY, STT, LLM, TTS, PLATFORM, ANALYSIS, OTHER);

    private Layer() {
    }
}
