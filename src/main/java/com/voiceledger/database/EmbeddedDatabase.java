package com.voiceledger.database;

import org.springframework.core.env.Environment;

/** Whether this instance runs on the embedded PostgreSQL (no datasource URL configured). */
public final class EmbeddedDatabase {

    private EmbeddedDatabase() {
    }

    public static boolean inUse(Environment environment) {
        String url = environment.getProperty("spring.datasource.url");
        return url == null || url.isBlank();
    }
}
