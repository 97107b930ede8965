package com.voiceledger.admin.ui;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.QueryParameters;
import com.voiceledger.contract.ContractService;
import com.voiceledger.contract.PricingModel;
import com.voiceledger.customer.Customer;
import com.voiceledger.ingestion.VapiIngest;
import com.voiceledger.rating.RatingJobs;
import com.voiceledger.ratecard.NewRateCardVersion;
import com.voiceledger.ratecard.RateCardService;
import com.voiceledger.ratecard.RateEntry;
import com.voiceledger.security.Role;
import com.voiceledger.support.KaribuTest;
import com.voiceledger.support.Samples;
import com.voiceledger.support.TestFixtures;
import com.voiceledger.usage.CallDetail;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Finance changes prices and contracts in the console; the customer's call detail shows the new charges. */
class PricingScreensTest extends KaribuTest {

    @Autowired
    TestFixtures fixtures;
    @Autowired
    VapiIngest ingest;
    @Autowired
    RateCardService rateCard;
    @Autowired
    ContractService contracts;
    @Autowired
    RatingJobs jobs;

    Samples samples;
    Customer acme;
    String suffix;
    LocalDate day;

    @BeforeEach
    void data() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        day = LocalDate.of(2035, 1, 1).plusDays(Math.floorMod(suffix.hashCode(), 3000));
        samples = Samples.fresh().onDay(day);
        acme = fixtures.customer(samples.id(Samples.ACME));
        users.create("acme-" + suffix, "Ada Acme", "password-123", Role.CUSTOMER_VIEWER, acme.id());
        users.create("finance-" + suffix, "Finn Finance", "password-123", Role.FINANCE_ADMIN, null);
        rateCard.publish(new NewRateCardVersion(day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), "USD",
                "test day " + suffix, List.of(new RateEntry("platform", "vapi", "*", "minute", new BigDecimal("0.05")))),
                "test");
        jobs.runQueued();
        ingest.ingest("vapi", "application/json", Map.of(), samples.text(Samples.EOCR).getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Grid<CallDetail.Component> components() {
        return _get(Grid.class, spec -> spec.withClasses("vl-components"));
    }

    private String platformRow() {
        loginAs("acme-" + suffix);
        UI.getCurrent().navigate("calls/" + samples.id(Samples.MAIN_CALL_ID));
        return String.join(" | ", GridKt._getFormattedRow(components(), 6));
    }

    @Test
    void financePublishesANewPriceInTheEditorAndTheCustomersCallDetailChanges() {
        // 3.2 min × 0.05
        assertThat(platformRow()).contains("platform | vapi normal | minute | 3.2", "0.05", "0.16 USD");

        loginAs("finance-" + suffix);
        UI.getCurrent().navigate("admin/rate-card");
        RateCardView view = _get(RateCardView.class);
        view.versions.select(rateCard.versionAt(day.atTime(14, 0).toInstant(java.time.ZoneOffset.UTC)).orElseThrow());
        _click(_get(Button.class, spec -> spec.withText("New version from this one")));
        Dialog editor = _get(Dialog.class);
        _get(editor, DateTimePicker.class, spec -> spec.withLabel("Effective from (UTC)")).setValue(day.atTime(1, 0));
        _get(editor, TextField.class, spec -> spec.withLabel("Reason (for the audit log)")).setValue("platform price cut");
        Grid<?> entries = _get(editor, Grid.class);
        TextField price = (TextField) GridKt._getCellComponent(entries, 0, "price");
        assertThat(price.getValue()).isEqualTo("0.05");
        price.setValue("0.04");
        _click(_get(editor, Button.class, spec -> spec.withText("Publish")));
        assertThat(_find(Dialog.class)).isEmpty();
        jobs.runQueued();

        // 3.2 min × 0.04
        assertThat(platformRow()).contains("0.04", "0.128 USD");
    }

    @Test
    void financeAddsAPerMinuteContractWithAPreviewAndTheCallIsReRated() {
        loginAs("finance-" + suffix);
        UI.getCurrent().navigate("admin/contracts", QueryParameters.of("customer", acme.externalId()));
        ContractsView view = _get(ContractsView.class);
        view.effectiveFrom.setValue(LocalDateTime.of(day, java.time.LocalTime.MIDNIGHT));
        @SuppressWarnings("unchecked")
        RadioButtonGroup<PricingModel> model = _get(RadioButtonGroup.class);
        model.setValue(PricingModel.PER_MINUTE);
        view.perMinuteRate.setValue("0.12");
        view.minimumCharge.setValue("0.25");
        view.reason.setValue("all-in deal " + suffix);
        _click(_get(Button.class, spec -> spec.withText("Preview a typical call")));
        // 192 s → 4 min × 0.12
        assertThat(_get(Pre.class).getText()).startsWith("A typical call (3 min 12 s, gpt-4o, ElevenLabs) would cost 0.48 USD");
        _click(_get(Button.class, spec -> spec.withText("Add contract")));
        assertThat(contracts.contractsOf(acme.id())).hasSize(1);
        assertThat(GridKt._size(view.history)).isEqualTo(1);
        jobs.runQueued();

        loginAs("acme-" + suffix);
        UI.getCurrent().navigate("calls/" + samples.id(Samples.MAIN_CALL_ID));
        assertThat(UI.getCurrent().getElement().toString()).isNotNull();
        assertThat(_find(com.vaadin.flow.component.html.Span.class).stream().map(span -> span.getText()))
                .contains("0.48 USD");
    }

    @Test
    void financeAddsIncludedUsageToACostPlusContractAndThePreviewShowsWhatItCovers() {
        loginAs("finance-" + suffix);
        UI.getCurrent().navigate("admin/contracts", QueryParameters.of("customer", acme.externalId()));
        ContractsView view = _get(ContractsView.class);
        view.effectiveFrom.setValue(LocalDateTime.of(day, java.time.LocalTime.MIDNIGHT));
        view.reason.setValue("included minutes " + suffix);
        view.grants.setValue("platform vapi * minute 2 MONTH max=1");
        _click(_get(Button.class, spec -> spec.withText("Preview a typical call")));
        // the example call's 3.2 platform minutes: 2 included, the rest priced
        assertThat(_get(Pre.class).getText()).contains("2 included by grant platform:vapi:*:minute:MONTH");
        _click(_get(Button.class, spec -> spec.withText("Add contract")));
        assertThat(contracts.contractsOf(acme.id())).singleElement().satisfies(contract -> assertThat(
                contract.terms().grants()).singleElement().satisfies(grant -> {
                    assertThat(grant.grantId()).isEqualTo("platform:vapi:*:minute:MONTH");
                    assertThat(grant.rolloverCap()).isEqualByComparingTo("1");
                }));
    }

    @Test
    void financeSeesTheAuditLogAndTheUnpricedQueue() {
        loginAs("finance-" + suffix);
        UI.getCurrent().navigate("admin/audit");
        AuditLogView audit = _get(AuditLogView.class);
        audit.filter.setValue("test day " + suffix);
        assertThat(GridKt._size(audit.grid)).isEqualTo(1);
        UI.getCurrent().navigate("admin/unpriced");
        UnpricedUsageView unpriced = _get(UnpricedUsageView.class);
        // the test day's card prices only the platform: the sample's other layers are queued
        assertThat(unpriced.grid.getListDataView().getItems().map(item -> item.layer() + " " + item.provider()))
                .contains("tts 11labs", "telephony twilio");
    }
}
