package com.voiceledger.customer;

import com.voiceledger.shared.BadRequestException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Who an invoice is addressed to (issue #31, decision 0077): legal name, postal address, tax id, the
 * customer's purchase-order number, where invoices are mailed, and whether the customer is exempt from tax.
 * A value that exists is valid: every text trimmed, bounded and free of control characters, the country an
 * ISO 3166-1 alpha-2 code, each e-mail address well-formed; anything else is a 400 naming the field.
 */
public record BillingDetails(String legalName, Address address, @Nullable String taxId, @Nullable String purchaseOrder,
        List<String> billingEmails, boolean taxExempt) {

    public static final int MAX_EMAILS = 10;
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final Pattern TAX_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 .\\-/]*");
    private static final Pattern POSTAL_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 \\-]*");

    /** A postal address; {@code line2}, {@code postalCode} and {@code region} may be left out. */
    public record Address(String line1, @Nullable String line2, String city, @Nullable String postalCode,
            @Nullable String region, String country) {

        public Address {
            line1 = required("address.line1", line1, 200);
            line2 = optional("address.line2", line2, 200);
            city = required("address.city", city, 100);
            postalCode = optional("address.postalCode", postalCode, 20);
            if (postalCode != null && !POSTAL_CODE.matcher(postalCode).matches()) {
                throw new BadRequestException("address.postalCode may hold letters, digits, spaces and hyphens only");
            }
            region = optional("address.region", region, 100);
            country = required("address.country", country, 2).toUpperCase(Locale.ROOT);
            if (!COUNTRIES.contains(country)) {
                throw new BadRequestException("address.country must be an ISO 3166-1 alpha-2 code such as US, DE or FR, not '"
                        + country + "'");
            }
        }

        /** The lines as printed under the name: street, street, "postal code city", region, country. */
        public List<String> printed() {
            List<String> lines = new ArrayList<>();
            lines.add(line1);
            if (line2 != null) {
                lines.add(line2);
            }
            lines.add(postalCode == null ? city : postalCode + " " + city);
            if (region != null) {
                lines.add(region);
            }
            lines.add(Locale.of("", country).getDisplayCountry(Locale.ENGLISH));
            return lines;
        }
    }

    public BillingDetails {
        legalName = required("legalName", legalName, 200);
        if (address == null) {
            throw new BadRequestException("address is required: {line1, line2, city, postalCode, region, country}");
        }
        taxId = optional("taxId", taxId, 40);
        if (taxId != null && !TAX_ID.matcher(taxId).matches()) {
            throw new BadRequestException("taxId may hold letters, digits, spaces and . - / only");
        }
        purchaseOrder = optional("purchaseOrder", purchaseOrder, 100);
        List<String> emails = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String email : billingEmails == null ? List.<String>of() : billingEmails) {
            String mailbox = required("billingEmails[]", email, 254);
            if (!EMAIL.matcher(mailbox).matches()) {
                throw new BadRequestException("billingEmails: '" + mailbox + "' is not an e-mail address");
            }
            if (!seen.add(mailbox.toLowerCase(Locale.ROOT))) {
                throw new BadRequestException("billingEmails lists '" + mailbox + "' twice");
            }
            emails.add(mailbox);
        }
        if (emails.size() > MAX_EMAILS) {
            throw new BadRequestException("billingEmails: at most " + MAX_EMAILS + " addresses");
        }
        billingEmails = List.copyOf(emails);
    }

    /** The same details with another tax exemption (finance's to set). */
    public BillingDetails withTaxExempt(boolean exempt) {
        return new BillingDetails(legalName, address, taxId, purchaseOrder, billingEmails, exempt);
    }

    /**
     * The details as a request carries them, every field possibly missing: {@link #toDetails()} checks them
     * and names the first field that is wrong (Jackson would only say the body could not be read).
     */
    public record Form(@Nullable String legalName, @Nullable AddressForm address, @Nullable String taxId,
            @Nullable String purchaseOrder, @Nullable List<String> billingEmails, @Nullable Boolean taxExempt) {

        public BillingDetails toDetails(boolean currentTaxExempt) {
            if (address == null) {
                throw new BadRequestException("address is required: {line1, line2, city, postalCode, region, country}");
            }
            return new BillingDetails(legalName, new Address(address.line1(), address.line2(), address.city(),
                    address.postalCode(), address.region(), address.country()), taxId, purchaseOrder,
                    billingEmails, taxExempt == null ? currentTaxExempt : taxExempt);
        }
    }

    public record AddressForm(@Nullable String line1, @Nullable String line2, @Nullable String city,
            @Nullable String postalCode, @Nullable String region, @Nullable String country) {
    }

    private static String required(String field, @Nullable String value, int max) {
        String text = optional(field, value, max);
        if (text == null) {
            throw new BadRequestException(field + " is required");
        }
        return text;
    }

    private static @Nullable String optional(String field, @Nullable String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.length() > max) {
            throw new BadRequestException(field + " is longer than " + max + " characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequestException(field + " may not contain control characters (line breaks, tabs)");
        }
        return text;
    }
}
