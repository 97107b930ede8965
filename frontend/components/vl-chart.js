import ApexCharts from 'apexcharts';

/**
 * <vl-chart>: a thin wrapper around ApexCharts. The server sets `options` (ApexCharts options as JSON,
 * computed in Java); this element only renders them, following the light/dark theme of the page.
 * No business logic here.
 */
class VlChart extends HTMLElement {
  set options(value) {
    this._options = typeof value === 'string' ? JSON.parse(value) : value;
    this._render();
  }

  get options() {
    return this._options;
  }

  connectedCallback() {
    // re-draw when the user switches between light and dark (the theme attribute on <html> or <body>)
    this._themeObserver = new MutationObserver(() => this._render());
    for (const element of [document.documentElement, document.body]) {
      this._themeObserver.observe(element, { attributes: true, attributeFilter: ['theme', 'style'] });
    }
    this._systemScheme = window.matchMedia('(prefers-color-scheme: dark)');
    this._onSystemScheme = () => this._render();
    this._systemScheme.addEventListener('change', this._onSystemScheme);
    this._render();
  }

  disconnectedCallback() {
    if (this._themeObserver) {
      this._themeObserver.disconnect();
      this._themeObserver = undefined;
      this._systemScheme.removeEventListener('change', this._onSystemScheme);
    }
    if (this._chart) {
      this._chart.destroy();
      this._chart = undefined;
    }
  }

  /**
   * Whether the page is drawn dark: the user's explicit choice (the theme attribute Vaadin's
   * Page.setColorScheme puts on <html>), else the page's color-scheme, else the operating system's.
   */
  static _dark() {
    const theme = (document.documentElement.getAttribute('theme') || '').split(/\s+/);
    if (theme.includes('dark') !== theme.includes('light')) {
      return theme.includes('dark');
    }
    const scheme = getComputedStyle(document.documentElement).colorScheme.trim();
    if (scheme === 'dark' || scheme === 'light') {
      return scheme === 'dark';
    }
    return window.matchMedia('(prefers-color-scheme: dark)').matches;
  }

  /**
   * The formatter for a chart's values, from the `vlValues` the server sent (ui.Charts.Values): the
   * same rule as the tables (docs/decisions/0043-one-money-format.md). Money: the currency's minor unit,
   * more decimals (up to 6) only where a tick or value has them, then the currency code. Count: whole
   * numbers only (a tick between two integers gets no label, so labels never repeat).
   */
  static _formatter(values) {
    if (!values) {
      return undefined;
    }
    if (values.kind === 'count') {
      return (value) => (Number.isInteger(value) ? String(value) : '');
    }
    return (value) => {
      if (value === null || value === undefined || Number.isNaN(Number(value))) {
        return '';
      }
      const number = Math.abs(Number(value)) < 5e-7 ? 0 : Number(value);
      const [whole, fraction = ''] = number.toFixed(6).split('.');
      const significant = fraction.replace(/0+$/, '');
      const digits = significant.length > values.minorDigits ? significant : fraction.slice(0, values.minorDigits);
      return (digits ? `${whole}.${digits}` : whole) + (values.currency ? ` ${values.currency}` : '');
    };
  }

  /** Puts the value formatter on the value axis (x for horizontal bars, else y) and on the tooltips. */
  static _withFormatters(options) {
    const format = VlChart._formatter(options.vlValues);
    if (!format) {
      return options;
    }
    const { vlValues, ...rest } = options;
    const horizontal = rest.plotOptions && rest.plotOptions.bar && rest.plotOptions.bar.horizontal;
    const axis = horizontal ? 'xaxis' : 'yaxis';
    return {
      ...rest,
      [axis]: { ...(rest[axis] || {}), labels: { ...((rest[axis] || {}).labels || {}), formatter: format } },
      tooltip: { ...(rest.tooltip || {}), y: { formatter: format } },
    };
  }

  /** Text as HTML that shows exactly that text: every character that could open markup or an attribute escaped. */
  static _escape(value) {
    return String(value ?? '').replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
  }

  /**
   * The one place names from data (assistant, model, customer and series names, categories) are made safe.
   * ApexCharts writes its tooltips (title, series name, value), its x-axis tooltip and its legend with
   * innerHTML, so each of those goes through a formatter that escapes what it is given; axis labels, titles
   * and annotations are SVG text (textContent), which shows markup as text by itself. Options that would
   * hand ApexCharts HTML of the server's making are dropped. Issue 25: an assistant named
   * <img src=x onerror=…> ran in finance's browser when a bar was hovered.
   */
  static _withSafeText(options) {
    const escape = VlChart._escape;
    const { tooltip = {}, legend = {}, xaxis = {} } = options;
    const { custom, ...safeTooltip } = tooltip;
    const { tooltipHoverFormatter, markers, ...safeLegend } = legend;
    const datetime = xaxis.type === 'datetime';
    // a datetime axis hands the tooltip a timestamp, not a name: shown as the ISO day the data named
    const key = (value) => (datetime && typeof value === 'number'
      ? new Date(value).toISOString().slice(0, 10) : escape(value));
    const valueFormat = (safeTooltip.y || {}).formatter;
    const value = (v, context) => escape(valueFormat ? valueFormat(v, context) : v);
    return {
      ...options,
      legend: { ...safeLegend, formatter: (name) => escape(name) },
      tooltip: {
        ...safeTooltip,
        x: { ...(safeTooltip.x || {}), formatter: key },
        y: { ...(safeTooltip.y || {}), formatter: value, title: { formatter: (name) => escape(name) } },
        z: { formatter: (v) => escape(v), title: '' },
      },
      xaxis: { ...xaxis, tooltip: { ...(xaxis.tooltip || {}), formatter: key } },
    };
  }

  _render() {
    if (!this.isConnected || !this._options) {
      return;
    }
    const withFormatters = VlChart._withSafeText(VlChart._withFormatters(this._options));
    const options = { ...withFormatters, theme: { mode: VlChart._dark() ? 'dark' : 'light' },
      chart: { background: 'transparent', ...(withFormatters.chart || {}) } };
    if (this._chart) {
      this._chart.updateOptions(options);
    } else {
      this._chart = new ApexCharts(this, options);
      this._chart.render();
    }
  }
}

customElements.define('vl-chart', VlChart);
