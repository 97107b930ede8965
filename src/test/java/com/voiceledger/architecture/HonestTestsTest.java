package com.voiceledger.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Cheap text checks of the test sources for the habits in docs/reliability.md, "How we keep tests
 * honest": a test that asserts nothing cannot fail, and a signature test that signs with the code's
 * own signer agrees with any change in what the code MACs. A scan of the source, not a proof: it looks
 * for an assertion in the test method or in a method of the same file that the test calls (at any
 * depth), so a helper elsewhere that asserts must be named in {@link #ASSERTING_HELPERS}.
 */
class HonestTestsTest {

    static final Path TESTS = Path.of("src", "test", "java");

    /**
     * What counts as an assertion in a method body: AssertJ and JUnit assertions, ArchUnit's and
     * Modulith's checks, and the lookups that fail the test when what they wait for never comes
     * (Karibu's {@code _get}, Playwright's {@code waitForURL} and {@code waitFor}).
     */
    static final Pattern ASSERTION = Pattern.compile("\\bassert\\w*\\s*\\(|\\bAssertions\\.|\\bverify\\s*\\(|\\bfail\\s*\\("
            + "|\\bcheck\\s*\\(|\\.verify\\s*\\(\\)|\\b_get\\s*\\(|\\b_assert\\w*\\s*\\(|\\bwaitForURL\\s*\\(|\\.waitFor\\s*\\(");

    /** Helpers in support/ that assert on behalf of their callers. */
    static final Set<String> ASSERTING_HELPERS = Set.of();

    static final Pattern TEST_METHOD = Pattern.compile("@(?:Test|ParameterizedTest|RepeatedTest)\\b(?:\\([^)]*\\))?"
            + "(?:\\s*@[\\w.]+(?:\\((?:[^()]|\\([^()]*\\))*\\))?)*\\s*(?:public\\s+|protected\\s+)?void\\s+(\\w+)\\s*"
            + "\\([^)]*\\)\\s*(?:throws [\\w.,\\s]+)?\\{");
    static final Pattern ANY_METHOD = Pattern.compile(
            "(?m)^\\s+(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:(?:public|protected|private|static|final|synchronized)\\s+)*"
                    + "(?:<[^>]+>\\s+)?[\\w.<>\\[\\],? ]+\\s+(\\w+)\\s*\\([^)]*\\)\\s*(?:throws [\\w.,\\s]+)?\\{");

    @Test
    void everyTestMethodAssertsSomethingItselfOrThroughAHelperOfItsFile() throws IOException {
        List<String> silent = new ArrayList<>();
        int annotated = 0;
        int scanned = 0;
        for (Path file : testSources()) {
            String code = withoutStringsAndComments(Files.readString(file));
            annotated += (int) Pattern.compile("@(?:Test|ParameterizedTest|RepeatedTest)\\b").matcher(code).results()
                    .count();
            Map<String, String> bodies = methodBodies(code, ANY_METHOD);
            Set<String> asserting = assertingMethods(bodies);
            Matcher test = TEST_METHOD.matcher(code);
            while (test.find()) {
                scanned++;
                String name = test.group(1);
                String body = body(code, test.end() - 1);
                if (!asserts(body, asserting)) {
                    silent.add(TESTS.relativize(file) + " " + name);
                }
            }
        }
        // the scan saw every test method (counted independently, by its annotation)
        assertThat(scanned).isEqualTo(annotated).isGreaterThan(300);
        assertThat(silent).as("test methods without any assertion").isEmpty();
    }

    @Test
    void signatureTestsNeverSignWithTheProductionSigner() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : testSources()) {
            String code = withoutStringsAndComments(Files.readString(file));
            if (code.contains("VapiAuthenticator.sign(") || code.contains("Alerts.sign(")) {
                offenders.add(TESTS.relativize(file).toString());
            }
        }
        assertThat(offenders).as("tests signing with VapiAuthenticator.sign or Alerts.sign (use support/Signatures)")
                .isEmpty();
    }

    @Test
    void theScanFindsASilentTestAndAcceptsAnAssertingOne() {
        // the positive and the negative control of the scan itself
        String code = withoutStringsAndComments("""
                class X {
                    @Test
                    void silent() {
                        String s = "{ assertThat( }";
                        run();
                    }
                    @Test
                    void throughAHelper() throws Exception {
                        helper();
                    }
                    @ParameterizedTest
                    @ValueSource(ints = {1})
                    void direct(int i) {
                        assertThat(i).isOne();
                    }
                    void run() {
                    }
                    private void helper() {
                        if (true) { nested(); }
                    }
                    static void nested() {
                        org.assertj.core.api.Assertions.assertThat(1).isOne();
                    }
                }
                """);
        Set<String> asserting = assertingMethods(methodBodies(code, ANY_METHOD));
        Map<String, Boolean> verdicts = new LinkedHashMap<>();
        Matcher test = TEST_METHOD.matcher(code);
        while (test.find()) {
            verdicts.put(test.group(1), asserts(body(code, test.end() - 1), asserting));
        }
        assertThat(verdicts).containsExactly(Map.entry("silent", false), Map.entry("throughAHelper", true),
                Map.entry("direct", true));
    }

    // ------------------------------------------------------------------------------------------ helpers

    static List<Path> testSources() throws IOException {
        try (Stream<Path> files = Files.walk(TESTS)) {
            return files.filter(path -> path.toString().endsWith(".java")).sorted().toList();
        }
    }

    static boolean asserts(String body, Set<String> asserting) {
        if (ASSERTION.matcher(body).find()) {
            return true;
        }
        for (String helper : asserting) {
            if (Pattern.compile("\\b" + Pattern.quote(helper) + "\\s*\\(").matcher(body).find()) {
                return true;
            }
        }
        return ASSERTING_HELPERS.stream().anyMatch(body::contains);
    }

    /** The methods of a file that assert, directly or through other methods of the file. */
    static Set<String> assertingMethods(Map<String, String> bodies) {
        Set<String> asserting = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, String> method : bodies.entrySet()) {
                if (!asserting.contains(method.getKey()) && asserts(method.getValue(), asserting)) {
                    asserting.add(method.getKey());
                    grew = true;
                }
            }
        }
        return asserting;
    }

    static Map<String, String> methodBodies(String code, Pattern declaration) {
        Map<String, String> bodies = new LinkedHashMap<>();
        Matcher method = declaration.matcher(code);
        while (method.find()) {
            String name = method.group(1);
            if (!Set.of("if", "for", "while", "switch", "catch", "synchronized", "try").contains(name)) {
                bodies.merge(name, body(code, method.end() - 1), String::concat);
            }
        }
        return bodies;
    }

    /** The text between the brace at {@code open} and its match. */
    static String body(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return code.substring(open + 1, i);
            }
        }
        return code.substring(open + 1);
    }

    /** Text blocks, strings, characters and comments blanked out, so that braces inside them do not count. */
    static String withoutStringsAndComments(String code) {
        return code.replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"")
                .replaceAll("'(?:\\\\.|[^'\\\\\\n])+'", "' '")
                .replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("//[^\\n]*", " ");
    }
}
