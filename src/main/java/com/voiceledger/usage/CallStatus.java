package com.voiceledger.usage;

import java.util.List;

/**
 * The order of a call's statuses. A status never moves backwards: a late {@code ringing} after
 * {@code ended} changes the timeline, not the call. Unknown statuses rank 0.
 */
public final class CallStatus {

    public static final String ENDED = "ended";
    private static final List<String> ORDER = List.of("scheduled", "queued", "ringing", "in-progress", "forwarding",
            ENDED);

    private CallStatus() {
    }

    public static int rank(String status) {
        return ORDER.indexOf(status) + 1;
    }
}
