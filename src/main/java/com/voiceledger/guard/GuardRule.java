package com.voiceledger.guard;

/** The patterns looked for, and the share of a call's charge each is thought to waste. */
public enum GuardRule {
    SILENCE_LOOP("Silence loop"),
    ENDPOINTING_STORM("Endpointing storm"),
    DUPLICATE_TOOL_CALL("Duplicate tool calls"),
    RETRY_AMPLIFICATION("Outbound retry amplification"),
    DURATION_OUTLIER("Duration outlier"),
    MAX_DURATION("Max-duration ending"),
    EXPENSIVE_CALL("Expensive call"),
    /**
     * The call used a model, voice or transcriber off its contract's allow-list (an override the platform applied
     * after admission): priced as usual, flagged to finance; a customer cannot switch it off (decision 0081).
     */
    MODEL_NOT_ALLOWED("Model off the contract's list");

    private final String title;

    GuardRule(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
