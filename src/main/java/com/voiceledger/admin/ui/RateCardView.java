package com.voiceledger.admin.ui;

import com.voiceledger.ui.Formats;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.voiceledger.rating.RatingJob;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.ratecard.NewRateCardVersion;
import com.voiceledger.ratecard.RateCardDiff;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.ratecard.RateCardVersion;
import com.voiceledger.ratecard.RateEntry;
import com.voiceledger.security.CurrentUser;
import com.voiceledger.security.Role;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.Layer;
import com.voiceledger.shared.Units;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The central rate card: versions in order of effect, the entries of one (filterable), a diff between
 * two, and publishing a new version from an existing one with edits. Publishing re-rates the calls
 * from its effective instant in the background; the jobs' progress shows below.
 */
@Route("admin/rate-card")
@PageTitle("Rate card · VoiceLedger")
@Menu(title = "Rate card", order = 105, icon = "vaadin:money")
@RolesAllowed(Role.FINANCE)
class RateCardView extends VerticalLayout {

    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final RateCardService rateCard;
    private final RatingJobs jobs;
    private final CurrentUser currentUser;
    private final Clock clock;
    final Grid<RateCardVersion> versions = new Grid<>(RateCardVersion.class, false);
    final Grid<RateEntry> entries = new Grid<>(RateEntry.class, false);
    final TextField entryFilter = new TextField();
    final ComboBox<RateCardVersion> diffFrom = new ComboBox<>("Compare");
    final ComboBox<RateCardVersion> diffTo = new ComboBox<>("with");
    final Grid<RateCardDiff.Change> diff = new Grid<>(RateCardDiff.Change.class, false);
    final Grid<RatingJob> jobGrid = new Grid<>(RatingJob.class, false);
    final Button newVersion = new Button("New version from this one");

    RateCardView(RateCardService rateCard, RatingJobs jobs, CurrentUser currentUser, Clock clock) {
        this.rateCard = rateCard;
        this.jobs = jobs;
        this.currentUser = currentUser;
        this.clock = clock;
        addClassName("vl-page");

        versions.addColumn(v -> "v" + v.number()).setHeader("Version").setAutoWidth(true).setFlexGrow(0);
        versions.addColumn(v -> UTC.format(v.effectiveFrom())).setHeader("Effective from (UTC)").setAutoWidth(true);
        versions.addColumn(RateCardVersion::currency).setHeader("Currency").setAutoWidth(true);
        versions.addColumn(v -> v.entries().size()).setHeader("Entries").setAutoWidth(true);
        versions.addColumn(RateCardVersion::reason).setHeader("Why").setWidth("16rem").setFlexGrow(1);
        versions.addThemeVariants(com.vaadin.flow.component.grid.GridVariant.LUMO_WRAP_CELL_CONTENT);
        versions.addColumn(v -> v.publishedBy() + ", " + UTC.format(v.publishedAt())).setHeader("Published (UTC)")
                .setAutoWidth(true);
        versions.setAllRowsVisible(true);
        versions.setEmptyStateText("No version yet: publish the first one to price calls.");
        versions.asSingleSelect().addValueChangeListener(event -> showEntries(event.getValue()));

        entryFilter.setPlaceholder("Filter entries (layer, provider, model, unit)");
        entryFilter.setClearButtonVisible(true);
        entryFilter.setValueChangeMode(ValueChangeMode.LAZY);
        entryFilter.setWidth("24rem");
        entryFilter.addValueChangeListener(event -> showEntries(versions.asSingleSelect().getValue()));
        entries.addColumn(RateEntry::layer).setHeader("Layer").setAutoWidth(true);
        entries.addColumn(RateEntry::provider).setHeader("Provider").setAutoWidth(true);
        entries.addColumn(RateEntry::model).setHeader("Model").setAutoWidth(true);
        entries.addColumn(RateEntry::unit).setHeader("Unit").setAutoWidth(true);
        entries.addColumn(e -> Formats.precise(e.unitPrice(), shownCurrency())).setHeader("Unit price").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        entries.setAllRowsVisible(true);
        newVersion.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        newVersion.addClickListener(event -> openEditor(versions.asSingleSelect().getValue()));

        diffFrom.setItemLabelGenerator(v -> "v" + v.number());
        diffTo.setItemLabelGenerator(v -> "v" + v.number());
        diffFrom.addValueChangeListener(event -> showDiff());
        diffTo.addValueChangeListener(event -> showDiff());
        diff.addColumn(RateCardDiff.Change::kind).setHeader("Change").setAutoWidth(true);
        diff.addColumn(RateCardDiff.Change::key).setHeader("Entry").setAutoWidth(true).setFlexGrow(1);
        diff.addColumn(c -> Formats.precise(c.before(), diffCurrency())).setHeader("Before")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        diff.addColumn(c -> Formats.precise(c.after(), diffCurrency())).setHeader("After")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        diff.setAllRowsVisible(true);
        diff.setEmptyStateText("Pick two versions to compare.");

        jobGrid.addColumn(RatingJob::description).setHeader("Re-rating").setFlexGrow(1);
        jobGrid.addColumn(RatingJob::status).setHeader("Status").setAutoWidth(true);
        jobGrid.addComponentColumn(job -> {
            ProgressBar bar = new ProgressBar(0, 100, job.percent());
            bar.setWidth("8rem");
            bar.getElement().setAttribute("aria-label", "Progress of re-rating: " + job.description());
            return bar;
        }).setHeader("Progress").setAutoWidth(true);
        jobGrid.addColumn(job -> job.done() + " / " + job.total() + " calls").setHeader("Calls").setAutoWidth(true);
        jobGrid.addColumn(RateCardView::rate).setHeader("Rate").setAutoWidth(true);
        jobGrid.addColumn(RateCardView::timeLeft).setHeader("Time left").setAutoWidth(true);
        jobGrid.addComponentColumn(this::pauseOrResume).setHeader("").setAutoWidth(true);
        jobGrid.setAllRowsVisible(true);
        jobGrid.setEmptyStateText("No re-rating has run yet.");

        HorizontalLayout entryBar = new HorizontalLayout(entryFilter, newVersion);
        entryBar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(new H2("Rate card"), versions, new H3("Entries"), entryBar, entries, new H3("Differences"),
                new HorizontalLayout(diffFrom, diffTo), diff, new H3("Re-rating jobs"), jobGrid);
        refresh();
        addAttachListener(event -> event.getUI().setPollInterval(2000));
        addDetachListener(event -> event.getUI().setPollInterval(-1));
        addAttachListener(event -> event.getUI().addPollListener(poll -> jobGrid.setItems(jobs.recent(10))));
    }

