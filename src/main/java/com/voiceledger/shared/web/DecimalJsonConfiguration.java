package com.voiceledger.shared.web;

import java.math.BigDecimal;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Decimals leave the API as strings in plain notation ("0.0000025", never "2.5E-6" and never through
 * a client's double). See docs/decisions/0006-decimals-in-json.md.
 */
@Configuration(proxyBeanMethods = false)
class DecimalJsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer decimalsAsPlainStrings() {
        SimpleModule module = new SimpleModule("voiceledger-decimals");
        module.addSerializer(BigDecimal.class, new ValueSerializer<>() {
            @Override
            public void serialize(BigDecimal value, JsonGenerator generator, SerializationContext context) {
                generator.writeString(value.toPlainString());
            }
        });
        return builder -> builder.addModule(module);
    }
}
