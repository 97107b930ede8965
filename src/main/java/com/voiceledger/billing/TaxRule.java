package com.voiceledger.billing;

import com.voiceledger.customer.BillingDetails;
import com.voiceledger.shared.Money;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The tax line of an invoice under a configured rate (decision 0079), from its taxable amount (subtotal + credits,
 * never below 0) alone: the rate applied and rounded once, half-even, to the minor unit; nothing for a customer
 * exempt from tax (a line of 0 saying so); and, for a business customer in another EU member state than the
 * issuer with a well-formed VAT number of that state, no VAT but the reverse-charge note (a line of 0). Without a
 * configured rate there is no tax line at all.
 */
public final class TaxRule {

    static final Set<String> EU = Set.of("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
            "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE");
    public static final String REVERSE_CHARGE_NOTE = "Reverse charge: VAT to be accounted for by the recipient "
            + "(Article 196, Council Directive 2006/112/EC)";

    private TaxRule() {
    }

    /** The configured rate of a customer, with how invoices name it ("VAT 19%", "Sales tax"). */
    public record Rate(BigDecimal rate, String label) {
    }

    static Optional<InvoiceLine> line(BigDecimal taxable, String currency, @Nullable Rate rate,
            @Nullable BillingDetails details, String issuerCountry) {
        if (rate == null) {
            return Optional.empty();
        }
        BigDecimal base = taxable.max(BigDecimal.ZERO);
        Map<String, Object> explanation = new LinkedHashMap<>();
        explanation.put("taxable", Money.round(base, currency).toPlainString());
        explanation.put("rate", rate.rate().stripTrailingZeros().toPlainString());
        BigDecimal zero = Money.round(BigDecimal.ZERO, currency);
        if (details != null && details.taxExempt()) {
            explanation.put("rule", "the customer is exempt from tax (set by finance)");
            return Optional.of(new InvoiceLine(LineKind.TAX, rate.label() + ": exempt", null, null, null, zero,
                    explanation));
        }
        if (details != null && reverseCharge(details, issuerCountry)) {
            explanation.put("rule", "EU business customer in another member state with VAT number " + details.taxId());
            explanation.put("note", REVERSE_CHARGE_NOTE);
            return Optional.of(new InvoiceLine(LineKind.TAX, REVERSE_CHARGE_NOTE, null, null, null, zero, explanation));
        }
        explanation.put("rule", "taxable × rate, rounded once, half-even, to the minor unit");
        return Optional.of(new InvoiceLine(LineKind.TAX, rate.label(), Money.round(base, currency), currency,
                rate.rate().stripTrailingZeros(), Money.round(base.multiply(rate.rate()), currency), explanation));
    }

    /** Customer and issuer in two EU member states, the customer's VAT number well-formed for its own. */
    static boolean reverseCharge(BillingDetails details, String issuerCountry) {
        String country = details.address().country();
        String issuer = issuerCountry.toUpperCase(Locale.ROOT);
        return EU.contains(country) && EU.contains(issuer) && !country.equals(issuer) && details.taxId() != null
                && wellFormedVatNumber(details.taxId(), country);
    }

    /** The member state's prefix (EL for Greece) and 2–12 letters or digits; VIES is not asked (decision 0079). */
    static boolean wellFormedVatNumber(String taxId, String country) {
        String compact = taxId.replaceAll("[ .\\-/]", "").toUpperCase(Locale.ROOT);
        String prefix = country.equals("GR") ? "EL" : country;
        return compact.startsWith(prefix) && compact.substring(2).matches("[0-9A-Z]{2,12}")
                && compact.substring(2).chars().anyMatch(Character::isDigit);
    }
}