    /** Calls per second of the instance running the job (measured over its run), while it runs. */
    static String rate(RatingJob job) {
        if (!job.status().equals("RUNNING") || job.rate() == null) {
            return "";
        }
        return String.format(Locale.ROOT, "%,d calls/s", job.rate().setScale(0, java.math.RoundingMode.HALF_UP).longValue());
    }

    /** The calls left at that rate: an estimate, which ingest beside the job changes. */
    static String timeLeft(RatingJob job) {
        java.time.Duration left = job.timeLeft();
        if (left == null) {
            return job.paused() ? "paused" : "";
        }
        long seconds = left.toSeconds();
        if (seconds < 60) {
            return "about " + Math.max(1, seconds) + " s";
        }
        if (seconds < 3600) {
            return "about " + (seconds + 59) / 60 + " min";
        }
        return String.format(Locale.ROOT, "about %d h %02d min", seconds / 3600, (seconds % 3600 + 59) / 60);
    }

    /** Finance pauses a queued or running re-rating, and resumes a paused one (audited). */
    private Component pauseOrResume(RatingJob job) {
        if (job.pausable()) {
            Button pause = new Button("Pause", event -> {
                jobs.pause(job.id(), currentUser.require().name());
                jobGrid.setItems(jobs.recent(10));
            });
            pause.addThemeVariants(ButtonVariant.LUMO_SMALL);
            pause.getElement().setAttribute("aria-label", "Pause re-rating: " + job.description());
            return pause;
        }
        if (job.paused()) {
            Button resume = new Button("Resume", event -> {
                jobs.resume(job.id(), currentUser.require().name());
                jobGrid.setItems(jobs.recent(10));
            });
            resume.addThemeVariants(ButtonVariant.LUMO_SMALL);
            resume.getElement().setAttribute("aria-label", "Resume re-rating: " + job.description());
            return resume;
        }
        return new com.vaadin.flow.component.html.Span();
    }

    private void refresh() {
        List<RateCardVersion> all = rateCard.versions();
        versions.setItems(all);
        diffFrom.setItems(all);
        diffTo.setItems(all);
        if (!all.isEmpty()) {
            versions.select(all.getLast());
            if (all.size() > 1) {
                diffFrom.setValue(all.get(all.size() - 2));
                diffTo.setValue(all.getLast());
            }
        }
        jobGrid.setItems(jobs.recent(10));
    }

    private void showEntries(@Nullable RateCardVersion version) {
        String filter = entryFilter.getValue() == null ? "" : entryFilter.getValue().toLowerCase(Locale.ROOT).strip();
        entries.setItems(version == null ? List.of() : version.entries().stream()
                .filter(e -> filter.isEmpty() || e.key().toLowerCase(Locale.ROOT).contains(filter)).toList());
    }

    private void showDiff() {
        if (diffFrom.getValue() == null || diffTo.getValue() == null) {
            diff.setItems(List.of());
            return;
        }
        diff.setItems(rateCard.diff(diffFrom.getValue().number(), diffTo.getValue().number()).changes());
    }

