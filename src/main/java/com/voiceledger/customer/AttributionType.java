package com.voiceledger.customer;

import com.voiceledger.shared.BadRequestException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The call fields that can tie a call to a customer, by the names the platform uses. */
public enum AttributionType {
    ASSISTANT_ID("assistantId"),
    PHONE_NUMBER_ID("phoneNumberId"),
    ORG_ID("orgId");

    private final String wireName;

    AttributionType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AttributionType fromWireName(String name) {
        return Arrays.stream(values())
                .filter(type -> type.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new BadRequestException("type must be one of "
                        + Arrays.stream(values()).map(AttributionType::wireName).collect(Collectors.joining(", "))));
    }
}
