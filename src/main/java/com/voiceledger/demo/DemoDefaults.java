package com.voiceledger.demo;

import com.voiceledger.database.EmbeddedDatabase;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides whether demo mode is on and, when it is, supplies well-known demo credentials for anything
 * not configured, so the README's curl examples work.
 *
 * <p>Demo mode must be asked for: {@code voiceledger.demo-data} is {@code true}, or {@code embedded}
 * (on only while the embedded database is in use: what {@code ./mvnw spring-boot:run} passes, see
 * pom.xml). Unset, it is off: a {@code java -jar} start never has demo data or demo credentials,
 * whatever database it uses. See docs/decisions/0033-demo-mode-asked-for.md (replaces 0007).
 */
public class DemoDefaults implements EnvironmentPostProcessor {

    public static final String VAPI_SECRET = "demo-vapi-secret";
    public static final String TWILIO_AUTH_TOKEN = "demo-twilio-token";
    public static final String ADMIN_API_TOKEN = "demo-admin-token";

    /** The demo credentials, by the property each one fills. */
    public static final Map<String, String> CREDENTIALS = Map.of(
            "voiceledger.vapi.secret", VAPI_SECRET,
            "voiceledger.twilio.auth-token", TWILIO_AUTH_TOKEN,
            "voiceledger.admin-api-token", ADMIN_API_TOKEN);

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean demo = demoRequested(environment);
        // the decision wins over what was asked ("embedded" becomes true or false), so conditions read a boolean
        environment.getPropertySources().addFirst(new MapPropertySource("voiceledger-demo-mode",
                Map.of("voiceledger.demo-data", Boolean.toString(demo))));
        if (demo) {
            // lowest precedence: anything configured wins over a demo credential
            environment.getPropertySources().addLast(new MapPropertySource("voiceledger-demo-defaults",
                    Map.<String, Object>copyOf(CREDENTIALS)));
        }
    }

    static boolean demoRequested(ConfigurableEnvironment environment) {
        String asked = environment.getProperty("voiceledger.demo-data", "").strip().toLowerCase(Locale.ROOT);
        return switch (asked) {
            case "true" -> true;
            case "embedded" -> EmbeddedDatabase.inUse(environment);
            case "", "false" -> false;
            default -> throw new IllegalStateException(
                    "voiceledger.demo-data must be true, false or embedded, not '" + asked + "'");
        };
    }
}