    /** The editor: the chosen version's entries as editable rows, an effective instant and a reason. */
    void openEditor(@Nullable RateCardVersion base) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(base == null ? "First rate card version" : "New version from v" + base.number());
        dialog.setWidth("min(70rem, 96vw)");
        List<EditableEntry> rows = new ArrayList<>();
        if (base != null) {
            base.entries().forEach(e -> rows.add(new EditableEntry(e.layer(), e.provider(), e.model(), e.unit(),
                    e.unitPrice().toPlainString())));
        }
        Grid<EditableEntry> grid = new Grid<>(EditableEntry.class, false);
        // each cell's field names itself: a screen reader hears "Provider", not an unlabelled box
        grid.addComponentColumn(row -> select("Layer", Layer.ALL, row.layer, value -> row.layer = value))
                .setHeader("Layer");
        grid.addComponentColumn(row -> text("Provider", row.provider, value -> row.provider = value))
                .setHeader("Provider");
        grid.addComponentColumn(row -> text("Model", row.model, value -> row.model = value)).setHeader("Model");
        grid.addComponentColumn(row -> select("Unit", Units.UNITS, row.unit, value -> row.unit = value))
                .setHeader("Unit");
        grid.addComponentColumn(row -> text("Unit price", row.price, value -> row.price = value))
                .setHeader("Unit price").setKey("price");
        grid.addComponentColumn(row -> {
            Button remove = new Button("Remove", event -> {
                rows.remove(row);
                grid.setItems(rows);
            });
            remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
            return remove;
        }).setAutoWidth(true).setFlexGrow(0);
        grid.setItems(rows);
        grid.setHeight("24rem");
        Button addRow = new Button("Add entry", event -> {
            rows.add(new EditableEntry("llm", "", "*", "prompt_token", ""));
            grid.setItems(rows);
            // the new row is the last of possibly hundreds: bring it into view to be filled in
            grid.scrollToEnd();
        });

        DateTimePicker effectiveFrom = new DateTimePicker("Effective from (UTC)");
        effectiveFrom.setValue(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).withSecond(0).withNano(0));
        TextField reason = new TextField("Reason (for the audit log)");
        reason.setWidth("30rem");
        reason.setRequired(true);
        Paragraph hint = new Paragraph("Calls that started at or after the effective instant are re-rated "
                + "in the background. Invoiced months are never touched.");
        hint.addClassName("vl-muted");
        Button publish = new Button("Publish", event -> {
            try {
                List<RateEntry> entries = rows.stream().map(EditableEntry::toEntry).toList();
                RateCardVersion published = rateCard.publish(new NewRateCardVersion(
                        effectiveFrom.getValue() == null ? null : effectiveFrom.getValue().toInstant(ZoneOffset.UTC),
                        base == null ? "USD" : base.currency(), reason.getValue(), entries),
                        currentUser.require().name());
                dialog.close();
                refresh();
                notify("Published v" + published.number() + "; calls are being re-rated", NotificationVariant.LUMO_SUCCESS);
            } catch (BadRequestException e) {
                notify(e.getMessage(), NotificationVariant.LUMO_ERROR);
            }
        });
        publish.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout meta = new HorizontalLayout(effectiveFrom, reason);
        meta.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        dialog.add(new VerticalLayout(meta, hint, grid, addRow));
        dialog.getFooter().add(new Button("Cancel", event -> dialog.close()), publish);
        dialog.open();
    }

    private static TextField text(String label, String value, java.util.function.Consumer<String> onChange) {
        TextField field = new TextField();
        field.setAriaLabel(label);
        field.setValue(value);
        field.setWidthFull();
        field.addValueChangeListener(event -> onChange.accept(event.getValue()));
        return field;
    }

    private static ComboBox<String> select(String label, java.util.Set<String> options, String value,
            java.util.function.Consumer<String> onChange) {
        ComboBox<String> box = new ComboBox<>();
        box.setAriaLabel(label);
        box.setItems(options.stream().sorted().toList());
        box.setValue(value);
        box.setWidthFull();
        box.addValueChangeListener(event -> onChange.accept(event.getValue()));
        return box;
    }

    private static void notify(String message, NotificationVariant variant) {
        Notification.show(message, 6000, Notification.Position.BOTTOM_START).addThemeVariants(variant);
    }

    /** One row of the editor, mutable while editing; becomes a validated {@link RateEntry} on publish. */
    static final class EditableEntry {
        String layer;
        String provider;
        String model;
        String unit;
        String price;

        EditableEntry(String layer, String provider, String model, String unit, String price) {
            this.layer = layer;
            this.provider = provider;
            this.model = model;
            this.unit = unit;
            this.price = price;
        }

        RateEntry toEntry() {
            BigDecimal unitPrice;
            try {
                unitPrice = new BigDecimal(price.strip());
            } catch (NumberFormatException | NullPointerException e) {
                throw new BadRequestException("unit price of " + layer + " " + provider + " " + model + " " + unit
                        + " is not a number: '" + price + "'");
            }
            return new RateEntry(layer, provider, model, unit, unitPrice);
        }
    }

    /** The currency of the version whose entries are shown (a rate card version has one). */
    private String shownCurrency() {
        RateCardVersion shown = versions.asSingleSelect().getValue();
        return shown == null ? "USD" : shown.currency();
    }

    private String diffCurrency() {
        return diffTo.getValue() != null ? diffTo.getValue().currency()
                : diffFrom.getValue() != null ? diffFrom.getValue().currency() : "USD";
    }
}
