package com.voiceledger.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;
import tools.jackson.databind.json.JsonMapper;

/**
 * An ApexCharts chart ({@code frontend/components/vl-chart.js}). The options are built in Java (see
 * {@link Charts}) and sent as JSON; the browser only draws. Every chart in the app has a table or CSV
 * beside it for those who cannot or prefer not to read a chart.
 */
@Tag("vl-chart")
@NpmPackage(value = "apexcharts", version = "4.7.0")
@JsModule("./components/vl-chart.js")
public class Chart extends Component implements HasSize {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public Chart(Object options, String label) {
        setOptions(options);
        getElement().setAttribute("role", "img");
        getElement().setAttribute("aria-label", label);
        setWidthFull();
    }

    /** ApexCharts options (maps, lists, numbers, strings) as JSON. */
    public final void setOptions(Object options) {
        getElement().setProperty("options", JSON.writeValueAsString(options));
    }
}
