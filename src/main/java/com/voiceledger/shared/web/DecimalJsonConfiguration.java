package com.voiceledger.shared.web;

import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.InputBounds;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

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
        // Bounded on the way in, before any arithmetic (issue 25, shared.InputBounds): an amount's exponent, a
        // date's year. The refusal is a BadRequestException naming the field, never echoing the value.
        module.addDeserializer(BigDecimal.class, new ValueDeserializer<>() {
            @Override
            public BigDecimal deserialize(JsonParser parser, DeserializationContext context) {
                String field = field(parser);
                return switch (parser.currentToken()) {
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> InputBounds.decimal(field, parser.getDecimalValue());
                    case VALUE_STRING -> InputBounds.decimal(field, parser.getString());
                    default -> throw new BadRequestException(field + " must be a number");
                };
            }
        });
        module.addDeserializer(Instant.class, new ValueDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser parser, DeserializationContext context) {
                return InputBounds.instant(field(parser), text(parser));
            }
        });
        module.addDeserializer(YearMonth.class, new ValueDeserializer<>() {
            @Override
            public YearMonth deserialize(JsonParser parser, DeserializationContext context) {
                return InputBounds.month(field(parser), text(parser));
            }
        });
        module.addDeserializer(LocalDate.class, new ValueDeserializer<>() {
            @Override
            public LocalDate deserialize(JsonParser parser, DeserializationContext context) {
                return InputBounds.date(field(parser), text(parser));
            }
        });
        return builder -> builder.addModule(module);
    }

    private static String field(JsonParser parser) {
        String name = parser.currentName();
        return name == null ? "a value" : "'" + name + "'";
    }

    private static @Nullable String text(JsonParser parser) {
        return parser.currentToken() == JsonToken.VALUE_STRING ? parser.getString() : null;
    }
}
