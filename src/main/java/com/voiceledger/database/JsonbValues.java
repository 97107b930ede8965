package com.voiceledger.database;

import java.util.List;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Values written into jsonb columns (e.g. a call's components: decision 0060). Decimals are JSON numbers in
 * plain notation, exact in jsonb's numeric; not the web's mapper, whose decimals are strings (decision 0006).
 */
public final class JsonbValues {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private JsonbValues() {
    }

    /** A JSON array of the elements (records become objects with their component names as keys). */
    public static String array(List<?> elements) {
        return MAPPER.writeValueAsString(elements);
    }
}
