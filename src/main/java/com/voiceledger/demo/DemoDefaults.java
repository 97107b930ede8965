package com.voiceledger.demo;

import com.voiceledger.database.EmbeddedDatabase;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides whether demo data is on ({@code VOICELEDGER_DEMO_DATA}, default: only on the embedded
 * database) and, when it is, supplies well-known demo credentials for anything not configured, so the
 * README's curl examples work. These defaults have the lowest precedence and never exist in a
 * deployment with a real database. See docs/decisions/0007-demo-mode.md.
 */
public class DemoDefaults implements EnvironmentPostProcessor {

    public static final String VAPI_SECRET = "demo-vapi-secret";
    public static final String TWILIO_AUTH_TOKEN = "demo-twilio-token";
    public static final String ADMIN_API_TOKEN = "demo-admin-token";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty("voiceledger.demo-data");
        boolean demo = configured == null || configured.isBlank()
                ? EmbeddedDatabase.inUse(environment)
                : Boolean.parseBoolean(configured.strip());
        if (!demo) {
            environment.getPropertySources().addLast(new MapPropertySource("voiceledger-demo-defaults",
                    Map.of("voiceledger.demo-data", "false")));
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource("voiceledger-demo-defaults", Map.of(
                "voiceledger.demo-data", "true",
                "voiceledger.vapi.secret", VAPI_SECRET,
                "voiceledger.twilio.auth-token", TWILIO_AUTH_TOKEN,
                "voiceledger.admin-api-token", ADMIN_API_TOKEN)));
    }
}
