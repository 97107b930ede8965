package com.voiceledger.portal;

import com.voiceledger.billing.Invoice;
import com.voiceledger.billing.InvoiceLine;
import com.voiceledger.customer.Customer;
import org.springframework.web.util.HtmlUtils;

/** A print-ready HTML invoice (the browser's "Save as PDF" makes the PDF). Every value is escaped. */
final class InvoiceHtml {

    private InvoiceHtml() {
    }

    static String render(Invoice invoice, Customer customer) {
        StringBuilder html = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8">
                <title>%s</title>
                <style>
                  body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; }
                  table { border-collapse: collapse; width: 100%%; margin-top: 1.5rem; }
                  th, td { border-bottom: 1px solid #ddd; padding: .4rem .5rem; text-align: left; vertical-align: top; }
                  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
                  .muted { color: #666; font-size: .85em; }
                  tfoot td { font-weight: 600; border-bottom: none; }
                  @media print { body { margin: 0; } }
                </style></head><body>
                """.formatted(e(invoice.number())));
        html.append("<h1>Invoice ").append(e(invoice.number())).append("</h1>")
                .append("<p>").append(e(customer.name())).append(" (").append(e(customer.externalId())).append(")<br>")
                .append("Billing month ").append(e(invoice.month().toString())).append(", ")
                .append(e(customer.billingTimeZone().getId())).append("<br>Finalised ")
                .append(invoice.finalizedAt() == null ? "" : e(invoice.finalizedAt().toString())).append("</p>")
                .append("<table><thead><tr><th>#</th><th>Description</th><th class=n>Quantity</th>")
                .append("<th class=n>Unit price</th><th class=n>Amount</th></tr></thead><tbody>");
        int no = 0;
        for (InvoiceLine line : invoice.lines()) {
            html.append("<tr><td>").append(++no).append("</td><td>").append(e(line.description()))
                    .append("<div class=muted>").append(e(line.kind().wireName()));
            Object source = line.explanation().get("priceSource");
            if (source != null) {
                html.append(" · ").append(e(source.toString()));
            }
            Object calls = line.explanation().get("calls");
            if (calls != null) {
                html.append(" · ").append(e(calls.toString())).append(" calls");
            }
            html.append("</div></td><td class=n>")
                    .append(line.quantity() == null ? "" : e(line.quantity().toPlainString() + " " + line.unit()))
                    .append("</td><td class=n>").append(line.unitPrice() == null ? "" : e(line.unitPrice().toPlainString()))
                    .append("</td><td class=n>").append(e(line.amount().toPlainString())).append("</td></tr>");
        }
        html.append("</tbody><tfoot>")
                .append(total("Subtotal", invoice.subtotal().toPlainString(), invoice.currency()))
                .append(total("Credits", invoice.credits().toPlainString(), invoice.currency()))
                .append(invoice.tax().signum() == 0 ? "" : total("Tax", invoice.tax().toPlainString(), invoice.currency()))
                .append(total("Total", invoice.total().toPlainString(), invoice.currency()))
                .append("</tfoot></table></body></html>");
        return html.toString();
    }

    private static String total(String label, String amount, String currency) {
        return "<tr><td></td><td colspan=3>" + label + "</td><td class=n>" + e(amount) + " " + e(currency) + "</td></tr>";
    }

    private static String e(String value) {
        return HtmlUtils.htmlEscape(value);
    }
}
