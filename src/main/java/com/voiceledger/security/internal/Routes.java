package com.voiceledger.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which route a request is for, for every filter of ours that guards one (the sign-in throttle, the API's
 * CSRF guard, the rate limits, the page headers). Each is Spring Security's own {@link PathPatternRequestMatcher},
 * the matcher its filter chains and its form login use, so it sees the path they see: decoded ({@code /log%69n}
 * is {@code /login}), without {@code ;} parameters, relative to the context path. Reading the raw
 * {@code getRequestURI()} instead let {@code POST /log%69n} sign in unthrottled and {@code POST /%61pi/…} skip
 * the CSRF guard while the chain and the controller still took it for {@code /api/…} (issue 25).
 * Double slashes, encoded slashes and {@code ;} are refused by Spring Security's firewall before any of this.
 */
public final class Routes {

    /** The sign-in form's post, as Vaadin's form login processes it. */
    public static final RequestMatcher SIGN_IN = PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/login");
    /** The JSON API (the chain that serves it also serves the OpenAPI pages, the actuator and /error). */
    public static final RequestMatcher API = PathPatternRequestMatcher.pathPattern("/api/**");
    /** Every platform's webhooks. */
    public static final RequestMatcher WEBHOOKS = PathPatternRequestMatcher.pathPattern("/webhooks/**");
    /** One platform's webhook endpoint: {@code /webhooks/{endpoint}/…}. */
    public static final PathPatternRequestMatcher WEBHOOK = PathPatternRequestMatcher.pathPattern("/webhooks/{endpoint}/**");
    /** The OpenAPI pages, which run Swagger UI's script under the UI's policy. */
    public static final RequestMatcher SWAGGER_UI = new OrRequestMatcher(
            PathPatternRequestMatcher.pathPattern("/swagger-ui/**"), PathPatternRequestMatcher.pathPattern("/swagger-ui.html"),
            PathPatternRequestMatcher.pathPattern("/v3/**"));
    /** Everything that is data rather than a page: its chain sets its own, stricter headers. */
    public static final RequestMatcher NOT_A_PAGE = new OrRequestMatcher(API,
            WEBHOOKS, SWAGGER_UI,
            PathPatternRequestMatcher.pathPattern("/actuator/**"));

    private Routes() {
    }

    /** The webhook endpoint's name ({@code vapi}, {@code twilio}…) when the request is for one. */
    public static @Nullable String webhookEndpoint(HttpServletRequest request) {
        var match = WEBHOOK.matcher(request);
        return match.isMatch() ? match.getVariables().get("endpoint") : null;
    }
}
