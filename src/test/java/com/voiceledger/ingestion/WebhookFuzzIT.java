package com.voiceledger.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.internal.TwilioSignature;
import com.voiceledger.support.Http;
import com.voiceledger.support.IntegrationTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.Signatures;
import com.voiceledger.support.TestFixtures;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A seeded, deterministic fuzzer over both webhook endpoints. Every case is derived from the
 * platform's real samples and broken in one way: truncated or garbled JSON, wrong types, absurd or
 * negative numbers, missing or null required fields, deep nesting, oversize bodies, wrong content
 * types, bad, stale or missing credentials. Each answer must be a 4xx with a JSON {@code error} (never
 * a 5xx, never a stack trace), or — where the platform's format says the input is fine, as for an
 * unknown message type — a 2xx that records nothing; and afterwards the customer has no calls, no
 * Twilio rows and no usage at all. What must be refused and what accepted: docs/decisions/0020.
 */
@IntegrationTest
class WebhookFuzzIT {

    /** Fixed, so the suite is repeatable; {@code -Dfuzz.seed=N} explores other mutations (the long version). */
    static final long SEED = Long.getLong("fuzz.seed", 20_261_126L);
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What the platform's format makes of a case. */
    enum Expect {
        /** A 4xx with a JSON error. */
        REFUSED,
        /** A 2xx that records nothing (unknown message types are acknowledged and ignored). */
        IGNORED
    }

    record Case(String name, String path, String method, String contentType, byte[] body, Map<String, String> headers,
            Expect expect, boolean chunked) {
    }

    @LocalServerPort
    int port;
    @Autowired
    TestFixtures fixtures;
    @Autowired
    JdbcClient jdbc;

