package com.voiceledger.shared.web;

import com.voiceledger.shared.CustomerId;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Typed ids ({@link CustomerId}) leave every JSON answer as the plain number they wrap
 * ({@code "customerId": 42}, never {@code {"value": 42}}), and the OpenAPI document says so. The value
 * classes stay free of Jackson; this module is the one place that knows how they look in JSON. Reading
 * accepts the number, and the old object shape too, which event publications stored before this change
 * still hold. See docs/decisions/0059-typed-ids-in-json.md.
 */
@Configuration(proxyBeanMethods = false)
class TypedIdJsonConfiguration {

    static {
        SpringDocUtils.getConfig().replaceWithClass(CustomerId.class, Long.class);
    }

    @Bean
    JsonMapperBuilderCustomizer typedIdsAsPlainValues() {
        SimpleModule module = new SimpleModule("voiceledger-typed-ids");
        module.addSerializer(CustomerId.class, new ValueSerializer<>() {
            @Override
            public void serialize(CustomerId id, JsonGenerator generator, SerializationContext context) {
                generator.writeNumber(id.value());
            }
        });
        module.addDeserializer(CustomerId.class, new ValueDeserializer<>() {
            @Override
            public CustomerId deserialize(JsonParser parser, DeserializationContext context) {
                JsonToken token = parser.currentToken();
                if (token == JsonToken.VALUE_NUMBER_INT) {
                    return CustomerId.of(parser.getLongValue());
                }
                if (token == JsonToken.START_OBJECT) {
                    JsonNode legacy = context.readTree(parser);
                    return CustomerId.of(legacy.required("value").asLong());
                }
                return (CustomerId) context.handleUnexpectedToken(CustomerId.class, parser);
            }
        });
        return builder -> builder.addModule(module);
    }
}
