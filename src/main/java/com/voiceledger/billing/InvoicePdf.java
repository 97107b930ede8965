package com.voiceledger.billing;

import com.voiceledger.customer.BillingDetails;
import com.voiceledger.customer.Customer;
import com.voiceledger.shared.ConflictException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.jspecify.annotations.Nullable;

/**
 * A final invoice as a PDF a finance team can send (issue #31, decision 0070): issuer and customer blocks,
 * number, dates, every line with its explanation summary, totals, payment terms, and the portal link to the
 * calls behind the lines. Rendered from the final invoice alone, deterministically: the document's dates are the
 * finalization's, its file identifier a hash of its content, the font subset named from the glyphs it uses, so
 * the same invoice downloaded twice is the same bytes. Only final invoices have one; a draft still changes.
 */
public final class InvoicePdf {

    // page geometry in whole points (PDF coordinates, never money: floats stay in PDFBox's parameters)
    static final int MARGIN = 50;
    static final int WIDTH = (int) PDRectangle.A4.getWidth();
    static final int HEIGHT = (int) PDRectangle.A4.getHeight();
    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

    private InvoicePdf() {
    }

    /** {@code details}: whom the document is addressed to (decision 0077); null prints the customer's name alone. */
    public static byte[] render(Invoice invoice, Customer customer, @Nullable BillingDetails details,
            InvoiceIssuer issuer) {
        if (!invoice.isFinal() || invoice.finalizedAt() == null) {
            throw new ConflictException("invoice " + invoice.id() + " is " + invoice.status() + ": a PDF is made once it "
                    + "is final" + (invoice.finalizesAt() == null ? "" : " (it finalizes at " + invoice.finalizesAt() + ")"));
        }
        try (PDDocument document = new PDDocument(); InputStream font = InvoicePdf.class.getResourceAsStream(FONT)) {
            if (font == null) {
                throw new IllegalStateException("the PDF font is missing from the classpath: " + FONT);
            }
            Writer writer = new Writer(document, PDType0Font.load(document, font, true));
            write(writer, invoice, customer, details, issuer);
            writer.finish();
            Calendar finalized = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.ROOT);
            finalized.setTimeInMillis(invoice.finalizedAt().toEpochMilli());
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle(title(invoice) + " " + invoice.number());
            info.setAuthor(issuer.issuerName());
            info.setSubject((details == null ? customer.name() : details.legalName()) + ", " + invoice.month());
            info.setCreator("VoiceLedger");
            info.setProducer("VoiceLedger");
            info.setCreationDate(finalized);
            info.setModificationDate(finalized);
            byte[] id = fileId(invoice);
            COSArray ids = new COSArray();
            ids.add(new COSString(id));
            ids.add(new COSString(id));
            document.getDocument().getTrailer().setItem(COSName.ID, ids);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not render invoice " + invoice.number() + " as PDF", e);
        }
    }

    private static void write(Writer pdf, Invoice invoice, Customer customer, @Nullable BillingDetails details,
            InvoiceIssuer issuer) throws IOException {
        String currency = invoice.currency();
        LocalDate issued = invoice.finalizedAt().atZone(customer.billingTimeZone()).toLocalDate();
        pdf.text(MARGIN, 18, title(invoice) + " " + invoice.number());
        pdf.down(26);
        int top = pdf.y;
        pdf.text(MARGIN, 9, "From");
        pdf.down(13);
        pdf.text(MARGIN, 10, issuer.issuerName());
        for (String line : issuer.issuerAddress()) {
            pdf.down(13);
            pdf.text(MARGIN, 10, line);
        }
        if (!issuer.issuerTaxId().isBlank()) {
            pdf.down(13);
            pdf.text(MARGIN, 10, "Tax id " + issuer.issuerTaxId());
        }
        int left = pdf.y;
        pdf.y = top;
        int right = WIDTH / 2 + 20;
        pdf.text(right, 9, "Bill to");
        pdf.down(13);
        List<String> billTo = new ArrayList<>();
        if (details == null) {
            billTo.add(customer.name());
        } else {
            billTo.add(details.legalName());
            billTo.addAll(details.address().printed());
            if (details.taxId() != null) {
                billTo.add("Tax id " + details.taxId());
            }
        }
        billTo.add("Customer " + customer.externalId());
        if (details != null && details.purchaseOrder() != null) {
            billTo.add("Purchase order " + details.purchaseOrder());
        }
        for (int i = 0; i < billTo.size(); i++) {
            if (i > 0) {
                pdf.down(13);
            }
            // a long name or street wraps within the block rather than running off the page
            List<String> wrapped = pdf.wrap(billTo.get(i), 10, WIDTH - MARGIN - right);
            for (int w = 0; w < wrapped.size(); w++) {
                if (w > 0) {
                    pdf.down(13);
                }
                pdf.text(right, 10, wrapped.get(w));
            }
        }
        pdf.y = Math.min(left, pdf.y);
        pdf.down(26);
        pdf.text(MARGIN, 10, "Billing month " + invoice.month() + " (" + customer.billingTimeZone().getId() + ")");
        pdf.down(13);
        pdf.text(MARGIN, 10, "Issued " + DAY.format(issued) + ", due " + DAY.format(issued.plusDays(issuer.paymentTermsDays()))
                + " (payment within " + issuer.paymentTermsDays() + " days)");
        pdf.down(24);

        int quantityRight = 380;
        int priceRight = 470;
        int amountRight = WIDTH - MARGIN;
        pdf.text(MARGIN, 9, "#");
        pdf.text(MARGIN + 20, 9, "Description");
        pdf.right(quantityRight, 9, "Quantity");
        pdf.right(priceRight, 9, "Unit price");
        pdf.right(amountRight, 9, "Amount (" + currency + ")");
        pdf.down(4);
        pdf.rule();
        int number = 0;
        for (InvoiceLine line : invoice.lines()) {
            String quantity = line.quantity() == null ? "" : plain(line.quantity()) + " " + line.unit();
            // the description wraps before the right-aligned quantity begins, however long that is
            float descriptionWidth = Math.min(quantityRight - 110 - MARGIN - 20,
                    quantityRight - pdf.width(quantity, 10) - 12 - MARGIN - 20);
            List<String> description = pdf.wrap(line.description(), 10, descriptionWidth);
            List<String> detail = pdf.wrap(summary(line), 8, descriptionWidth);
            pdf.room(14 * description.size() + 11 * detail.size() + 8);
            pdf.down(14);
            pdf.text(MARGIN, 10, Integer.toString(++number));
            pdf.right(quantityRight, 10, quantity);
            pdf.right(priceRight, 10, line.unitPrice() == null ? "" : plain(line.unitPrice()));
            pdf.right(amountRight, 10, plain(line.amount()));
            for (int i = 0; i < description.size(); i++) {
                if (i > 0) {
                    pdf.down(13);
                }
                pdf.text(MARGIN + 20, 10, description.get(i));
            }
            for (String text : detail) {
                pdf.down(11);
                pdf.text(MARGIN + 20, 8, text);
            }
            pdf.down(5);
            pdf.rule();
        }
        boolean taxed = invoice.lines().stream().anyMatch(line -> line.kind() == LineKind.TAX);
        pdf.room(taxed ? 84 : 70);
        pdf.down(16);
        pdf.text(priceRight - 80, 10, "Subtotal");
        pdf.right(amountRight, 10, plain(invoice.subtotal()));
        pdf.down(14);
        pdf.text(priceRight - 80, 10, "Credits");
        pdf.right(amountRight, 10, plain(invoice.credits()));
        if (taxed) {
            pdf.down(14);
            pdf.text(priceRight - 80, 10, "Tax");
            pdf.right(amountRight, 10, plain(invoice.tax()));
        }
        pdf.down(16);
        pdf.text(priceRight - 80, 12, "Total");
        pdf.right(amountRight, 12, plain(invoice.total()) + " " + currency);
        pdf.room(60);
        pdf.down(32);
        for (String text : pdf.wrap("Every line explains itself down to the calls and rates behind it: "
                + issuer.portalUrl() + "/invoices/" + invoice.id(), 9, WIDTH - 2 * MARGIN)) {
            pdf.text(MARGIN, 9, text);
            pdf.down(12);
        }
    }

    /**
     * A credit note (its one line is a {@code credit_note}) says so; every other document is an invoice. Read
     * from the line, not the number, whose prefix is a setting (decision 0071) and was another before.
     */
    static String title(Invoice invoice) {
        return invoice.lines().stream().anyMatch(line -> line.kind() == LineKind.CREDIT_NOTE) ? "Credit note"
                : "Invoice";
    }

    /** The explanation in one line: the line's kind, where its price came from, how many calls are behind it. */
    static String summary(InvoiceLine line) {
        StringBuilder summary = new StringBuilder(line.kind().wireName());
        Object source = line.explanation().get("priceSource");
        if (source != null) {
            summary.append(" · ").append(source);
        }
        Object calls = line.explanation().get("calls");
        if (calls != null) {
            summary.append(" · ").append(calls).append(" calls");
        }
        return summary.toString();
    }

    private static String plain(BigDecimal value) {
        return value.toPlainString();
    }

    private static byte[] fileId(Invoice invoice) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((invoice.id() + "|" + invoice.number() + "|" + invoice.total() + "|" + invoice.finalizedAt())
                    .getBytes(StandardCharsets.UTF_8));
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes text top-down over as many A4 pages as the lines need; characters the font lacks become '?'. */
    private static final class Writer {

        private final PDDocument document;
        private final PDFont font;
        private @Nullable PDPageContentStream page;
        int y;

        Writer(PDDocument document, PDFont font) throws IOException {
            this.document = document;
            this.font = font;
            newPage();
        }

        private void newPage() throws IOException {
            if (page != null) {
                page.close();
            }
            PDPage next = new PDPage(PDRectangle.A4);
            document.addPage(next);
            page = new PDPageContentStream(document, next);
            y = HEIGHT - MARGIN;
        }

        void down(int points) {
            y -= points;
        }

        /** Starts a new page when less than {@code points} are left above the bottom margin. */
        void room(int points) throws IOException {
            if (y - points < MARGIN + 20) {
                newPage();
            }
        }

        void text(float x, float size, String text) throws IOException {
            page.beginText();
            page.setFont(font, size);
            page.newLineAtOffset(x, y);
            page.showText(printable(text));
            page.endText();
        }

        float width(String text, float size) throws IOException {
            return font.getStringWidth(printable(text)) / 1000 * size;
        }

        void right(float rightEdge, float size, String text) throws IOException {
            String printable = printable(text);
            text(rightEdge - font.getStringWidth(printable) / 1000 * size, size, printable);
        }

        void rule() throws IOException {
            page.setLineWidth(0.5f);
            page.moveTo(MARGIN, y);
            page.lineTo(WIDTH - MARGIN, y);
            page.stroke();
        }

        List<String> wrap(String text, float size, float width) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String word : printable(text).split(" ")) {
                String candidate = current.isEmpty() ? word : current + " " + word;
                if (!current.isEmpty() && font.getStringWidth(candidate) / 1000 * size > width) {
                    lines.add(current.toString());
                    current = new StringBuilder(word);
                } else {
                    current = new StringBuilder(candidate);
                }
            }
            if (!current.isEmpty() || lines.isEmpty()) {
                lines.add(current.toString());
            }
            return lines;
        }

        private String printable(String text) {
            StringBuilder printable = new StringBuilder();
            text.codePoints().forEach(codePoint -> {
                String character = Character.isISOControl(codePoint) ? " " : new String(Character.toChars(codePoint));
                try {
                    font.encode(character);
                    printable.append(character);
                } catch (IOException | IllegalArgumentException e) {
                    printable.append('?');
                }
            });
            return printable.toString();
        }

        void finish() throws IOException {
            if (page != null) {
                page.close();
            }
            int total = document.getNumberOfPages();
            for (int i = 0; i < total; i++) {
                try (PDPageContentStream footer = new PDPageContentStream(document, document.getPage(i),
                        PDPageContentStream.AppendMode.APPEND, true)) {
                    footer.beginText();
                    footer.setFont(font, 8);
                    footer.newLineAtOffset(MARGIN, MARGIN - 20);
                    footer.showText("Page " + (i + 1) + " of " + total);
                    footer.endText();
                }
            }
        }
    }
}
