package com.voiceledger.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.TestFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A forged {@code Host} header (an attacker's link, a poisoned cache) must not choose where sign-in
 * sends a person: every redirect is built from the configured public address (decision 0067). Raw
 * sockets, because Java's HTTP client will not send a Host of its own choosing.
 */
@IntegrationTest
class HostHeaderIT {

    private static final String EVIL = "evil.example";
    private static final Pattern CSRF_META = Pattern.compile("name=\"_csrf\" content=\"([^\"]+)\"");

    @LocalServerPort
    int port;
    @Autowired
    UserService users;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    LoginThrottle throttle;

    String login;

    @BeforeEach
    void setUp() {
        throttle.forgetAll();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Customer acme = fixtures.customer("host-" + suffix);
        login = "hosted-" + suffix;
        users.create(login, "Hal", "right-password", Role.CUSTOMER_ADMIN, acme.id());
    }

    @AfterEach
    void forgetTheseSignIns() {
        throttle.forgetAll();
    }

    @Test
    void aProtectedPageAskedForUnderAForgedHostRedirectsToTheRealSignInPage() throws IOException {
        Reply reply = send("GET /dashboard HTTP/1.1", EVIL, List.of(), null);

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.location()).hasValueSatisfying(location -> assertThat(location)
                .contains("/login").doesNotContainIgnoringCase(EVIL));
    }

    @Test
    void signingInUnderAForgedHostSendsThePersonOnToTheRealAddressNotTheAttackers() throws IOException {
        // the attacker's link: a page under the forged host is remembered as where to go after sign-in
        Reply page = send("GET /dashboard HTTP/1.1", EVIL, List.of(), null);
        String cookie = page.cookie().orElseThrow();
        Reply form = send("GET /login HTTP/1.1", EVIL, List.of("Cookie: " + cookie), null);
        String session = form.cookie().orElse(cookie);

        Reply signedIn = send("POST /login HTTP/1.1", EVIL, List.of("Cookie: " + session), signInBody(form));

        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.location()).hasValueSatisfying(location -> assertThat(location)
                .doesNotContain("/login").doesNotContainIgnoringCase(EVIL));
    }

    @Test
    void theRealHostStillRedirectsToSignInAndOnToThePageAskedFor() throws IOException {
        String host = "localhost:" + port;
        Reply page = send("GET /dashboard HTTP/1.1", host, List.of(), null);
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).hasValueSatisfying(location -> assertThat(location).contains("/login"));

        String cookie = page.cookie().orElseThrow();
        Reply form = send("GET /login HTTP/1.1", host, List.of("Cookie: " + cookie), null);
        Reply signedIn = send("POST /login HTTP/1.1", host, List.of("Cookie: " + form.cookie().orElse(cookie)),
                signInBody(form));

        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.location()).hasValueSatisfying(location -> assertThat(location)
                .contains("/dashboard").doesNotContain("/login"));
    }

    private String signInBody(Reply form) {
        StringBuilder body = new StringBuilder("username=" + URLEncoder.encode(login, StandardCharsets.UTF_8)
                + "&password=right-password");
        Matcher token = CSRF_META.matcher(form.body());
        if (token.find()) {
            body.append("&_csrf=").append(URLEncoder.encode(token.group(1), StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    private Reply send(String requestLine, String host, List<String> headers, String formBody) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: ").append(host)
                    .append("\r\nConnection: close\r\n");
            headers.forEach(header -> request.append(header).append("\r\n"));
            byte[] body = formBody == null ? new byte[0] : formBody.getBytes(StandardCharsets.UTF_8);
            if (formBody != null) {
                request.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
                        .append(body.length).append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return Reply.parse(all.toString(StandardCharsets.UTF_8));
        }
    }

    private record Reply(int status, List<String> headers, String body) {

        static Reply parse(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            String head = end < 0 ? raw : raw.substring(0, end);
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
            return new Reply(status, headers, end < 0 ? "" : raw.substring(end + 4));
        }

        Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).strip()).findFirst();
        }

        Optional<String> location() {
            return header("Location");
        }

        /** The session cookie this reply sets, as a Cookie header value. */
        Optional<String> cookie() {
            return headers.stream().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("set-cookie:"))
                    .map(line -> line.substring("set-cookie:".length()).strip().split(";")[0])
                    .filter(pair -> pair.startsWith("JSESSIONID=")).findFirst();
        }
    }
}