    Http http;
    Samples samples;
    Customer customer;
    String customerKey;
    Random random;
    final List<String> callIds = new ArrayList<>(List.of("none"));
    final List<String> callSids = new ArrayList<>(List.of("none"));
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        http = new Http(port);
        samples = Samples.fresh();
        customer = fixtures.customer(samples.id(Samples.ACME));
        fixtures.customer(samples.id(Samples.GLOBEX));
        customerKey = fixtures.apiKey(customer);
        random = new Random(SEED);
    }

    @Test
    void hundredsOfBrokenPlatformDeliveriesAreRefusedOrIgnoredAndNoneCountsAsUsage() {
        List<Case> cases = vapiCases();
        assertThat(cases).hasSizeGreaterThan(300);
        List<String> wrong = run(cases);
        assertThat(wrong).as("cases answered wrongly").isEmpty();
        assertNothingCounted();
    }

    @Test
    void brokenOrForgedTwilioCallbacksAreRefusedAndNoneIsStored() {
        List<Case> cases = twilioCases();
        assertThat(cases).hasSizeGreaterThan(100);
        List<String> wrong = run(cases);
        assertThat(wrong).as("cases answered wrongly").isEmpty();
        assertThat(jdbc.sql("select count(*) from usage_twilio_call where call_sid in (:sids)").param("sids", callSids)
                .query(Long.class).single()).as("Twilio rows stored by refused callbacks").isZero();
        assertNothingCounted();
    }

    @Test
    void aDeliveryThatGetsNoAnswerAtAllCountsAsWrongNotAsRefused() throws Exception {
        // a "server" that accepts and closes every connection without answering, as a crashing one would
        try (java.net.ServerSocket crashing = new java.net.ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                while (!crashing.isClosed()) {
                    try (java.net.Socket connection = crashing.accept()) {
                        connection.setSoLinger(true, 0); // a reset, not even a clean close
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            Http real = http;
            http = new Http(crashing.getLocalPort());
            try {
                List<Case> cases = List.of(vapi("garbled", "{\"message\":".getBytes(StandardCharsets.UTF_8), Expect.REFUSED));
                assertThat(run(cases)).singleElement().asString().contains("no answer");
            } finally {
                http = real;
            }
        }
    }

    @Test
    void theFuzzerIsDeterministicForItsSeed() {
        // signed cases carry the current time, so they are left out of the comparison
        List<String> first = vapiCases().stream().filter(c -> !c.name().startsWith("credentials"))
                .map(c -> c.name() + new String(c.body(), StandardCharsets.UTF_8)).toList();
        random = new Random(SEED);
        List<String> second = vapiCases().stream().filter(c -> !c.name().startsWith("credentials"))
                .map(c -> c.name() + new String(c.body(), StandardCharsets.UTF_8)).toList();
        assertThat(first).hasSizeGreaterThan(300).containsExactlyElementsOf(second);
    }

    // ---------------------------------------------------------------- running and checking

    private List<String> run(List<Case> cases) {
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            Answer answer = send(c);
            String problem = problemWith(c, answer);
            if (problem != null) {
                wrong.add(c.name() + ": " + problem + " — got " + answer.status() + " "
                        + answer.body().substring(0, Math.min(300, answer.body().length())));
            }
        }
        return wrong;
    }

    /** Status of an {@link Answer} that never came: the connection was closed or reset. */
    static final int NO_ANSWER = -1;
    /** The server's limit ({@code voiceledger.ingest.max-body-bytes}). */
    static final int MAX_BODY_BYTES = 1_048_576;

    private static String problemWith(Case c, Answer answer) {
        if (answer.status() == NO_ANSWER) {
            // Tomcat may close the connection instead of reading the rest of a body over the limit;
            // for anything else a closed or reset connection is a crash, never a refusal
            return c.expect() == Expect.REFUSED && c.body().length > MAX_BODY_BYTES ? null
                    : "no answer, the connection was closed (" + answer.body() + ")";
        }
        String body = answer.body();
        if (body.contains("\tat ") || body.contains("Exception") || body.contains("at com.voiceledger")
                || body.contains("<html")) {
            return "a stack trace or an HTML page in the answer";
        }
        if (answer.status() >= 500) {
            return "a server error";
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (RuntimeException e) {
            return "an answer that is not JSON";
        }
        return switch (c.expect()) {
            case REFUSED -> answer.status() >= 400 && answer.status() < 500 && json.path("error").isString()
                    && !json.path("error").asString().isBlank() ? null : "expected a 4xx with a JSON error";
            case IGNORED -> answer.status() >= 200 && answer.status() < 300
                    && json.path("status").asString("").equals("ignored") ? null : "expected a 2xx 'ignored'";
        };
    }

    private void assertNothingCounted() {
        assertThat(jdbc.sql("select count(*) from usage_call where id in (:ids) or customer_id = :customer")
                .param("ids", callIds).param("customer", customer.id().value()).query(Long.class).single())
                .as("calls stored by broken deliveries").isZero();
        Http.Response calls = http.get("/api/v1/calls").bearer(customerKey).send();
        assertThat(calls.json().path("calls").size()).isZero();
        Http.Response summary = http.get("/api/v1/usage/summary?month=2026-11").bearer(customerKey).send();
        assertThat(summary.status()).isEqualTo(200);
        assertThat(summary.json().path("calls").asInt(0)).isZero();
        assertThat(summary.json().path("items").size()).isZero();
    }

    record Answer(int status, String body) {
    }

    private Answer send(Case c) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(http.baseUrl() + c.path()));
        if (c.contentType() != null) {
            builder.header("Content-Type", c.contentType());
        }
        c.headers().forEach(builder::header);
        HttpRequest.BodyPublisher publisher = c.chunked()
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(c.body()))
                : HttpRequest.BodyPublishers.ofByteArray(c.body());
        builder.method(c.method(), publisher);
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (java.io.IOException e) {
            // no answer at all: judged in problemWith (only an oversize body may be cut off this way)
            return new Answer(NO_ANSWER, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- the platform's deliveries

    private static final List<String> REPORTS = List.of(Samples.EOCR, Samples.EOCR_SILENCE, Samples.EOCR_NOT_ANSWERED);
    private static final List<String> ALL_MESSAGES = List.of(Samples.EOCR, Samples.EOCR_SILENCE,
            Samples.EOCR_NOT_ANSWERED, Samples.STATUS_UPDATE, Samples.TOOL_CALLS, Samples.ASSISTANT_REQUEST);
    private static final List<String> QUANTITIES = List.of("minutes", "characters", "promptTokens", "completionTokens",
            "cachedPromptTokens", "cost");

    /** A sample with its call id replaced by a new one, unique to this case, as a JSON tree. */
    private ObjectNode sample(String name) {
        String callId = new UUID(random.nextLong(), random.nextLong()).toString();
        callIds.add(callId);
        String text = samples.text(name);
        for (String original : List.of(Samples.MAIN_CALL_ID, Samples.SILENCE_CALL_ID, Samples.NOT_ANSWERED_CALL_ID,
                "e6f7a8b9-0c1d-4e2f-8a3b-4c5d6e7f8091")) {
            text = text.replace(samples.id(original), callId);
        }
        return (ObjectNode) JSON.readTree(text);
    }

    private ObjectNode report() {
        return sample(REPORTS.get(random.nextInt(REPORTS.size())));
    }

    private ObjectNode reportWithCosts() {
        return sample(random.nextBoolean() ? Samples.EOCR : Samples.EOCR_SILENCE);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private List<Case> vapiCases() {
        List<Case> cases = new ArrayList<>();
        // truncated JSON: cut anywhere before the last closing brace
        for (int i = 0; i < 40; i++) {
            byte[] body = bytes(sample(pick(ALL_MESSAGES)));
            int lastBrace = new String(body, StandardCharsets.UTF_8).lastIndexOf('}');
            int cut = 1 + random.nextInt(Math.max(1, lastBrace - 1));
            cases.add(vapi("truncated at " + cut, java.util.Arrays.copyOf(body, cut), Expect.REFUSED));
        }
        // garbled JSON: a structural character (outside strings) removed, doubled or replaced
        for (int i = 0; i < 40; i++) {
            String text = new String(bytes(report()), StandardCharsets.UTF_8);
            List<Integer> structural = structuralPositions(text);
            int op = random.nextInt(4);
            // an insertion just before a closing quote would land inside the string: insert at brackets and colons
            int at = pick(op == 1 || op == 3
                    ? structural.stream().filter(p -> text.charAt(p) != '"').toList() : structural);
            String garbled = switch (op) {
                case 0 -> text.substring(0, at) + text.substring(at + 1);
                case 1 -> text.substring(0, at) + pick(List.of("{", "[", ",,", "\"", ":")) + text.substring(at);
                case 2 -> text.substring(0, at) + pick(List.of("#", "\u0000", "\uFFFD", "'", "NaN")) + text.substring(at + 1);
                default -> text.substring(0, at) + "}}]]" + text.substring(at);
            };
            cases.add(vapi("garbled (" + op + ") at " + at + " near "
                    + JSON.writeValueAsString(text.substring(Math.max(0, at - 15), Math.min(text.length(), at + 15))), garbled.getBytes(StandardCharsets.UTF_8), Expect.REFUSED));
        }
        // not a JSON object with a message object
        for (String body : List.of("", " ", "null", "[]", "\"end-of-call-report\"", "42", "true", "{}", "{\"message\":null}",
                "{\"message\":[]}", "{\"message\":\"end-of-call-report\"}", "{\"message\":{}}", "[{\"message\":{}}]",
                "{\"message\":{\"type\":null}}", "{\"message\":{\"type\":\"\"}}", "{\"message\":{\"type\":\"   \"}}",
                "\uFEFF", "\u0000\u0000", "{\"message\":{\"type\":\"end-of-call-report\"}}",
                "{\"message\":{\"type\":\"end-of-call-report\",\"call\":{}}}",
                "{\"message\":{\"type\":\"status-update\",\"call\":{\"id\":\"x\"}}}")) {
            cases.add(vapi("envelope " + JSON.writeValueAsString(body), body.getBytes(StandardCharsets.UTF_8),
                    Expect.REFUSED));
        }
        // required fields missing or null, in every message type that needs them
        for (String name : List.of(Samples.EOCR, Samples.EOCR_SILENCE, Samples.EOCR_NOT_ANSWERED, Samples.STATUS_UPDATE)) {
            for (String path : List.of("message", "message.type", "message.call", "message.call.id")) {
                cases.add(vapi(name + " without " + path, mutate(sample(name), path, null, true), Expect.REFUSED));
                cases.add(vapi(name + " with null " + path, mutate(sample(name), path, NODES.nullNode(), false),
                        Expect.REFUSED));
            }
        }
        for (String path : List.of("message.status", "message.timestamp")) {
            ObjectNode update = sample(Samples.STATUS_UPDATE);
            ((ObjectNode) update.path("message").path("call")).remove("createdAt");
            cases.add(vapi("status-update without " + path, mutate(update, path, null, true), Expect.REFUSED));
        }
        // wrong types where the envelope, the ids, the costs and the times are
        List<Consumer<Wrong>> wrongTypes = List.of(
                w -> w.at("message", NODES.textNode("end-of-call-report"), NODES.arrayNode(), NODES.numberNode(1)),
                w -> w.at("message.type", NODES.numberNode(7), NODES.objectNode(), NODES.arrayNode().add("end-of-call-report"),
                        NODES.booleanNode(true)),
                w -> w.at("message.call", NODES.textNode("call"), NODES.arrayNode(), NODES.numberNode(3)),
                w -> w.at("message.call.id", NODES.objectNode(), NODES.arrayNode(), NODES.booleanNode(false),
                        NODES.numberNode(12345), NODES.textNode("x".repeat(10_000)), NODES.textNode("bad\u0000id"),
                        NODES.textNode("  ")),
                w -> w.at("message.costs", NODES.objectNode().put("type", "transport").put("minutes", 3),
                        NODES.textNode("[]"), NODES.numberNode(3.2), NODES.booleanNode(true)),
                w -> w.at("message.costs.*", NODES.textNode("transport"), NODES.numberNode(3.2), NODES.arrayNode(),
                        NODES.nullNode(), NODES.booleanNode(true)),
                w -> w.at("message.costs.*.type", NODES.numberNode(1), NODES.objectNode(), NODES.arrayNode(),
                        NODES.booleanNode(true), NODES.nullNode()),
                w -> w.atQuantity(NODES.textNode("lots"), NODES.textNode(""), NODES.booleanNode(true), NODES.objectNode(),
                        NODES.arrayNode().add(3), NODES.textNode("3,2"), NODES.textNode("NaN"), NODES.textNode("Infinity")),
                w -> w.at("message.cost", NODES.textNode("cheap"), NODES.booleanNode(true), NODES.objectNode(),
                        NODES.arrayNode()),
                w -> w.at("message.startedAt", NODES.numberNode(1793714712100L), NODES.objectNode(), NODES.arrayNode(),
                        NODES.booleanNode(true), NODES.textNode("yesterday"), NODES.textNode("2026-13-45T99:99:99Z")),
                w -> w.at("message.endedAt", NODES.numberNode(1793714712100L), NODES.objectNode(),
                        NODES.textNode("2026-11-03 14:08"), NODES.textNode("+10000-01-01T00:00:00Z")));
        for (int round = 0; round < 3; round++) {
            for (Consumer<Wrong> wrongType : wrongTypes) {
                wrongType.accept(new Wrong(cases));
            }
        }
        // huge and negative numbers in every quantity and cost
        List<String> absurd = List.of("1e308", "99999999999999999999999", "1e30", "1000000000000", "-1", "-0.0001",
                "-1e308", "-99999999999999999999999", "1e999999", "-3.2");
        for (String number : absurd) {
            for (int i = 0; i < 4; i++) {
                new Wrong(cases).atQuantity(JSON.readTree(number));
            }
            new Wrong(cases).at("message.cost", JSON.readTree(number).isNumber() && JSON.readTree(number).decimalValue()
                    .signum() >= 0 && JSON.readTree(number).decimalValue().compareTo(java.math.BigDecimal.TEN.pow(12)) < 0
                            ? NODES.numberNode(-1) : JSON.readTree(number));
        }
        // times outside any plausible call
        for (String[] times : new String[][] {{"1970-01-01T00:00:00Z", "1970-01-01T00:03:00Z"},
                {"2026-11-03T14:05:12Z", "2026-12-25T00:00:00Z"}, {"9999-12-31T23:59:00Z", "9999-12-31T23:59:59Z"},
                {"-999999999-01-01T00:00:00Z", "2026-11-03T14:08:24Z"}}) {
            ObjectNode report = reportWithCosts();
            ((ObjectNode) report.path("message")).put("startedAt", times[0]).put("endedAt", times[1]);
            cases.add(vapi("times " + times[0] + " to " + times[1], bytes(report), Expect.REFUSED));
        }
        // a status update at an absurd instant
        for (long millis : new long[] {-1L, 0L, Long.MAX_VALUE, 253_402_300_800_000L * 10}) {
            ObjectNode update = sample(Samples.STATUS_UPDATE);
            ((ObjectNode) update.path("message")).put("timestamp", millis);
            cases.add(vapi("status-update at epoch ms " + millis, bytes(update), Expect.REFUSED));
        }
        // deep nesting, inside the message and as the whole body
        for (int depth : new int[] {2_000, 20_000, 200_000}) {
            String nested = "[".repeat(depth) + "]".repeat(depth);
            String inReport = new String(bytes(report()), StandardCharsets.UTF_8)
                    .replaceFirst("\"message\"\\s*:\\s*\\{", "\"message\": {\"deep\": " + nested + ",");
            cases.add(vapi("nested " + depth + " deep in a report", inReport.getBytes(StandardCharsets.UTF_8),
                    Expect.REFUSED));
            cases.add(vapi("nested " + depth + " deep as the body",
                    ("{\"message\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}")
                            .getBytes(StandardCharsets.UTF_8), Expect.REFUSED));
        }
        // oversize bodies, with and without a Content-Length
        for (boolean chunked : new boolean[] {false, true}) {
            ObjectNode report = report();
            ((ObjectNode) report.path("message")).put("padding", "x".repeat(1024 * 1024));
            cases.add(new Case("oversize report" + (chunked ? " (chunked)" : ""), "/webhooks/vapi", "POST",
                    "application/json", bytes(report), secret(), Expect.REFUSED, chunked));
        }
        // wrong content types
        for (String contentType : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonx", "json", "*/*")) {
            cases.add(new Case("content type " + contentType, "/webhooks/vapi", "POST", contentType, bytes(report()),
                    secret(), Expect.REFUSED, false));
        }
        cases.add(new Case("no content type", "/webhooks/vapi", "POST", null, bytes(report()), secret(), Expect.REFUSED,
                false));
        cases.add(new Case("a GET", "/webhooks/vapi", "GET", null, new byte[0], secret(), Expect.REFUSED, false));
        // bad, stale, future and missing credentials
        for (int i = 0; i < 3; i++) {
            for (Map<String, String> headers : badCredentials(bytes(report()))) {
                cases.add(new Case("credentials " + headers.values().stream()
                        .map(v -> v.substring(0, Math.min(20, v.length()))).toList() + " " + i, "/webhooks/vapi", "POST",
                        "application/json", lastSigned, headers, Expect.REFUSED, false));
            }
            // the positive control: the credentials broken above, whole, are accepted (an unknown type,
            // so nothing counts); the HMAC comes from the tests' own known-answer signer, not the server's
            byte[] unknown = "{\"message\":{\"type\":\"speech-update\"}}".getBytes(StandardCharsets.UTF_8);
            String fresh = Long.toString(Instant.now().getEpochSecond());
            cases.add(new Case("credentials whole HMAC " + i, "/webhooks/vapi", "POST", "application/json", unknown,
                    Map.of("x-timestamp", fresh, "x-signature", "sha256="
                            + Signatures.vapi("sha256", TestFixtures.HMAC_SECRET, fresh, unknown)),
                    Expect.IGNORED, false));
            cases.add(new Case("credentials whole secret " + i, "/webhooks/vapi", "POST", "application/json", unknown,
                    secret(), Expect.IGNORED, false));
            cases.add(new Case("credentials whole bearer " + i, "/webhooks/vapi", "POST", "application/json", unknown,
                    Map.of("Authorization", "Bearer " + TestFixtures.VAPI_SECRET), Expect.IGNORED, false));
        }
        // unknown message types and casing: acknowledged, stored as ignored, nothing counted
        for (String type : List.of("fuzz-" + random.nextInt(1000), "END-OF-CALL-REPORT", "end-of-call-report ",
                " end-of-call-report", "end_of_call_report", "endOfCallReport", "Status-Update", "transcript", "hang",
                "speech-update", "conversation-update", "model-output", "user-interrupted", "\u00e9nd-of-call-report",
                "end-of-call-report\u200b", "x".repeat(5000))) {
            cases.add(vapi("unknown type " + type.substring(0, Math.min(30, type.length())),
                    mutate(report(), "message.type", NODES.textNode(type), false), Expect.IGNORED));
        }
        for (int depth : new int[] {10, 100}) {
            ObjectNode unknown = NODES.objectNode();
            ObjectNode message = unknown.putObject("message").put("type", "speech-update");
            ObjectNode node = message;
            for (int i = 0; i < depth; i++) {
                node = node.putObject("n");
            }
            cases.add(vapi("unknown type nested " + depth, bytes(unknown), Expect.IGNORED));
        }
        return cases;
    }

    /** Wrong values put at a path of a fresh report; {@code *} picks one element of an array. */
    final class Wrong {

        private final List<Case> cases;

        Wrong(List<Case> cases) {
            this.cases = cases;
        }

        void at(String path, JsonNode... values) {
            for (JsonNode value : values) {
                ObjectNode report = reportWithCosts();
                String concrete = concrete(report, path);
                cases.add(vapi(concrete + " = " + brief(value), mutate(report, concrete, value, false), Expect.REFUSED));
            }
        }

        void atQuantity(JsonNode... values) {
            for (JsonNode value : values) {
                ObjectNode report = reportWithCosts();
                List<String> paths = new ArrayList<>();
                ArrayNode costs = (ArrayNode) report.path("message").path("costs");
                for (int i = 0; i < costs.size(); i++) {
                    for (String field : QUANTITIES) {
                        if (costs.get(i).has(field)) {
                            paths.add("message.costs." + i + "." + field);
                        }
                    }
                }
                String path = pick(paths);
                cases.add(vapi(path + " = " + brief(value), mutate(report, path, value, false), Expect.REFUSED));
            }
        }

        private String concrete(ObjectNode root, String path) {
            StringBuilder out = new StringBuilder();
            JsonNode node = root;
            for (String part : path.split("\\.")) {
                String step = part;
                if (part.equals("*")) {
                    step = Integer.toString(random.nextInt(node.size()));
                }
                node = node.isArray() ? node.path(Integer.parseInt(step)) : node.path(step);
                out.append(out.isEmpty() ? "" : ".").append(step);
            }
            return out.toString();
        }
    }

    private static String brief(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    /** Sets (or with {@code remove}, deletes) the node at a dotted path; numbers index arrays. */
    private static byte[] mutate(ObjectNode root, String path, JsonNode value, boolean remove) {
        String[] parts = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.isArray() ? parent.path(Integer.parseInt(parts[i])) : parent.path(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        } else if (parent instanceof ObjectNode object) {
            if (remove) {
                object.remove(last);
            } else {
                object.set(last, value);
            }
        } else {
            throw new IllegalArgumentException("no parent for " + path);
        }
        return bytes(root);
    }

    private static byte[] bytes(JsonNode node) {
        return JSON.writeValueAsBytes(node);
    }

    /** Positions of JSON structure characters outside string literals. */
    private static List<Integer> structuralPositions(String text) {
        List<Integer> positions = new ArrayList<>();
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    positions.add(i);
                }
            } else if (c == '"') {
                inString = true;
                positions.add(i);
            } else if ("{}[]:,".indexOf(c) >= 0) {
                positions.add(i);
            }
        }
        // removing the separator between the last two closing braces would still leave valid JSON in no case,
        // but a comma removed between array elements of numbers could: keep only quotes, colons and brackets
        return positions.stream().filter(i -> text.charAt(i) != ',').toList();
    }

    private Case vapi(String name, byte[] body, Expect expect) {
        return new Case(name, "/webhooks/vapi", "POST", "application/json", body, secret(), expect, false);
    }

    private static Map<String, String> secret() {
        return Map.of("X-Vapi-Secret", TestFixtures.VAPI_SECRET);
    }

    private byte[] lastSigned;

    private static String offByOneDigit(String hex) {
        char last = hex.charAt(hex.length() - 1);
        return hex.substring(0, hex.length() - 1) + (last == '0' ? '1' : '0');
    }

    private List<Map<String, String>> badCredentials(byte[] body) {
        lastSigned = body;
        long now = Instant.now().getEpochSecond();
        String fresh = Long.toString(now);
        String stale = Long.toString(now - 301);
        String future = Long.toString(now + 3600);
        String good = Signatures.vapi("sha256", TestFixtures.HMAC_SECRET, fresh, body);
        return List.of(
                Map.of(),
                Map.of("X-Vapi-Secret", "guess"),
                Map.of("X-Vapi-Secret", ""),
                Map.of("X-Vapi-Secret", "x" + TestFixtures.VAPI_SECRET),
                Map.of("X-Vapi-Secret", TestFixtures.VAPI_SECRET.toUpperCase()),
                Map.of("X-Vapi-Secret", "x".repeat(4000)),
                Map.of("Authorization", "Bearer guess"),
                Map.of("Authorization", "Basic " + TestFixtures.VAPI_SECRET),
                Map.of("Authorization", "Bearer"),
                Map.of("x-timestamp", fresh, "x-signature", "sha256=" + "0".repeat(64)),
                Map.of("x-timestamp", fresh, "x-signature", good.substring(0, 63)),
                // one hex digit off (upper case, which is still the same hex): must never pass
                Map.of("x-timestamp", fresh, "x-signature", "sha256=" + offByOneDigit(good).toUpperCase()),
                Map.of("x-timestamp", stale, "x-signature", "sha256="
                        + Signatures.vapi("sha256", TestFixtures.HMAC_SECRET, stale, body)),
                Map.of("x-timestamp", future, "x-signature", "sha256="
                        + Signatures.vapi("sha256", TestFixtures.HMAC_SECRET, future, body)),
                Map.of("x-timestamp", "yesterday", "x-signature", good),
                Map.of("x-timestamp", "99999999999999999999999", "x-signature", good),
                Map.of("x-timestamp", fresh),
                Map.of("x-signature", good),
                Map.of("x-timestamp", fresh, "x-signature", "sha256="
                        + Signatures.vapi("sha256", "wrong-secret", fresh, body)),
                Map.of("x-timestamp", fresh, "x-signature", "sha256="
                        + Signatures.vapi("sha256", TestFixtures.HMAC_SECRET, fresh, "{}".getBytes())));
    }

    // ---------------------------------------------------------------- Twilio's callbacks

    private Map<String, String> twilioForm() {
        String sid = "CA" + new UUID(random.nextLong(), random.nextLong()).toString().replace("-", "");
        callSids.add(sid);
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : samples.twilioForm().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        form.put("CallSid", sid);
        return form;
    }

    private static String encode(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        form.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private Case signedTwilio(String name, String body, Expect expect) {
        String url = http.baseUrl() + "/webhooks/twilio/status";
        Map<String, List<String>> parsed;
        try {
            parsed = TwilioForms.parse(body);
        } catch (IllegalArgumentException e) {
            parsed = Map.of();
        }
        String signature = TwilioSignature.compute(TestFixtures.TWILIO_TOKEN, url, parsed);
        return new Case(name, "/webhooks/twilio/status", "POST", "application/x-www-form-urlencoded",
                body.getBytes(StandardCharsets.UTF_8), Map.of("X-Twilio-Signature", signature), expect, false);
    }

    private List<Case> twilioCases() {
        List<Case> cases = new ArrayList<>();
        // required parameters missing or empty
        for (String field : List.of("CallSid", "CallStatus")) {
            for (int i = 0; i < 3; i++) {
                Map<String, String> form = twilioForm();
                form.remove(field);
                cases.add(signedTwilio("without " + field, encode(form), Expect.REFUSED));
                Map<String, String> blank = twilioForm();
                blank.put(field, pick(List.of("", " ", "\t")));
                cases.add(signedTwilio("blank " + field, encode(blank), Expect.REFUSED));
            }
        }
        // numbers that are no numbers, too big, negative or fractional
        for (String field : List.of("CallDuration", "SequenceNumber")) {
            for (String value : List.of("abc", "-1", "-194", "1e308", "99999999999999999999999", "2147483648", "3.5",
                    "0x10", "194 s", "∞", "NaN", "-0x1")) {
                Map<String, String> form = twilioForm();
                form.put(field, value);
                cases.add(signedTwilio(field + "=" + value, encode(form), Expect.REFUSED));
            }
        }
        for (String value : List.of("yesterday", "2026-11-03T14:08:26Z", "Mon, 32 Nov 2026 14:08:26 +0000",
                "Mon, 03 Nov 99999 14:08:26 +0000", "Mon, 03 Nov 1800 14:08:26 +0000", "\u0000")) {
            Map<String, String> form = twilioForm();
            form.put("Timestamp", value);
            cases.add(signedTwilio("Timestamp=" + value, encode(form), Expect.REFUSED));
        }
        for (String sid : List.of("x".repeat(10_000), "CA\u0000bad")) {
            Map<String, String> form = twilioForm();
            form.put("CallSid", sid);
            cases.add(signedTwilio("CallSid of " + sid.length() + " chars", encode(form), Expect.REFUSED));
        }
        // bodies that are no form encoding
        for (String body : List.of("%", "CallSid=%zz", "CallSid=CA1&CallStatus=%E0%A4%A", "{\"CallSid\":\"CA1\"}",
                "=&=&=", "", "\u0000")) {
            cases.add(signedTwilio("form " + JSON.writeValueAsString(body), body, Expect.REFUSED));
        }
        // forged, stale, missing signatures, and signatures over something else
        for (int i = 0; i < 5; i++) {
            Map<String, String> form = twilioForm();
            String body = encode(form);
            String url = http.baseUrl() + "/webhooks/twilio/status";
            Map<String, List<String>> parsed = TwilioForms.parse(body);
            Map<String, String> tampered = new LinkedHashMap<>(form);
            tampered.put("CallDuration", "1");
            List<Map<String, String>> headers = List.of(Map.of(),
                    Map.of("X-Twilio-Signature", ""),
                    Map.of("X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
                    Map.of("X-Twilio-Signature", "not base64 !!"),
                    Map.of("X-Twilio-Signature", TwilioSignature.compute("wrong-token", url, parsed)),
                    Map.of("X-Twilio-Signature", TwilioSignature.compute(TestFixtures.TWILIO_TOKEN,
                            "https://example.com/webhooks/twilio/status", parsed)),
                    Map.of("X-Twilio-Signature", TwilioSignature.compute(TestFixtures.TWILIO_TOKEN, url + "?x=1", parsed)),
                    Map.of("X-Twilio-Signature", TwilioSignature.compute(TestFixtures.TWILIO_TOKEN, url,
                            TwilioForms.parse(encode(tampered)))),
                    Map.of("X-Vapi-Secret", TestFixtures.VAPI_SECRET),
                    Map.of("X-Twilio-Signature", "x".repeat(5000)));
            for (Map<String, String> header : headers) {
                cases.add(new Case("signature " + header.values().stream().map(v -> v.substring(0, Math.min(12, v.length())))
                        .toList(), "/webhooks/twilio/status", "POST", "application/x-www-form-urlencoded",
                        body.getBytes(StandardCharsets.UTF_8), header, Expect.REFUSED, false));
            }
        }
        // wrong content types and oversize bodies
        for (String contentType : List.of("application/json", "text/plain", "multipart/form-data; boundary=x",
                "application/xml")) {
            Case signed = signedTwilio("content type " + contentType, encode(twilioForm()), Expect.REFUSED);
            cases.add(new Case(signed.name(), signed.path(), "POST", contentType, signed.body(), signed.headers(),
                    Expect.REFUSED, false));
        }
        Case noType = signedTwilio("no content type", encode(twilioForm()), Expect.REFUSED);
        cases.add(new Case(noType.name(), noType.path(), "POST", null, noType.body(), noType.headers(), Expect.REFUSED, false));
        for (boolean chunked : new boolean[] {false, true}) {
            Map<String, String> form = twilioForm();
            form.put("Padding", "x".repeat(1024 * 1024));
            Case signed = signedTwilio("oversize" + (chunked ? " (chunked)" : ""), encode(form), Expect.REFUSED);
            cases.add(new Case(signed.name(), signed.path(), "POST", signed.contentType(), signed.body(), signed.headers(),
                    Expect.REFUSED, chunked));
        }
        // garbled values, signed as they are (a valid signature over nonsense)
        Map<String, List<String>> garbage = Map.of(
                "CallSid", List.of("", "\u0000", "CA\u0000"),
                "CallStatus", List.of("", "\u0000", "completed\u0000"),
                "CallDuration", List.of("-5", "1e308", "%", "\u0000", "12\u0000"),
                "SequenceNumber", List.of("-5", "1e308", "%", "\u0000"),
                "Timestamp", List.of("Mon, 99 Foo 2026", "%", "\u0000", "Mon, 03 Nov 1800 14:08:26 +0000"));
        List<String> keys = List.of("CallSid", "CallStatus", "CallDuration", "SequenceNumber", "Timestamp");
        for (int i = 0; i < 40; i++) {
            Map<String, String> form = twilioForm();
            String key = pick(keys);
            String value = pick(garbage.get(key));
            form.put(key, value);
            String body = encode(form);
            if (value.equals("%")) {
                body = body.replace(key + "=%25", key + "=%");
            }
            cases.add(signedTwilio("garbled " + key + "=" + JSON.writeValueAsString(value), body, Expect.REFUSED));
        }
        return cases;
    }
}
