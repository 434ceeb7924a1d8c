/**
 * The console's HTML, as plain strings: no template engine, no client script. Everything a page shows
 * comes from the sandbox's records (account names, owners, state names, error messages), which a
 * vendor's webhook or a CSV can fill with anything, so every value is escaped unless it was built here.
 */

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` safe between tags and inside a quoted attribute, in HTML and in SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/**
 * HTML (or SVG) already safe to insert as it is: what `html` returns, or what `raw` marks. A class, not a
 * string, so that a plain string can never pass for safe markup by accident.
 */
export class Raw {
  constructor(readonly raw: string) {}
}

/** Marks `text` as safe markup: only for text this code wrote, never for a record's value. */
export function raw(text: string): Raw {
  return new Raw(text);
}

/**
 * What a template may interpolate. `false`, `null` and `undefined` write nothing, so that
 * `${condition && html`…`}` reads as it means; `true` is left out of the type, being a mistake.
 */
export type HtmlValue = string | number | Raw | false | null | undefined | readonly HtmlValue[];

/** A template whose every value is escaped, except the `Raw` ones (nested `html`, `raw`): the result is `Raw` again. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += interpolated(value) + (strings[index + 1] ?? '');
  });
  return new Raw(out);
}

function interpolated(value: HtmlValue): string {
  if (value instanceof Raw) return value.raw;
  if (Array.isArray(value)) return value.map(interpolated).join('');
  if (value === false || value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

/** The markup, as the string a response sends. */
export function render(markup: Raw): string {
  return markup.raw;
}

const NAV_LINKS: readonly { href: string; label: string }[] = [
  { href: '/', label: 'Accounts' },
  { href: '/executions', label: 'Executions' },
  { href: '/report', label: 'Report' },
];

// Inline and small: the console is served by the sandbox on 127.0.0.1, often offline, and must look
// the same with no asset to fetch.
const STYLE = `
:root { color-scheme: light; --text: #1f2937; --muted: #6b7280; --line: #e5e7eb; --accent: #2563eb; --bg: #ffffff; --panel: #f9fafb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); background: var(--bg); }
nav { display: flex; gap: 1.5rem; align-items: baseline; padding: 0.75rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--panel); }
nav .brand { font-weight: 600; margin-right: 1rem; }
nav a { color: var(--text); text-decoration: none; }
nav a:hover, nav a:focus { color: var(--accent); text-decoration: underline; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.75rem; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
tbody tr:hover { background: var(--panel); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
pre { background: var(--panel); border: 1px solid var(--line); padding: 0.75rem; overflow-x: auto; }
.muted { color: var(--muted); }
svg { max-width: 100%; height: auto; }
`;

/** A complete HTML5 document: `title`, the console's style, its top navigation (unless `nav: false`), and `body` in `<main>`. */
export function page(title: string, body: Raw, options: { nav?: boolean } = {}): string {
  const nav = options.nav ?? true;
  return render(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
${nav && html`<nav><span class="brand">cs-playbooks sandbox</span>${NAV_LINKS.map(({ href, label }) => html`<a href="${href}">${label}</a>`)}</nav>`}
<main>
${body}
</main>
</body>
</html>
`);
}
