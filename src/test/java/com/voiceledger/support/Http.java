package com.voiceledger.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP requests to the running application, with the answers kept as text and JSON. */
public final class Http {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String baseUrl;

    public Http(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Request post(String path, String contentType, String body) {
        return new Request("POST", path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public Request post(String path, String contentType, byte[] body) {
        return new Request("POST", path, contentType, body);
    }

    public Request put(String path, String contentType, String body) {
        return new Request("PUT", path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public Request get(String path) {
        return new Request("GET", path, null, null);
    }

    /**
     * Signs in through the real login form, as a browser does (its CSRF token, its redirect), and
     * returns the session cookie ({@code JSESSIONID=...}) for {@code header("Cookie", ...)}.
     */
    public String signIn(String username, String password) {
        java.net.CookieManager cookies = new java.net.CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            String page = browser.send(HttpRequest.newBuilder(URI.create(baseUrl + "/login")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher csrf = Pattern.compile("name=\"_csrf\" content=\"([^\"]+)\"").matcher(page);
            String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                    + URLEncoder.encode(password, StandardCharsets.UTF_8)
                    + (csrf.find() ? "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8) : "");
            HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create(baseUrl + "/login"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as("login answer").isEqualTo(302);
            assertThat(login.headers().firstValue("Location").orElse("")).as("login redirect").doesNotContain("error");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(c -> "JSESSIONID=" + c.getValue()).findFirst().orElseThrow();
    }

    public final class Request {

        private final String method;
        private final String path;
        private final String contentType;
        private final byte[] body;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Request(String method, String path, String contentType, byte[] body) {
            this.method = method;
            this.path = path;
            this.contentType = contentType;
            this.body = body;
        }

        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Request bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        public Response send() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            headers.forEach(builder::header);
            builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            try {
                HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(), response.body(),
                        response.headers().firstValue("Content-Type").orElse(""));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public record Response(int status, String body, String contentType) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public static JsonNode parse(String json) {
        return JSON.readTree(json);
    }
}
