package com.voiceledger.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Demo mode (well-known credentials, demo logins) exists only when a start asks for it. */
class DemoDefaultsTest {

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new DemoDefaults().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void aPlainStartOnTheEmbeddedDatabaseHasNoDemoCredentials() {
        StandardEnvironment plain = environment(Map.of());

        assertThat(plain.getProperty("voiceledger.demo-data")).isEqualTo("false");
        assertThat(plain.getProperty("voiceledger.admin-api-token")).isNull();
        assertThat(plain.getProperty("voiceledger.vapi.secret")).isNull();
        assertThat(plain.getProperty("voiceledger.twilio.auth-token")).isNull();
    }

    @Test
    void theRunGoalsEmbeddedRequestTurnsDemoOnOnlyOnTheEmbeddedDatabase() {
        StandardEnvironment embedded = environment(Map.of("voiceledger.demo-data", "embedded"));
        StandardEnvironment external = environment(Map.of("voiceledger.demo-data", "embedded",
                "spring.datasource.url", "jdbc:postgresql://db.example.internal/voiceledger"));

        assertThat(embedded.getProperty("voiceledger.demo-data")).isEqualTo("true");
        assertThat(embedded.getProperty("voiceledger.admin-api-token")).isEqualTo(DemoDefaults.ADMIN_API_TOKEN);
        assertThat(external.getProperty("voiceledger.demo-data")).isEqualTo("false");
        assertThat(external.getProperty("voiceledger.admin-api-token")).isNull();
    }

    @Test
    void configuredCredentialsWinOverDemoOnes() {
        StandardEnvironment demo = environment(Map.of("voiceledger.demo-data", "true",
                "voiceledger.admin-api-token", "a-configured-token"));

        assertThat(demo.getProperty("voiceledger.admin-api-token")).isEqualTo("a-configured-token");
        assertThat(demo.getProperty("voiceledger.vapi.secret")).isEqualTo(DemoDefaults.VAPI_SECRET);
    }

    @Test
    void aMistypedDemoSettingStopsTheStart() {
        assertThatThrownBy(() -> environment(Map.of("voiceledger.demo-data", "yes please")))
                .hasMessageContaining("true, false or embedded");
    }
}
