package com.voiceledger.billing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How final invoices and credit notes are numbered (settings {@code voiceledger.invoice.numbering.*},
 * decision 0071): the issuing entity whose series they belong to, and the prefixes printed before the year
 * and the number ({@code VL-2026-000123}, {@code VL-CN-2026-000001}). The entity names the series; the
 * prefixes only print it, so a prefix changed mid-year continues the same series.
 */
@ConfigurationProperties("voiceledger.invoice.numbering")
public record InvoiceNumbering(@DefaultValue("VL") String entity, @DefaultValue("VL") String prefix,
        @DefaultValue("VL-CN") String creditNotePrefix) {

    private static final String PREFIX = "[A-Za-z0-9][A-Za-z0-9_-]{0,19}";

    public InvoiceNumbering {
        if (entity.isBlank()) {
            throw new IllegalArgumentException("voiceledger.invoice.numbering.entity must not be blank");
        }
        if (!prefix.matches(PREFIX) || !creditNotePrefix.matches(PREFIX)) {
            throw new IllegalArgumentException("voiceledger.invoice.numbering.prefix and credit-note-prefix: "
                    + "letters, digits, '-' and '_', at most 20; got '" + prefix + "', '" + creditNotePrefix + "'");
        }
        if (prefix.equalsIgnoreCase(creditNotePrefix)) {
            // two series printed alike would give two documents the same number
            throw new IllegalArgumentException("voiceledger.invoice.numbering: invoices and credit notes need "
                    + "different prefixes, both are '" + prefix + "'");
        }
    }
}
