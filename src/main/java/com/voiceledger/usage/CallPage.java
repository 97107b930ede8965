package com.voiceledger.usage;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A page of calls, newest first; {@code nextCursor} fetches the next one, null at the end. */
public record CallPage(List<CallSummary> calls, @Nullable String nextCursor) {
}
