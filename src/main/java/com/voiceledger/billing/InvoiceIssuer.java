package com.voiceledger.billing;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who issues the invoices, as printed on every PDF (settings {@code voiceledger.invoice.*}): the issuing
 * entity's name and address, its tax id, the payment terms, and the portal address the PDF links to for the
 * calls behind each line, and the issuer's country (ISO code), which decides the EU reverse charge (decision 0079).
 */
@ConfigurationProperties("voiceledger.invoice")
public record InvoiceIssuer(@DefaultValue("VoiceLedger Inc.") String issuerName,
        @DefaultValue({"548 Market Street", "San Francisco, CA 94104", "United States"}) List<String> issuerAddress,
        @DefaultValue("") String issuerTaxId, @DefaultValue("30") int paymentTermsDays,
        @DefaultValue("http://localhost:8080") String portalUrl, @DefaultValue("US") String issuerCountry) {

    public InvoiceIssuer {
        if (paymentTermsDays < 0 || paymentTermsDays > 365) {
            throw new IllegalArgumentException("voiceledger.invoice.payment-terms-days: 0 to 365");
        }
        issuerAddress = List.copyOf(issuerAddress);
        portalUrl = portalUrl.endsWith("/") ? portalUrl.substring(0, portalUrl.length() - 1) : portalUrl;
    }
}
