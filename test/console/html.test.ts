import { describe, expect, it } from 'vitest';
import { escapeHtml, html, page, raw, render, Raw } from '../../sandbox/console/html.ts';

// The console's HTML: every value a record carries is escaped unless this code marked it safe.

describe('escaping', () => {
  it('given text with each of & < > " \', when escaped, then each becomes its entity and the rest is unchanged', () => {
    expect(escapeHtml(`Tom & "Jerry" <b>'s</b> café`)).toBe('Tom &amp; &quot;Jerry&quot; &lt;b&gt;&#39;s&lt;/b&gt; café');
  });

  it('given text already escaped, when escaped again, then its ampersands are escaped too (escape once, at the end)', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });
});

describe('the html template', () => {
  it('given an account name with a script, when interpolated, then it is text, not a tag', () => {
    const name = '<script>alert(1)</script>';

    expect(render(html`<td title="${name}">${name}</td>`)).toBe('<td title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</td>');
  });

  it('given numbers, when interpolated, then they are written as numbers', () => {
    expect(render(html`<td>${42}</td><td>${0}</td><td>${-1.5}</td>`)).toBe('<td>42</td><td>0</td><td>-1.5</td>');
  });

  it('given a nested html, when interpolated, then it is inserted as it is, its own values escaped once', () => {
    const cell = html`<td>${'a & b'}</td>`;

    expect(render(html`<tr>${cell}</tr>`)).toBe('<tr><td>a &amp; b</td></tr>');
  });

  it('given an array of strings and of nested html, when interpolated, then they are joined, the strings escaped and the html not', () => {
    const rows = ['<x>', html`<li>${'<y>'}</li>`, ['&', raw('<hr>')]];

    expect(render(html`<ul>${rows}</ul>`)).toBe('<ul>&lt;x&gt;<li>&lt;y&gt;</li>&amp;<hr></ul>');
  });

  it('given false, null or undefined, when interpolated, then nothing is written (a condition not met)', () => {
    const shown = false;

    expect(render(html`<p>${shown && html`<b>late</b>`}${null}${undefined}</p>`)).toBe('<p></p>');
  });

  it('given markup marked raw, when interpolated, then it is inserted as it is; the result of html is Raw again', () => {
    const markup = html`${raw('<svg></svg>')}`;

    expect(markup).toBeInstanceOf(Raw);
    expect(markup.raw).toBe('<svg></svg>');
  });
});

describe('a page', () => {
  const document = page('Accounts & <owners>', html`<h1>${'Hello <you>'}</h1>`);

  it('when rendered, then it is a complete HTML5 document with its charset, viewport and escaped title', () => {
    expect(document.startsWith('<!doctype html>')).toBe(true);
    expect(document).toContain('<meta charset="utf-8">');
    expect(document).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(document).toContain('<title>Accounts &amp; &lt;owners&gt;</title>');
    expect(document).toContain('<h1>Hello &lt;you&gt;</h1>');
    expect(document.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('when rendered, then its style is inline and it needs no script and no asset from elsewhere', () => {
    expect(document).toMatch(/<style>[^<]*font[^<]*<\/style>/);
    expect(document).not.toContain('<script');
    expect(document).not.toContain('<link');
    expect(document).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('given the default, then the top navigation links Accounts, Executions and Report; given nav: false, then there is none', () => {
    expect(document).toContain('<a href="/">Accounts</a>');
    expect(document).toContain('<a href="/executions">Executions</a>');
    expect(document).toContain('<a href="/report">Report</a>');
    expect(page('Bare', html`<p>x</p>`, { nav: false })).not.toContain('<nav');
  });
});
