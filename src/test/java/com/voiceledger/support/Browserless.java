package com.voiceledger.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client that keeps cookies like a browser but runs no JavaScript: it signs in through the real
 * form and then uses (or abuses) the session it got, over real HTTP. Redirects are not followed, so
 * a test sees where the server sends it.
 */
public final class Browserless {

    private static final Pattern CSRF_META = Pattern.compile("name=\"_csrf\" content=\"([^\"]+)\"");

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client;

    public Browserless(int port) {
        this.baseUrl = "http://localhost:" + port;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Posts the sign-in form as the login page would; the answer's Location tells success from failure. */
    public Answer signIn(String username, String password) {
        return signIn(username, password, "/login");
    }

    /** Posts the sign-in form to another spelling of its address (an attacker's {@code /log%69n}). */
    public Answer signIn(String username, String password, String formPath) {
        return signInForm(username, password, formPath).get();
    }

    /**
     * Loads the login page now and returns the form post, to be sent later: concurrent guesses can then be
     * released together, each with its own session's CSRF token.
     */
    public java.util.function.Supplier<Answer> signInForm(String username, String password, String formPath) {
        Answer page = send("GET", "/login", Map.of(), null, null);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", username);
        form.put("password", password);
        Matcher token = CSRF_META.matcher(page.body());
        if (token.find()) {
            form.put("_csrf", token.group(1));
        }
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .reduce((a, b) -> a + "&" + b).orElse("");
        return () -> send("POST", formPath, Map.of(), "application/x-www-form-urlencoded", body);
    }

    /** True when the last sign-in answer sent the person into the application rather than back to the form. */
    public static boolean signedIn(Answer answer) {
        return answer.status() == 302 && !answer.location().orElse("").contains("/login");
    }

    public Answer get(String path) {
        return send("GET", path, Map.of(), null, null);
    }

    public Answer send(String method, String path, Map<String, String> headers, String contentType, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        headers.forEach(builder::header);
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Answer(int status, String body, Map<String, java.util.List<String>> headers) {

        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        public Optional<String> location() {
            return header("Location");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) : body);
        }
    }
}
