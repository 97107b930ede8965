package com.voiceledger.usage;

/** The layers a call's cost is made of (BILLING-RULES §1), by their wire names. */
public final class Layer {

    public static final String TELEPHONY = "telephony";
    public static final String STT = "stt";
    public static final String LLM = "llm";
    public static final String TTS = "tts";
    public static final String PLATFORM = "platform";
    public static final String ANALYSIS = "analysis";
    public static final String OTHER = "other";

    private Layer() {
    }
}
