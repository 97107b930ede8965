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

  _render() {
    if (!this.isConnected || !this._options) {
      return;
    }
    const options = { ...this._options, theme: { mode: VlChart._dark() ? 'dark' : 'light' },
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
