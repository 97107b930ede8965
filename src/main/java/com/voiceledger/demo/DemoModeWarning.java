package com.voiceledger.demo;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says loudly, at every start in demo mode, which well-known credentials are accepted: anyone who
 * read the README can use them, so such a server must never face the internet.
 */
@Component
@ConditionalOnProperty(name = "voiceledger.demo-data", havingValue = "true")
class DemoModeWarning {

    private static final Logger log = LoggerFactory.getLogger(DemoModeWarning.class);

    private final Environment environment;

    DemoModeWarning(Environment environment) {
        this.environment = environment;
    }

    /** The demo credentials in force (those not replaced by configured ones). */
    List<String> demoCredentialsInUse() {
        return DemoDefaults.CREDENTIALS.entrySet().stream()
                .filter(entry -> entry.getValue().equals(environment.getProperty(entry.getKey())))
                .map(Map.Entry::getKey).sorted().toList();
    }

    @EventListener(ApplicationStartedEvent.class)
    void warn() {
        String line = "*".repeat(100);
        log.warn("\n{}\n*** DEMO MODE: demo data and the demo logins of the README are on; well-known demo credentials "
                + "accepted for: {}.\n*** Anyone who has read the README can sign in. Never expose this server; "
                + "start it without voiceledger.demo-data for real use.\n{}", line, demoCredentialsInUse(), line);
    }
}
