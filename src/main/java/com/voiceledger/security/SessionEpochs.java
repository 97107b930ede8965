package com.voiceledger.security;

import jakarta.servlet.http.HttpSession;
import java.util.OptionalInt;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Whether a signed-in session is still valid. A person's removal, role change or password change
 * bumps their session epoch (in the database, so every instance sees it at once); a session whose
 * epoch is older is ended on its next request, in the UI and on the JSON API alike. Decision 0034.
 */
@Component
public class SessionEpochs {

    /** A session attribute that replaces the epoch signed in under (the session that changed the password). */
    static final String ATTRIBUTE = SessionEpochs.class.getName() + ".epoch";

    private final UserService users;

    SessionEpochs(UserService users) {
        this.users = users;
    }

    /** True when this session of this person may go on. */
    public boolean valid(AppUserDetails person, HttpSession session) {
        OptionalInt current = users.sessionEpoch(person.getUsername());
        if (current.isEmpty()) {
            return false;
        }
        Object renewed = session.getAttribute(ATTRIBUTE);
        int epoch = renewed instanceof Integer value ? value : person.sessionEpoch();
        return epoch == current.getAsInt();
    }

    /**
     * Keeps the session of the current request valid under a new epoch: the person who just changed
     * their password stays signed in here while every other session of theirs ends.
     */
    public static void keepCurrentSession(int epoch) {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request) {
            HttpSession session = request.getRequest().getSession(false);
            if (session != null) {
                session.setAttribute(ATTRIBUTE, epoch);
            }
        }
    }
}
