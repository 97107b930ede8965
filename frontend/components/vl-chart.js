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
    this._render();
  }

  disconnectedCallback() {
    if (this._chart) {
      this._chart.destroy();
      this._chart = undefined;
    }
  }

  _render() {
    if (!this.isConnected || !this._options) {
      return;
    }
    // Follows the app's Lumo theme attribute, not the OS: the page itself is light unless the app says dark.
    const dark = document.documentElement.getAttribute('theme') === 'dark';
    const options = { ...this._options, theme: { mode: dark ? 'dark' : 'light' },
      chart: { background: 'transparent', ...(this._options.chart || {}) } };
    if (this._chart) {
      this._chart.updateOptions(options);
    } else {
      this._chart = new ApexCharts(this, options);
      this._chart.render();
    }
  }
}

customElements.define('vl-chart', VlChart);
