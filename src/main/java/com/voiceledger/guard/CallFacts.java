package com.voiceledger.guard;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the rules look at in one call: its shape and its conversation (the artifact's messages). */
public record CallFacts(String callId, Instant callTime, int durationSeconds, @Nullable String endedReason,
        @Nullable String assistantId, @Nullable String type, @Nullable String customerNumber, List<Turn> turns) {

    public CallFacts {
        turns = List.copyOf(turns);
    }

    /** One message: role (bot, user, tool_calls, ...), text, offset from the start and length; tool calls by name+arguments. */
    public record Turn(String role, String message, long offsetMillis, long durationMillis,
            List<String> toolCalls) {

        public Turn {
            toolCalls = List.copyOf(toolCalls);
        }
    }
}
