package com.voiceledger.customer;

import com.voiceledger.shared.BadRequestException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What finance types to create a customer. Validates itself, so an invalid one cannot exist: the
 * external id is the key the platform puts in call metadata, so it is kept to a safe alphabet.
 */
public record NewCustomer(String externalId, String name, String currency, ZoneId billingTimeZone) {

    private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public NewCustomer {
        if (externalId == null || !EXTERNAL_ID.matcher(externalId).matches()) {
            throw new BadRequestException(
                    "externalId must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (name == null || name.isBlank()) {
            throw new BadRequestException("name is required");
        }
        name = name.strip();
        if (currency == null || !isIsoCurrency(currency)) {
            throw new BadRequestException("currency must be an ISO 4217 code such as USD or EUR");
        }
    }

    /** Parses the loosely typed fields of an API or form request, defaulting USD and UTC. */
    public static NewCustomer parse(@Nullable String externalId, @Nullable String name, @Nullable String currency,
            @Nullable String billingTimeZone) {
        String zone = billingTimeZone == null || billingTimeZone.isBlank() ? "UTC" : billingTimeZone.strip();
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new BadRequestException("billingTimeZone '" + zone + "' is not a time zone such as Europe/Berlin or UTC");
        }
        String code = currency == null || currency.isBlank() ? "USD" : currency.strip().toUpperCase();
        return new NewCustomer(externalId == null ? null : externalId.strip(), name, code, zoneId);
    }

    private static boolean isIsoCurrency(String code) {
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
