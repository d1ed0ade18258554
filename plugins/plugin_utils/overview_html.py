# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MSP overview's HTML pages: the index (ranked tenants, changes, trend, fleet alerts, search) and one page
per tenant (sites, devices, clients, alerts). Made by overview_report.write_overview; see docs/reports.md.

Every page is self-contained (its CSS and script inline, a Content-Security-Policy that forbids loading anything)
and every string from the API is escaped: HTML text and attributes through :func:`esc`, data for the scripts
in JSON islands through :func:`island` (no ``<``, ``>`` or ``&`` left), shown by the scripts with textContent."""

from __future__ import annotations

import base64
import gzip
import html
import json
import re

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
FEED_LIMIT = 100          # fleet alerts listed on the index; all of them are in msp_overview_alerts.csv
CHANGED_LIMIT = 25        # tenants listed in the index's "what changed" card
HEALTH_WORDS = {'critical': 'Critical', 'warning': 'Warning', 'healthy': 'Healthy', 'failed': 'Failed',
                'not_provisioned': 'Not in Central'}
SEVERITIES = ('CRITICAL', 'MAJOR', 'MINOR')
CHANGE_WORDS = (('new_critical_alerts', 'new critical alert', 'new critical alerts', 'poor'),
                ('cleared_critical_alerts', 'critical alert cleared', 'critical alerts cleared', 'good'),
                ('devices_offline', 'device gone offline', 'devices gone offline', 'poor'),
                ('devices_back', 'device back online', 'devices back online', 'good'),
                ('sites_degraded', 'site degraded', 'sites degraded', 'poor'),
                ('sites_recovered', 'site recovered', 'sites recovered', 'good'))
TREND = (('tenants_critical', 'Critical tenants'), ('score_average', 'Average score'),
         ('sites_poor', 'Degraded sites'), ('devices_offline', 'Devices offline'),
         ('alerts_critical', 'Active critical alerts'))

CSS = r'''
:root {
  --bg: #f4f6f8; --panel: #ffffff; --panel-2: #f9fafb; --text: #18212b; --muted: #5f6b7a; --line: #e2e7ed;
  --accent: #01a982; --accent-ink: #007a5e; --good: #17a563; --fair: #f0a400; --poor: #e0413a; --none: #c9d1da;
  --crit: #d92d20; --major: #f06d1a; --minor: #d1a000; --failed: #8f1d17; --na: #7b8794; --fair-ink: #a86f00;
  --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .08);
  --radius: 10px;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root:not([data-theme="light"]) {
    --bg: #0f141a; --panel: #171e26; --panel-2: #1c252f; --text: #e6ebf0; --muted: #98a4b3; --line: #2a3542;
    --accent: #2ad0a4; --accent-ink: #2ad0a4; --none: #3a4654; --failed: #ff7a70; --na: #8d99a8; --fair-ink: #f5b83d;
    --shadow: 0 1px 2px rgba(0, 0, 0, .4);
  }
}
:root[data-theme="dark"] {
  --bg: #0f141a; --panel: #171e26; --panel-2: #1c252f; --text: #e6ebf0; --muted: #98a4b3; --line: #2a3542;
  --accent: #2ad0a4; --accent-ink: #2ad0a4; --none: #3a4654; --failed: #ff7a70; --na: #8d99a8; --fair-ink: #f5b83d;
  --shadow: 0 1px 2px rgba(0, 0, 0, .4);
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { display: flex; align-items: center; gap: 16px; padding: 14px 28px; background: var(--panel);
  border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 5; }
.logo { width: 34px; height: 34px; border-radius: 8px; background: linear-gradient(135deg, var(--accent), #0b7a9e);
  display: grid; place-items: center; color: #fff; font-weight: 700; font-size: 15px; letter-spacing: -.5px; }
header.top h1 { font-size: 18px; margin: 0; font-weight: 650; }
header.top .sub { color: var(--muted); font-size: 12.5px; }
header.top .spacer { flex: 1; }
button, input { font: inherit; color: inherit; }
.btn { border: 1px solid var(--line); background: var(--panel-2); border-radius: 8px; padding: 6px 12px; cursor: pointer; }
.btn:hover { border-color: var(--accent); }
main { padding: 22px 28px 40px; max-width: 1500px; margin: 0 auto; }
.kpis { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 14px; margin-bottom: 18px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); }
.kpi { padding: 14px 16px; }
.kpi h2 { margin: 0; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); font-weight: 600; }
.kpi .big { font-size: 30px; font-weight: 700; margin: 2px 0 8px; font-variant-numeric: tabular-nums; }
.kpi .big small { font-size: 13px; font-weight: 500; color: var(--muted); margin-left: 6px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; margin-top: 8px; color: var(--muted); font-size: 12.5px; }
.legend b { color: var(--text); font-weight: 600; font-variant-numeric: tabular-nums; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 5px; vertical-align: 1px; }
.bar { display: flex; height: 8px; border-radius: 4px; overflow: hidden; background: var(--none); min-width: 90px; }
.seg { display: block; height: 100%; }
.seg + .seg { border-left: 1px solid var(--panel); }
.good { background: var(--good); } .fair { background: var(--fair); } .poor { background: var(--poor); }
.none { background: var(--none); } .crit { background: var(--crit); } .major { background: var(--major); }
.minor { background: var(--minor); } .na { background: var(--na); }
.notice { padding: 12px 16px; margin-bottom: 18px; border-left: 4px solid var(--failed); }
.notice h2 { margin: 0 0 6px; font-size: 14px; color: var(--failed); }
.notice ul { margin: 0; padding-left: 18px; }
.notice code, .error code { font-size: 12.5px; white-space: pre-wrap; word-break: break-word; }
.toolbar { display: flex; align-items: center; gap: 10px; padding: 12px 16px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.toolbar h2 { margin: 0 8px 0 0; font-size: 15px; }
.search { border: 1px solid var(--line); background: var(--panel-2); border-radius: 8px; padding: 6px 10px; min-width: 240px; }
.search:focus { outline: 2px solid var(--accent); outline-offset: -1px; }
.pills { display: inline-flex; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.pills button { border: 0; background: transparent; padding: 6px 12px; cursor: pointer; }
.pills button + button { border-left: 1px solid var(--line); }
.pills button[aria-pressed="true"] { background: var(--accent); color: #fff; }
.count { color: var(--muted); font-size: 12.5px; margin-left: auto; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; }
th, td { padding: 9px 12px; text-align: left; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 600;
  background: var(--panel-2); position: sticky; top: 0; white-space: nowrap; }
th.sortable { cursor: pointer; user-select: none; }
th.sortable:hover { color: var(--text); }
th .arrow { opacity: .35; margin-left: 4px; }
th[aria-sort="ascending"] .arrow, th[aria-sort="descending"] .arrow { opacity: 1; color: var(--accent-ink); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr.tenant { cursor: pointer; }
tbody tr.tenant:hover { background: var(--panel-2); }
tbody tr.tenant.selected { background: color-mix(in srgb, var(--accent) 12%, transparent); box-shadow: inset 3px 0 0 var(--accent); }
tbody tr.tenant:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.tname { font-weight: 600; }
.tname a { color: inherit; text-decoration: none; }
.tid { color: var(--muted); font-size: 11.5px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.cellbar { display: flex; flex-direction: column; gap: 5px; min-width: 130px; }
.cellbar .nums { font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
.cellbar .nums b { color: var(--text); }
.t-poor { color: var(--poor); font-weight: 600; }
#tenants th:nth-child(1) { width: 48px; }
#tenants th:nth-child(2) { width: 26%; }
#tenants td { white-space: nowrap; }
#tenants td:nth-child(2) { white-space: normal; }
.panel-body td { white-space: nowrap; }
.panel-body td.wrap { white-space: normal; min-width: 260px; }
.badge { display: inline-block; padding: 2px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.s-active { background: color-mix(in srgb, var(--major) 14%, transparent); color: var(--major); }
.h-healthy, .s-good, .s-online, .s-connected, .s-cleared { background: color-mix(in srgb, var(--good) 16%, transparent); color: var(--good); }
.h-warning, .s-fair { background: color-mix(in srgb, var(--fair) 20%, transparent); color: var(--fair-ink); }
.h-critical, .s-poor, .s-offline, .s-failed { background: color-mix(in srgb, var(--poor) 15%, transparent); color: var(--poor); }
.h-failed { background: var(--failed); color: #fff; }
.h-not_provisioned, .s-unknown { background: color-mix(in srgb, var(--na) 18%, transparent); color: var(--na); }
.sev { display: inline-flex; align-items: center; justify-content: center; min-width: 26px; padding: 1px 7px;
  border-radius: 6px; font-weight: 700; font-size: 12px; font-variant-numeric: tabular-nums; }
.sev.zero { color: var(--muted); background: transparent; font-weight: 500; }
.sev.CRITICAL { background: var(--crit); color: #fff; } .sev.MAJOR { background: var(--major); color: #fff; }
.sev.MINOR { background: var(--minor); color: #fff; } .sev.OTHER { background: var(--na); color: #fff; }
.alerts-cell { display: flex; gap: 5px; }
.errline { color: var(--failed); font-size: 12.5px; margin-top: 3px; max-width: 520px; }
#detail { margin-top: 18px; }
#detail[hidden] { display: none; }
.dhead { display: flex; align-items: flex-start; gap: 14px; padding: 16px; border-bottom: 1px solid var(--line); }
.dhead h2 { margin: 0; font-size: 18px; }
.dhead .meta { color: var(--muted); font-size: 12.5px; margin-top: 3px; }
.dhead .meta span + span::before { content: "·"; margin: 0 7px; }
.mini { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; padding: 14px 16px;
  border-bottom: 1px solid var(--line); background: var(--panel-2); }
.mini div { font-size: 12.5px; color: var(--muted); }
.mini b { display: block; font-size: 20px; color: var(--text); font-variant-numeric: tabular-nums; }
.tabs { display: flex; gap: 4px; padding: 10px 16px 0; border-bottom: 1px solid var(--line); }
.tabs button { border: 0; background: transparent; padding: 8px 14px; cursor: pointer; border-bottom: 2px solid transparent;
  color: var(--muted); font-weight: 600; }
.tabs button[aria-selected="true"] { color: var(--text); border-bottom-color: var(--accent); }
.tabs .c { display: inline-block; margin-left: 6px; padding: 0 7px; border-radius: 999px; background: var(--panel-2);
  border: 1px solid var(--line); font-size: 11.5px; color: var(--muted); }
.panel-body { padding: 0 0 6px; }
.panel-body .toolbar { border-bottom: 0; }
.empty { padding: 26px 16px; color: var(--muted); text-align: center; }
.error { margin: 16px; padding: 12px 14px; border-radius: 8px; border: 1px solid var(--poor);
  background: color-mix(in srgb, var(--poor) 8%, transparent); }
.more { padding: 10px 16px; color: var(--muted); font-size: 12.5px; display: flex; gap: 10px; align-items: center; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 10px 0 30px; }
@media (max-width: 1100px) { .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); } .mini { grid-template-columns: repeat(2, 1fr); } }
@media print { header.top { position: static; } .toolbar input, .pills, #theme { display: none; } body { background: #fff; } }
a { color: var(--accent-ink); }
a:focus-visible, .btn:focus-visible, th.sortable:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.grid2 { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 14px; margin-bottom: 18px; }
.card h2.title { margin: 0; font-size: 15px; }
.card .head { display: flex; align-items: baseline; gap: 10px; padding: 12px 16px; border-bottom: 1px solid var(--line); }
.card .pad { padding: 12px 16px; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; }
.chip { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap;
  border: 1px solid var(--line); color: var(--muted); }
.chip.poor { background: color-mix(in srgb, var(--poor) 14%, transparent); color: var(--poor); border-color: transparent; }
.chip.good { background: color-mix(in srgb, var(--good) 16%, transparent); color: var(--good); border-color: transparent; }
.chip.new { background: color-mix(in srgb, var(--accent) 16%, transparent); color: var(--accent-ink); border-color: transparent; }
.changed-list { margin: 10px 0 0; padding: 0; list-style: none; }
.changed-list li { padding: 5px 0; border-top: 1px solid var(--line); display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.trend { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; }
.trend .k { font-size: 12px; color: var(--muted); }
.trend .v { font-size: 18px; font-weight: 700; font-variant-numeric: tabular-nums; }
.trend .d { font-size: 12px; margin-left: 6px; color: var(--muted); }
.spark { display: flex; align-items: flex-end; gap: 2px; height: 28px; margin-top: 4px; }
.spark span { flex: 1; background: var(--accent); opacity: .55; min-height: 1px; border-radius: 1px; }
.spark span:last-child { opacity: 1; }
.score { display: flex; align-items: center; gap: 8px; min-width: 120px; }
.score b { font-variant-numeric: tabular-nums; min-width: 36px; text-align: right; }
.score .bar { flex: 1; min-width: 60px; }
.rank { color: var(--muted); font-variant-numeric: tabular-nums; }
#find { min-width: 420px; flex: 1; }
.results { list-style: none; margin: 0; padding: 0 0 6px; }
.results li { border-top: 1px solid var(--line); }
.results a { display: flex; gap: 12px; align-items: baseline; padding: 7px 16px; text-decoration: none; color: inherit; }
.results a:hover, .results a:focus-visible { background: var(--panel-2); }
.results .kind { color: var(--muted); font-size: 12px; min-width: 110px; }
.results .tenant { margin-left: auto; color: var(--muted); }
.back { color: var(--muted); text-decoration: none; font-size: 13px; }
.section { margin-bottom: 18px; }
tr.found { box-shadow: inset 3px 0 0 var(--accent); background: color-mix(in srgb, var(--accent) 10%, transparent); }
.changes-detail h3 { font-size: 13px; margin: 10px 0 4px; }
.changes-detail ul { margin: 0; padding-left: 18px; }
@media (max-width: 1100px) { .grid2 { grid-template-columns: 1fr; } #find { min-width: 0; } }
'''

# Shared by both pages: building nodes from data (text only), sorting tables, the theme button.
COMMON_JS = r'''
'use strict';
function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) {
    if (key === 'text') { node.textContent = attrs.text; } else { node.setAttribute(key, attrs[key]); }
  });
  (children || []).forEach(function (child) {
    if (child === null || child === undefined) { return; }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  });
  return node;
}
function fmt(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'); }
function show(v) { return v === null || v === undefined || v === '' ? '–' : String(v); }
function upper(v) { return String(v === null || v === undefined ? '' : v).toUpperCase(); }
function cellValue(row, index, type) {
  var cell = row.cells[index];
  var raw = cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent.trim();
  if (type === 'num') { var n = parseFloat(raw); return isNaN(n) ? -Infinity : n; }
  return raw.toLowerCase();
}
function makeSortable(table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, index) {
    if (!th.classList.contains('sortable')) { return; }
    th.setAttribute('tabindex', '0');
    function sort() {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var type = th.getAttribute('data-type');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = cellValue(a, index, type), y = cellValue(b, index, type);
        return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
      });
      var fragment = document.createDocumentFragment();
      rows.forEach(function (row) { fragment.appendChild(row); });
      body.appendChild(fragment);
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (event) { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort(); } });
  });
}
(function () {
  var themes = ['auto', 'light', 'dark'];
  var button = document.getElementById('theme');
  function apply(name) {
    if (name === 'auto') { document.documentElement.removeAttribute('data-theme'); } else { document.documentElement.setAttribute('data-theme', name); }
    button.textContent = 'Theme: ' + name;
    button.setAttribute('data-theme-name', name);
  }
  var saved = 'auto';
  try { saved = localStorage.getItem('central-msp-theme') || 'auto'; } catch (ignored) { saved = 'auto'; }
  apply(themes.indexOf(saved) >= 0 ? saved : 'auto');
  button.addEventListener('click', function () {
    var next = themes[(themes.indexOf(button.getAttribute('data-theme-name')) + 1) % themes.length];
    apply(next);
    try { localStorage.setItem('central-msp-theme', next); } catch (ignored) { return; }
  });
}());
'''

# The index: tenant filter and pills, and the search across customers. The tenant rows and the search index are
# gzip-compressed (DecompressionStream, no request): the rows are decoded at once (window.centralMspReady says
# when they are drawn), the search index on first use.
INDEX_JS = r'''
(function () {
  var table = document.getElementById('tenants');
  var body = table.tBodies[0];
  var filter = document.getElementById('tenant-search');
  function unpack(id) {
    var text = atob(JSON.parse(document.getElementById(id).textContent));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i += 1) { bytes[i] = text.charCodeAt(i); }
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  }
  var rows = [];
  var ROWS = 200;
  var limit = ROWS;
  var mode = 'all';
  var sortKey = 'rank', ascending = true;
  var HEALTH = {critical: 'Critical', warning: 'Warning', healthy: 'Healthy', failed: 'Failed', not_provisioned: 'Not in Central'};
  var HEALTH_ORDER = ['failed', 'critical', 'warning', 'healthy', 'not_provisioned'];
  var CHANGES = [['new_critical_alerts', 'new critical', 'poor'], ['cleared_critical_alerts', 'critical cleared', 'good'],
    ['devices_offline', 'offline', 'poor'], ['devices_back', 'back online', 'good'], ['sites_degraded', 'site degraded', 'poor'],
    ['sites_recovered', 'site recovered', 'good']];
  function changeTotal(row) { return Object.keys(row.c).reduce(function (sum, key) { return sum + row.c[key]; }, 0); }
  function isNew(row) { return row.cr !== null && row.cr.indexOf('new') === 0; }
  var SORT = {
    rank: function (r) { return r.r; },
    name: function (r) { return String(r.n || '').toLowerCase(); },
    score: function (r) { return r.s === null ? -1 : r.s; },
    health: function (r) { var i = HEALTH_ORDER.indexOf(r.h); return i < 0 ? 9 : i; },
    changes: function (r) { return changeTotal(r); },
    sites: function (r) { return r.si ? r.si[3] * 1e6 + r.si[2] : -1; },
    devices: function (r) { return r.d ? r.d[1] * 1e6 + r.d[0] : -1; },
    clients: function (r) { return r.cl ? r.cl[0] : -1; },
    alerts: function (r) { return r.a ? r.a[0] * 1e6 + r.a[1] * 1e3 + r.a[2] : -1; }
  };
  function segBar(parts, label) {
    var sum = parts.reduce(function (total, p) { return total + (p[1] || 0); }, 0);
    var node = el('div', {'class': 'bar', role: 'img', 'aria-label': label + ': ' + parts.map(function (p) { return p[2] + ' ' + p[1]; }).join(', ')});
    parts.forEach(function (p) { if (p[1] > 0) { node.appendChild(el('span', {'class': 'seg ' + p[0], style: 'width:' + (p[1] / sum * 100) + '%'})); } });
    if (!sum) { node.appendChild(el('span', {'class': 'seg none', style: 'width:100%'})); }
    return node;
  }
  function dash() { return el('td', {'class': 'muted', text: '–'}); }
  function render(row) {
    var score = row.s === null ? el('span', {'class': 'muted', text: '–'}) : el('div', {'class': 'score'}, [
      el('b', {text: row.s.toFixed(1)}),
      segBar([[row.s < 60 ? 'poor' : row.s < 85 ? 'fair' : 'good', row.s, 'score'], ['none', 100 - row.s, 'rest']], 'Score')]);
    var chips = CHANGES.filter(function (c) { return row.c[c[0]]; }).map(function (c) {
      return el('span', {'class': 'chip ' + c[2], 'data-change': c[0], text: fmt(row.c[c[0]]) + ' ' + c[1]});
    });
    if (!chips.length && row.cr && row.cr !== 'first run') { chips.push(el('span', {'class': 'chip' + (isNew(row) ? ' new' : ''), text: row.cr})); }
    var cells = [
      el('td', {'class': 'n rank', text: String(row.r)}),
      el('td', {}, [el('div', {'class': 'tname'}, [el('a', {href: row.p, text: show(row.n)})]), el('div', {'class': 'tid', text: show(row.w)}),
        row.e ? el('div', {'class': 'errline', text: row.e}) : null]),
      el('td', {}, [score]),
      el('td', {}, [el('span', {'class': 'badge h-' + row.h, text: HEALTH[row.h] || show(row.h)})]),
      el('td', {}, [el('div', {'class': 'chips'}, chips)]),
      row.si ? el('td', {}, [el('div', {'class': 'cellbar'}, [
        segBar([['good', row.si[1], 'Good'], ['fair', row.si[2], 'Fair'], ['poor', row.si[3], 'Poor']], 'Sites'),
        el('div', {'class': 'nums'}, [el('b', {text: fmt(row.si[0])}), ' sites',
          row.si[3] ? el('span', {'class': 't-poor', text: ' · ' + fmt(row.si[3]) + ' poor'}) : null])])]) : dash(),
      row.d ? el('td', {}, [el('b', {text: fmt(row.d[0])}), row.d[1] ? el('div', {'class': 't-poor', text: fmt(row.d[1]) + ' offline'}) : null]) : dash(),
      row.cl ? el('td', {'class': 'n'}, [el('b', {text: fmt(row.cl[0])}),
        row.cl[1] ? el('div', {'class': 'tid', text: fmt(row.cl[1]) + ' failed'}) : null]) : dash(),
      row.a ? el('td', {}, [el('div', {'class': 'alerts-cell'}, ['CRITICAL', 'MAJOR', 'MINOR'].map(function (level, i) {
        return el('span', {'class': 'sev ' + (row.a[i] ? level : 'zero'), title: level.charAt(0) + level.slice(1).toLowerCase(), text: String(row.a[i])});
      }))]) : dash()
    ];
    return el('tr', {'class': 'tenant', 'data-health': row.h, 'data-workspace': show(row.w)}, cells);
  }
  function wanted(row, query) {
    var ok = mode === 'all' || (mode === 'failed' ? row.h === 'failed' : mode === 'changed'
      ? changeTotal(row) > 0 || isNew(row) : ['failed', 'critical', 'warning'].indexOf(row.h) >= 0);
    return ok && (String(row.n || '') + ' ' + String(row.w || '')).toLowerCase().indexOf(query) >= 0;
  }
  function draw() {
    var query = filter.value.trim().toLowerCase();
    var key = SORT[sortKey];
    var shown = rows.filter(function (row) { return wanted(row, query); });
    shown.sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : a.r - b.r) * (ascending ? 1 : -1); });
    var fragment = document.createDocumentFragment();
    shown.slice(0, limit).forEach(function (row) { fragment.appendChild(render(row)); });
    body.textContent = '';
    body.appendChild(fragment);
    document.getElementById('tenant-count').textContent = shown.length === rows.length ? fmt(rows.length) + ' tenants'
      : fmt(shown.length) + ' of ' + fmt(rows.length) + ' tenants';
    document.getElementById('tenant-empty').hidden = shown.length > 0 || rows.length === 0;
    var more = document.getElementById('tenant-more');
    more.textContent = '';
    if (shown.length > limit) {
      var button = el('button', {'class': 'btn', type: 'button', text: 'Show all ' + fmt(shown.length)});
      button.addEventListener('click', function () { limit = Infinity; draw(); });
      more.appendChild(el('span', {text: 'Showing the first ' + fmt(limit) + '. Filter to narrow down, or'}));
      more.appendChild(button);
    }
  }
  filter.addEventListener('input', function () { limit = ROWS; draw(); });
  Array.prototype.forEach.call(document.querySelectorAll('.pills button'), function (button) {
    button.addEventListener('click', function () {
      mode = button.getAttribute('data-show');
      Array.prototype.forEach.call(document.querySelectorAll('.pills button'), function (other) {
        other.setAttribute('aria-pressed', String(other === button));
      });
      limit = ROWS;
      draw();
    });
  });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    function sort() {
      var key = th.getAttribute('data-key');
      ascending = sortKey === key ? !ascending : true;
      sortKey = key;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      draw();
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (event) { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort(); } });
  });
  var ready = unpack('tenant-rows').then(function (text) { rows = JSON.parse(text); draw(); });
  window.centralMspReady = ready;

  // ---- search across customers (one block per tenant row, in the rows' order) ----
  var KINDS = ['Device serial', 'Device MAC', 'Device', 'Client MAC', 'Client', 'Site'];
  var MAC = [false, true, false, true, false, false];
  var index = null;
  function decode(text) {
    // Per tenant (\x1d), per field (\x1e), sorted values (\x1f), each a base-36 shared-prefix length then the rest.
    return text.split('\x1d').map(function (block) {
      return block === '' ? [] : block.split('\x1e').map(function (field) {
        var previous = '';
        var values = field === '' ? [] : field.split('\x1f').map(function (item) {
          previous = previous.slice(0, parseInt(item.charAt(0), 36)) + item.slice(1);
          return previous;
        });
        // Lower case once, not at every keystroke.
        return {values: values, lower: values.map(function (value) { return value.toLowerCase(); })};
      });
    });
  }
  function load() {
    if (!index) {
      index = ready.then(function () { return unpack('search-data'); }).then(decode);
    }
    return index;
  }
  function macText(value) { return value.match(/.{1,2}/g).join(':'); }
  function search(query) {
    return load().then(function (tenants) {
      var q = query.trim().toLowerCase();
      var hex = /^[0-9a-f:.\- ]+$/.test(q) ? q.replace(/[:.\- ]/g, '') : null;
      var found = [];
      if (q.length < 2) { return found; }
      rows.forEach(function (row, t) {
        if (String(row.n).toLowerCase().indexOf(q) >= 0) {
          found.push({kind: 'Tenant', value: row.n, tenant: t, exact: String(row.n).toLowerCase() === q});
        }
      });
      tenants.forEach(function (fields, t) {
        fields.forEach(function (field, f) {
          var wanted = MAC[f] ? hex : q;
          if (!wanted || wanted.length < 2) { return; }
          var lower = field.lower;
          for (var i = 0; i < lower.length; i += 1) {
            if (lower[i].indexOf(wanted) >= 0) {
              found.push({kind: KINDS[f], value: MAC[f] ? macText(field.values[i]) : field.values[i], tenant: t, exact: lower[i] === wanted});
            }
          }
        });
      });
      found.sort(function (a, b) { return (b.exact ? 1 : 0) - (a.exact ? 1 : 0); });
      return found;
    });
  }
  window.centralMspSearch = search;
  // msp_overview.html#tenant=<workspace id>, the links the single-page report used to share, open that tenant's page.
  var shared = /^#tenant=(.*)$/.exec(location.hash);
  if (shared) {
    var wantedId = decodeURIComponent(shared[1]);
    ready.then(function () {
      var target = rows.filter(function (row) { return row.w === wantedId; })[0];
      if (target) { location.replace(target.p); }
    });
  }
  var box = document.getElementById('find');
  var list = document.getElementById('find-results');
  var status = document.getElementById('find-status');
  var LIMIT = 50;
  var pending = null;
  function link(hit) {
    var row = rows[hit.tenant];
    var href = row.p + (hit.kind === 'Tenant' ? '' : '#find=' + encodeURIComponent(hit.value));
    return el('li', {}, [el('a', {href: href, 'data-tenant': row.w}, [
      el('span', {'class': 'kind', text: hit.kind}), el('b', {'class': 'mono', text: hit.value}),
      el('span', {'class': 'tenant', text: row.n})])]);
  }
  function run() {
    var query = box.value;
    status.textContent = 'Searching…';
    search(query).then(function (hits) {
      if (box.value !== query) { return; }
      list.textContent = '';
      list.setAttribute('data-query', query);
      hits.slice(0, LIMIT).forEach(function (hit) { list.appendChild(link(hit)); });
      status.textContent = query.trim().length < 2 ? 'Type at least two characters.' : hits.length === 0
        ? 'Nothing found in any tenant.' : hits.length > LIMIT ? 'The first ' + LIMIT + ' of ' + fmt(hits.length) + ' matches; type more to narrow down.'
        : fmt(hits.length) + (hits.length === 1 ? ' match' : ' matches') + '.';
    }).catch(function (error) { status.textContent = 'The search index could not be read: ' + error; });
  }
  box.addEventListener('focus', function () { load(); });
  box.addEventListener('input', function () { clearTimeout(pending); pending = setTimeout(run, 120); });
  box.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') {
      event.preventDefault();
      var first = list.querySelector('a');
      if (first) { first.click(); } else { run(); }
    } else if (event.key === 'ArrowDown') {
      var next = list.querySelector('a');
      if (next) { event.preventDefault(); next.focus(); }
    }
  });
  list.addEventListener('keydown', function (event) {
    var item = event.target.closest('li');
    if (!item) { return; }
    var to = event.key === 'ArrowDown' ? item.nextElementSibling : event.key === 'ArrowUp' ? item.previousElementSibling : null;
    if (to) { event.preventDefault(); to.querySelector('a').focus(); } else if (event.key === 'ArrowUp') { event.preventDefault(); box.focus(); }
  });
}());
'''

# A tenant's page: its lists as sortable, searchable tables; #find=<text> opens the tab where the text is.
TENANT_JS = r'''
(function () {
  var tenant = JSON.parse(document.getElementById('tenant-data').textContent);
  var ROW_LIMIT = 300;
  function when(iso) { return iso ? String(iso).replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC') : '–'; }
  function badge(value) {
    var text = show(value);
    return el('span', {'class': 'badge s-' + text.toLowerCase().replace(/[^a-z]/g, ''), text: text});
  }
  function sevChip(level) {
    var known = ['CRITICAL', 'MAJOR', 'MINOR'].indexOf(upper(level)) >= 0;
    return el('span', {'class': 'sev ' + (known ? upper(level) : 'OTHER'), text: show(level)});
  }
  function sevRank(level) { var i = ['CRITICAL', 'MAJOR', 'MINOR'].indexOf(upper(level)); return i < 0 ? 3 : i; }
  function bar(parts) {
    var sum = parts.reduce(function (total, p) { return total + (p[1] || 0); }, 0);
    var node = el('div', {'class': 'bar', role: 'img', 'aria-label': parts.map(function (p) { return p[2] + ' ' + (p[1] || 0); }).join(', ')});
    parts.forEach(function (p) {
      if (p[1] > 0) { node.appendChild(el('span', {'class': 'seg ' + p[0], style: 'width:' + (p[1] / sum * 100) + '%', title: p[2] + ': ' + p[1]})); }
    });
    return node;
  }
  function compact(mac) { return String(mac || '').toLowerCase().replace(/[^0-9a-f]/g, ''); }
  var COLUMNS = {
    sites: [
      {label: 'Site', key: 'siteName', strong: true},
      {label: 'Health', key: 'health', render: function (s) { return badge(s.health); },
        value: function (s) { return ['poor', 'fair', 'good'].indexOf(s.health); }, type: 'num'},
      {label: 'Location', value: function (s) { var a = s.address || {}; return [a.city, a.country].filter(Boolean).join(', '); }},
      {label: 'Devices', type: 'num', value: function (s) { return s.devices_total; }, render: function (s) {
        return el('div', {'class': 'cellbar'}, [bar([['good', s.devices_good, 'Good'], ['fair', s.devices_fair, 'Fair'], ['poor', s.devices_poor, 'Poor']]),
          el('div', {'class': 'nums'}, [el('b', {text: fmt(s.devices_total)}),
            ' · ' + fmt(s.devices_good) + ' good · ' + fmt(s.devices_fair) + ' fair · ' + fmt(s.devices_poor) + ' poor'])]); }},
      {label: 'Clients', key: 'clients_total', type: 'num', num: true},
      {label: 'Active alerts', type: 'num', value: function (s) { return s.alerts_total; }, render: function (s) {
        return el('div', {'class': 'alerts-cell'}, ['CRITICAL', 'MAJOR', 'MINOR'].map(function (level) {
          var n = s['alerts_' + level.toLowerCase()] || 0;
          return el('span', {'class': 'sev ' + (n ? level : 'zero'), title: level, text: String(n)});
        })); }},
      {label: 'Why', wrap: true, value: function (s) { return (s.reasons || []).join('; '); }}
    ],
    devices: [
      {label: 'Name', key: 'deviceName', strong: true},
      {label: 'Type', key: 'deviceType'},
      {label: 'Model', key: 'model'},
      {label: 'Status', key: 'status', render: function (d) { return badge(d.status || 'unknown'); }},
      {label: 'Site', key: 'siteName'},
      {label: 'Serial', key: 'serialNumber', mono: true},
      {label: 'MAC', key: 'macAddress', mono: true},
      {label: 'Firmware', key: 'firmwareVersion', mono: true}
    ],
    clients: [
      {label: 'Client', key: 'clientName', strong: true},
      {label: 'Status', key: 'status', render: function (c) { return badge(c.status || 'unknown'); }},
      {label: 'Connection', key: 'clientConnectionType'},
      {label: 'SSID', key: 'wlanName'},
      {label: 'VLAN', key: 'vlanId', type: 'num', num: true},
      {label: 'Site', key: 'siteName'},
      {label: 'Connected to', key: 'connectedTo'},
      {label: 'IPv4', key: 'ipv4', mono: true},
      {label: 'MAC', key: 'macAddress', mono: true}
    ],
    alerts: [
      {label: 'Severity', key: 'severity', type: 'num', render: function (a) { return sevChip(a.severity); },
        value: function (a) { return sevRank(a.severity); }},
      {label: 'Status', key: 'status', render: function (a) { return badge(a.status || 'unknown'); }},
      {label: 'Alert', key: 'name', strong: true},
      {label: 'Summary', key: 'summary', wrap: true},
      {label: 'Device type', key: 'deviceType'},
      {label: 'Priority', key: 'priority'},
      {label: 'Created', key: 'createdAt', render: function (a) { return el('span', {'class': 'mono', text: when(a.createdAt)}); }}
    ]
  };
  // What #find= matches in each list: the fields the index page searches.
  var FIND = {devices: ['serialNumber', 'macAddress', 'deviceName'], clients: ['macAddress', 'clientName'], sites: ['siteName'], alerts: []};
  function sortValue(col, item) {
    var v = col.value ? col.value(item) : item[col.key];
    if (col.type === 'num') { return v === null || v === undefined ? -1 : v; }
    return show(v);
  }
  function renderCell(col, item) {
    if (col.render) { return el('td', {'data-v': sortValue(col, item)}, [col.render(item)]); }
    var text = show(col.value ? col.value(item) : item[col.key]);
    var attrs = {'data-v': sortValue(col, item)};
    if (col.num) { attrs['class'] = 'n'; }
    if (col.wrap) { attrs['class'] = 'wrap'; }
    var content = col.strong ? el('b', {text: text}) : col.mono ? el('span', {'class': 'mono', text: text}) : text;
    return el('td', attrs, [content]);
  }
  function matches(kind, item, wanted) {
    return FIND[kind].some(function (key) {
      var value = String(item[key] === null || item[key] === undefined ? '' : item[key]);
      return key === 'macAddress' ? compact(value) === compact(wanted) && compact(wanted) !== '' : value.toLowerCase() === wanted.toLowerCase();
    });
  }
  function itemTable(kind, items, query) {
    var cols = COLUMNS[kind];
    var body = el('tbody');
    var thead = el('thead', {}, [el('tr', {}, cols.map(function (col) {
      return el('th', {'class': 'sortable' + (col.num ? ' n' : ''), 'data-type': col.type || 'text', scope: 'col'},
        [col.label, el('span', {'class': 'arrow', text: '↕'})]);
    }))]);
    var tableNode = el('table', {}, [thead, body]);
    var wrap = el('div', {'class': 'panel-body'});
    var input = el('input', {'class': 'search', type: 'search', placeholder: 'Search ' + kind + '…', 'aria-label': 'Search ' + kind});
    var note = el('span', {'class': 'count'});
    var moreBox = el('div', {'class': 'more'});
    var limit = ROW_LIMIT;
    var texts = items.map(function (item) {
      return cols.map(function (col) { return show(col.value ? col.value(item) : item[col.key]); }).join(' ').toLowerCase() + ' ' + compact(item.macAddress);
    });
    function fill() {
      var q = input.value.trim().toLowerCase();
      var macQ = /^[0-9a-f:.\-]+$/.test(q) ? compact(q) : null;
      var shown = items.filter(function (item, i) { return texts[i].indexOf(q) >= 0 || (macQ && texts[i].indexOf(macQ) >= 0); });
      body.textContent = '';
      shown.slice(0, limit).forEach(function (item) {
        var row = el('tr', {}, cols.map(function (col) { return renderCell(col, item); }));
        if (query && matches(kind, item, query)) { row.classList.add('found'); }
        body.appendChild(row);
      });
      note.textContent = shown.length === items.length ? fmt(items.length) + ' ' + kind : fmt(shown.length) + ' of ' + fmt(items.length) + ' ' + kind;
      moreBox.textContent = '';
      if (shown.length > limit) {
        var button = el('button', {'class': 'btn', type: 'button', text: 'Show all ' + fmt(shown.length)});
        button.addEventListener('click', function () { limit = Infinity; fill(); });
        moreBox.appendChild(el('span', {text: 'Showing the first ' + fmt(limit) + '. Search to narrow down, or'}));
        moreBox.appendChild(button);
      }
      Array.prototype.forEach.call(thead.rows[0].cells, function (th) { th.removeAttribute('aria-sort'); });
    }
    if (query) { input.value = query; }
    input.addEventListener('input', fill);
    fill();
    makeSortable(tableNode);
    wrap.appendChild(el('div', {'class': 'toolbar'}, [input, note]));
    if (!items.length) {
      wrap.appendChild(el('div', {'class': 'empty', text: 'No ' + kind + ' in this tenant.'}));
    } else {
      wrap.appendChild(el('div', {'class': 'table-wrap'}, [tableNode]));
      wrap.appendChild(moreBox);
    }
    return wrap;
  }
  function alertsFirst(alerts) {
    function rank(a) { return (upper(a.status) === 'ACTIVE' ? 0 : 10) + sevRank(a.severity); }
    return alerts.slice().sort(function (a, b) { return rank(a) - rank(b); });
  }
  var tabs = document.getElementById('tabs');
  var panel = document.getElementById('panel');
  if (!tabs) { return; }
  var details = tenant.details || {};
  var TABS = [['sites', 'Sites'], ['devices', 'Devices'], ['clients', 'Clients'], ['alerts', 'Alerts']];
  var available = TABS.filter(function (tab) { return tenant.summary[tab[0]] !== null; });
  function list(kind) {
    var items = details[kind];
    if (!items && kind === 'alerts') { items = tenant.active_alerts; }
    return items && kind === 'alerts' ? alertsFirst(items) : items;
  }
  function select(kind, query) {
    Array.prototype.forEach.call(tabs.children, function (button) {
      var on = button.getAttribute('data-kind') === kind;
      button.setAttribute('aria-selected', String(on));
      button.setAttribute('tabindex', on ? '0' : '-1');
    });
    panel.textContent = '';
    var items = list(kind);
    panel.appendChild(items ? itemTable(kind, items, query)
      : el('div', {'class': 'empty', text: 'Detail lists were not included in this report (msp_overview_details: false).'}));
  }
  available.forEach(function (tab) {
    var count = (tenant.summary[tab[0]] || {}).total;
    var button = el('button', {type: 'button', role: 'tab', 'data-kind': tab[0], id: 'tab-' + tab[0]}, [tab[1], el('span', {'class': 'c', text: fmt(count)})]);
    button.addEventListener('click', function () { select(tab[0]); });
    tabs.appendChild(button);
  });
  tabs.addEventListener('keydown', function (event) {
    var keys = {ArrowRight: 1, ArrowLeft: -1};
    if (!(event.key in keys)) { return; }
    var buttons = Array.prototype.slice.call(tabs.children);
    var at = buttons.indexOf(document.activeElement);
    var next = buttons[(at + keys[event.key] + buttons.length) % buttons.length];
    next.focus();
    next.click();
  });
  function fromHash() {
    var match = /^#find=(.*)$/.exec(location.hash);
    var wanted = match ? decodeURIComponent(match[1]) : '';
    if (wanted) {
      for (var i = 0; i < available.length; i += 1) {
        var kind = available[i][0];
        var items = list(kind) || [];
        if (items.some(function (item) { return matches(kind, item, wanted); })) {
          select(kind, wanted);
          var found = panel.querySelector('tr.found');
          if (found) { found.scrollIntoView({block: 'center'}); }
          return;
        }
      }
    }
    if (available.length) {
      var first = tenant.active_alerts.length && tenant.summary.alerts ? 'alerts' : available[0][0];
      select(first);
    } else {
      panel.appendChild(el('div', {'class': 'empty', text: 'No kind was fetched.'}));
    }
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
}());
'''


def esc(value):
    """Text or attribute value, escaped; None shows as a dash."""
    return '–' if value is None or value == '' else html.escape(str(value), quote=True)


def island(data):
    """JSON for a <script type="application/json"> element: no character can end the element or open a tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(',', ':'))
    return text.replace('<', '\\u003c').replace('>', '\\u003e').replace('&', '\\u0026')


def num(value):
    return '–' if value is None else '{:,}'.format(value)


def share_bar(parts, label):
    """A stacked bar of (css class, count, legend) parts, sized by share of their sum."""
    total = sum(part[1] or 0 for part in parts)
    text = ', '.join('%s %s' % (part[2], part[1] or 0) for part in parts)
    if not total:
        segments = '<span class="seg none" style="width:100%"></span>'
    else:
        segments = ''.join('<span class="seg %s" style="width:%.3f%%" title="%s: %s"></span>'
                           % (part[0], part[1] / total * 100, esc(part[2]), part[1]) for part in parts if part[1])
    return '<div class="bar" role="img" aria-label="%s: %s">%s</div>' % (esc(label), esc(text), segments)


def upper_counts(counts):
    found = {}
    for key, value in (counts or {}).items():
        found[str(key).upper()] = found.get(str(key).upper(), 0) + (value or 0)
    return found


def health_badge(health):
    return '<span class="badge h-%s">%s</span>' % (esc(health), esc(HEALTH_WORDS.get(health, health)))


def score_cell(score):
    if score is None:
        return '<span class="muted">–</span>'
    band = 'poor' if score < 60 else 'fair' if score < 85 else 'good'
    return ('<div class="score"><b>%.1f</b><div class="bar" role="img" aria-label="score %.1f of 100">'
            '<span class="seg %s" style="width:%.1f%%"></span></div></div>' % (score, score, band, max(score, 1)))


def change_chips(changes, with_reason=False):
    """Chips for a tenant's (or the fleet's) changes; ``changes`` values are lists (tenant) or counts (fleet)."""
    chips = []
    for key, one, many, tone in CHANGE_WORDS:
        value = changes.get(key)
        count = len(value) if isinstance(value, list) else value
        if count:
            chips.append('<span class="chip %s" data-change="%s">%s %s</span>' % (tone, key, num(count),
                                                                                  one if count == 1 else many))
    if with_reason and not chips and changes.get('reason'):
        tone = 'new' if changes['reason'].startswith('new') else ''
        chips.append('<span class="chip %s">%s</span>' % (tone, esc(changes['reason'])))
    return '<div class="chips">%s</div>' % ''.join(chips) if chips else ''


def change_count(changes):
    return sum(len(changes.get(key) or []) for key, _one, _many, _tone in CHANGE_WORDS)


def page_head(title, body_class=''):
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta http-equiv="Content-Security-Policy" content="%s">\n'
            '<meta name="generator" content="central.msp msp_overview_report">\n<title>%s</title>\n<style>%s</style>\n'
            '</head>\n<body class="%s">\n' % (CSP, esc(title), CSS, body_class))


def top_bar(title, sub, back=None):
    link = '<a class="back" href="%s">← All tenants</a>' % back if back else ''
    return ('<header class="top"><div class="logo" aria-hidden="true">MSP</div><div>%s<h1>%s</h1>'
            '<div class="sub">%s</div></div><div class="spacer"></div>'
            '<button class="btn" id="theme" type="button" title="Switch between the system, light and dark themes">'
            'Theme: auto</button></header>\n' % (link, esc(title), sub))


def stamp(iso):
    """2025-11-20T10:00:00.000Z as 2025-11-20 10:00 UTC."""
    return esc(re.sub(r'^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d(\.\d+)?)?Z$', r'\1 \2 UTC', str(iso or '')))


# ---- the index ---------------------------------------------------------------------------------------------

def kpi_cards(totals):
    tenants = totals['tenants']
    cards = ['<div class="card kpi"><h2>Tenants</h2><div class="big">%s<small>%s read</small></div>%s'
             '<div class="legend"><span><i class="dot poor"></i>critical <b>%s</b></span><span><i class="dot fair"></i>'
             'warning <b>%s</b></span><span><i class="dot good"></i>healthy <b>%s</b></span>%s%s</div></div>' % (
                 num(tenants['total']), num(tenants['ok']),
                 share_bar([('poor', tenants['critical'], 'Critical'), ('fair', tenants['warning'], 'Warning'),
                            ('good', tenants['healthy'], 'Healthy'),
                            ('na', tenants['failed'] + tenants['not_provisioned'], 'Failed or not in Central')],
                           'Tenants by health'),
                 num(tenants['critical']), num(tenants['warning']), num(tenants['healthy']),
                 '<span style="color:var(--failed)">failed <b style="color:inherit">%s</b></span>' % num(tenants['failed'])
                 if tenants['failed'] else '',
                 '<span>not in Central <b>%s</b></span>' % num(tenants['not_provisioned'])
                 if tenants['not_provisioned'] else '')]
    empty = '<div class="big muted">–</div><div class="legend">not fetched</div>'
    sites = totals.get('sites')
    cards.append('<div class="card kpi"><h2>Sites</h2>%s</div>' % (empty if sites is None else (
        '<div class="big">%s<small>%s degraded</small></div>%s<div class="legend"><span><i class="dot good"></i>good '
        '<b>%s</b></span><span><i class="dot fair"></i>fair <b>%s</b></span><span><i class="dot poor"></i>poor <b>%s'
        '</b></span></div>' % (num(sites['total']), num(sites['poor']),
                               share_bar([('good', sites['good'], 'Good'), ('fair', sites['fair'], 'Fair'),
                                          ('poor', sites['poor'], 'Poor')], 'Sites by health'),
                               num(sites['good']), num(sites['fair']), num(sites['poor'])))))
    devices = totals.get('devices')
    if devices is None:
        cards.append('<div class="card kpi"><h2>Devices</h2>%s</div>' % empty)
    else:
        status = upper_counts(devices['by_status'])
        health = (sites or {}).get('device_health')
        shown = share_bar([('good', health['good'], 'Good'), ('fair', health['fair'], 'Fair'), ('poor', health['poor'], 'Poor')],
                          'Device health') if health else \
            share_bar([('good', status.get('ONLINE', 0), 'Online'), ('poor', status.get('OFFLINE', 0), 'Offline')], 'Devices')
        cards.append('<div class="card kpi"><h2>Devices</h2><div class="big">%s<small>%s offline</small></div>%s'
                     '<div class="legend">%s</div></div>' % (
                         num(devices['total']), num(status.get('OFFLINE', 0)), shown,
                         ''.join('<span>%s <b>%s</b></span>' % (esc(kind), num(count))
                                 for kind, count in devices['by_type'].items())))
    clients = totals.get('clients')
    if clients is None:
        cards.append('<div class="card kpi"><h2>Clients</h2>%s</div>' % empty)
    else:
        status, connection = upper_counts(clients['by_status']), upper_counts(clients['by_connection_type'])
        cards.append('<div class="card kpi"><h2>Clients</h2><div class="big">%s<small>%s failed</small></div>%s'
                     '<div class="legend"><span><i class="dot good"></i>wireless <b>%s</b></span><span><i class="dot na">'
                     '</i>wired <b>%s</b></span></div></div>' % (
                         num(clients['total']), num(status.get('FAILED', 0)),
                         share_bar([('good', connection.get('WIRELESS', 0), 'Wireless'),
                                    ('na', connection.get('WIRED', 0), 'Wired')], 'Clients by connection'),
                         num(connection.get('WIRELESS', 0)), num(connection.get('WIRED', 0))))
    alerts = totals.get('alerts')
    if alerts is None:
        cards.append('<div class="card kpi"><h2>Active alerts</h2>%s</div>' % empty)
    else:
        severity = upper_counts(alerts['by_severity'])
        cards.append('<div class="card kpi"><h2>Active alerts</h2><div class="big">%s<small>%s tenants critical</small>'
                     '</div>%s<div class="legend"><span><i class="dot crit"></i>critical <b>%s</b></span><span>'
                     '<i class="dot major"></i>major <b>%s</b></span><span><i class="dot minor"></i>minor <b>%s</b>'
                     '</span></div></div>' % (
                         num(alerts['active']), num(tenants['critical']),
                         share_bar([('crit', severity.get('CRITICAL', 0), 'Critical'), ('major', severity.get('MAJOR', 0), 'Major'),
                                    ('minor', severity.get('MINOR', 0), 'Minor')], 'Active alerts by severity'),
                         num(severity.get('CRITICAL', 0)), num(severity.get('MAJOR', 0)), num(severity.get('MINOR', 0))))
    return '<section class="kpis" aria-label="Fleet totals">%s</section>\n' % ''.join(cards)


def changes_card(report, order):
    fleet = report['changes']
    tenants = report['tenants']
    if fleet['since'] is None:
        body = ('<p class="muted">First run in this folder: nothing to compare yet. The next run shows what changed '
                'since this one.</p>')
        title = 'What changed'
    else:
        title = 'What changed since %s' % stamp(fleet['since'])
        parts = [change_chips(fleet) or '<p class="muted" id="no-change">No change in alerts, devices or sites.</p>']
        added, removed = fleet['tenants_added'] or [], fleet['tenants_removed'] or []
        by_id = {str(entry.get('workspace_id')): entry for entry in tenants}
        if added:
            parts.append('<p data-change="tenants_added"><span class="chip new">%s tenant%s added</span> %s</p>' % (
                num(len(added)), '' if len(added) == 1 else 's',
                ', '.join('<a href="%s">%s</a>' % (esc(by_id[str(t['workspace_id'])]['page']), esc(t['name']))
                          for t in added[:CHANGED_LIMIT])))
        if removed:
            parts.append('<p data-change="tenants_removed"><span class="chip">%s tenant%s removed</span> %s</p>' % (
                num(len(removed)), '' if len(removed) == 1 else 's', esc(', '.join(str(t['name']) for t in removed[:CHANGED_LIMIT]))))
        changed = [tenants[index] for index in order if change_count(tenants[index]['changes'])]
        if changed:
            rows = ''.join('<li><a href="%s">%s</a>%s</li>' % (esc(entry['page']), esc(entry['name']),
                                                               change_chips(entry['changes']))
                           for entry in changed[:CHANGED_LIMIT])
            more = '<li class="muted">and %s more: choose "Changed" above the table</li>' % num(len(changed) - CHANGED_LIMIT) \
                if len(changed) > CHANGED_LIMIT else ''
            parts.append('<ul class="changed-list" id="changed-tenants">%s%s</ul>' % (rows, more))
        body = ''.join(parts)
    return ('<section class="card" id="changes" aria-label="What changed"><div class="head"><h2 class="title">%s</h2>'
            '</div><div class="pad">%s</div></section>' % (title, body))


def trend_card(trend):
    items = []
    for key, label in TREND:
        values = [run.get(key) for run in trend]
        known = [value for value in values if value is not None]
        if not known:
            continue
        top = max(known + [1])
        last, before = values[-1], (values[-2] if len(values) > 1 else None)
        delta = ''
        if last is not None and before is not None and last != before:
            difference = round(last - before, 1)
            delta = '<span class="d">%s%s</span>' % ('+' if difference > 0 else '', num(difference))
        spark = ''.join('<span style="height:%.0f%%" title="%s"></span>' % (
            (value or 0) / top * 100, '–' if value is None else num(value)) for value in values)
        items.append('<div data-kpi="%s"><div class="k">%s</div><div class="v">%s%s</div><div class="spark" '
                     'role="img" aria-label="%s over the last %d runs">%s</div></div>' % (
                         key, label, num(last), delta, label, len(values), spark))
    return ('<section class="card" id="trend" aria-label="Trend"><div class="head"><h2 class="title">Trend</h2>'
            '<span class="count">the last %d run%s</span></div><div class="pad trend">%s</div></section>' % (
                len(trend), '' if len(trend) == 1 else 's', ''.join(items)))


def tenant_record(entry):
    """One row of the tenant table, as data for INDEX_JS (which renders the rows shown, never all 1,000)."""
    summary = entry.get('summary') or {}
    changes = entry['changes']
    sites, devices, clients, alerts = (summary.get(kind) for kind in ('sites', 'devices', 'clients', 'alerts'))
    severity = upper_counts((alerts or {}).get('by_severity'))
    return {
        'r': entry['rank'], 'n': entry.get('name'), 'w': entry.get('workspace_id'), 'p': entry['page'],
        's': entry.get('score'), 'h': entry.get('health'), 'e': entry.get('error') if entry.get('status') == 'failed' else None,
        'c': {key: len(changes[key]) for key, _one, _many, _tone in CHANGE_WORDS if changes.get(key)},
        'cr': None if changes['compared'] else changes['reason'],
        'si': [sites['total'], sites['good'], sites['fair'], sites['poor']] if sites else None,
        'd': [devices['total'], upper_counts(devices['by_status']).get('OFFLINE', 0)] if devices else None,
        'cl': [clients['total'], upper_counts(clients['by_status']).get('FAILED', 0)] if clients else None,
        'a': [severity.get(level, 0) for level in SEVERITIES] if alerts else None,
    }


def tenant_table(report, order):
    total = len(report['tenants'])
    heads = (('rank', '#', ' n'), ('name', 'Tenant', ''), ('score', 'Score', ''), ('health', 'Health', ''),
             ('changes', 'Since last run', ''), ('sites', 'Sites', ''), ('devices', 'Devices', ''),
             ('clients', 'Clients', ' n'), ('alerts', 'Active alerts', ''))
    head = ''.join('<th class="sortable%s" data-key="%s" scope="col" tabindex="0">%s<span class="arrow">↕</span></th>'
                   % (extra, key, label) for key, label, extra in heads)
    empty = '<div class="empty">No tenant in this report: the inventory, --limit or msp_overview_match left none.</div>' \
        if not total else ''
    return ('<section class="card section" aria-label="Tenants"><div class="toolbar"><h2>Tenants, worst first</h2>'
            '<input class="search" id="tenant-search" type="search" placeholder="Filter by tenant name or workspace ID…" '
            'aria-label="Filter tenants"><div class="pills" role="group" aria-label="Show">'
            '<button type="button" data-show="all" aria-pressed="true">All</button>'
            '<button type="button" data-show="attention" aria-pressed="false">Needs attention</button>'
            '<button type="button" data-show="changed" aria-pressed="false">Changed</button>'
            '<button type="button" data-show="failed" aria-pressed="false">Failed</button></div>'
            '<span class="count" id="tenant-count">%s tenants</span></div><div class="table-wrap"><table id="tenants">'
            '<thead><tr>%s</tr></thead><tbody></tbody></table></div><div class="more" id="tenant-more"></div>'
            '<div class="empty" id="tenant-empty" hidden>No tenant matches.</div>%s</section>\n'
            '<script type="application/json" id="tenant-rows">%s</script>\n' % (
                num(total), head, empty, island(packed([tenant_record(report['tenants'][index]) for index in order]))))


def alert_feed(report, alerts):
    tenants = report['tenants']
    rows = []
    for index, alert in alerts[:FEED_LIMIT]:
        entry = tenants[index]
        level = str(alert.get('severity') or '').upper()
        rows.append('<tr><td><span class="sev %s">%s</span></td><td><a href="%s">%s</a></td><td><b>%s</b><div class="tid">'
                    '%s</div></td><td>%s</td><td>%s</td><td class="mono">%s</td></tr>' % (
                        level if level in SEVERITIES else 'OTHER', esc(alert.get('severity')), esc(entry['page']),
                        esc(entry.get('name')), esc(alert.get('name')), esc(alert.get('summary')),
                        esc(alert.get('deviceType')), esc(alert.get('priority')), stamp(alert.get('createdAt'))))
    note = ('the first %s of %s; every one is in <a href="msp_overview_alerts.csv">msp_overview_alerts.csv</a> and on '
            'its tenant\'s page' % (num(FEED_LIMIT), num(len(alerts)))) if len(alerts) > FEED_LIMIT else \
        '%s, critical first, newest first' % num(len(alerts))
    body = ('<div class="table-wrap"><table id="alert-feed"><thead><tr><th scope="col">Severity</th><th scope="col">Tenant'
            '</th><th scope="col">Alert</th><th scope="col">Device type</th><th scope="col">Priority</th><th scope="col">Created'
            '</th></tr></thead><tbody>%s</tbody></table></div>' % ''.join(rows)) if rows else \
        '<div class="empty">No active alert in any tenant.</div>'
    return ('<section class="card section" id="alerts" aria-label="Active alerts of every tenant"><div class="head">'
            '<h2 class="title">Active alerts, every tenant</h2><span class="count">%s</span></div>%s</section>\n' % (note, body))


def failed_notice(report):
    failed = [entry for entry in report['tenants'] if entry.get('status') == 'failed']
    if not failed:
        return ''
    return ('<section class="card notice" aria-label="Tenants that could not be read"><h2>%s tenant%s could not be '
            'read — the others are complete</h2><ul>%s</ul></section>\n' % (
                num(len(failed)), 's' if len(failed) > 1 else '',
                ''.join('<li><a href="%s"><b>%s</b></a> <span class="tid">%s</span>: <code>%s</code></li>' % (
                    esc(entry['page']), esc(entry.get('name')), esc(entry.get('workspace_id')), esc(entry.get('error')))
                    for entry in failed)))


SEPARATORS = {ord('\x1d'): ' ', ord('\x1e'): ' ', ord('\x1f'): ' '}
SEARCH_FIELDS = (('devices', 'serialNumber', False), ('devices', 'macAddress', True), ('devices', 'deviceName', False),
                 ('clients', 'macAddress', True), ('clients', 'clientName', False), ('sites', 'siteName', False))


def front_coded(values):
    """Sorted unique values, each as a base-36 digit (characters shared with the one before, at most 35) and the
    rest: long runs of similar serials, MACs and names shrink to a few characters each."""
    out, previous = [], ''
    for value in sorted(set(values)):
        shared = 0
        limit = min(len(previous), len(value), 35)
        while shared < limit and previous[shared] == value[shared]:
            shared += 1
        out.append('0123456789abcdefghijklmnopqrstuvwxyz'[shared] + value[shared:])
        previous = value
    return '\x1f'.join(out)


def search_block(entry):
    """One tenant's searchable values (SEARCH_FIELDS of its detail lists), front-coded: its part of the index page's
    search data, made as soon as the tenant is read so that its lists need not be kept."""
    details = entry.get('details') or {}
    fields = []
    for kind, key, mac in SEARCH_FIELDS:
        values = []
        for item in details.get(kind) or []:
            value = item.get(key)
            if value in (None, ''):
                continue
            value = str(value)
            values.append(''.join(ch for ch in value.lower() if ch in '0123456789abcdef') if mac
                          else value.translate(SEPARATORS))
        fields.append(front_coded(value for value in values if value))
    return '\x1e'.join(fields) if any(fields) else ''


def packed(data):
    """JSON data gzip-compressed and base64-encoded, for a page's script to decode (INDEX_JS's unpack)."""
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(',', ':'))
    return base64.b64encode(gzip.compress(text.encode('utf-8'), 9, mtime=0)).decode('ascii')


def search_index(blocks, order):
    """The index page's search data: each tenant's search_block (``blocks``, in the order of the report's tenants)
    in the order of the tenant rows (``order``), compressed (decoded in the page by INDEX_JS)."""
    return packed('\x1d'.join(blocks[index] for index in order))


def index_page(report, order, alerts, trend, search_blocks):
    """The page a person opens first (msp_overview.html); ``search_blocks``: each tenant's search_block."""
    totals = report['totals']
    since = report['changes']['since']
    sub = '%s tenants · %s · generated %s%s' % (
        num(totals['tenants']['total']), esc(', '.join(report.get('kinds') or [])), stamp(report.get('generated_at')),
        ' · compared with %s' % stamp(since) if since else '')
    window = (report.get('clients_window') or {}).get('description') if totals.get('clients') else None
    # Central lists failed clients only inside a time window: the figures say which.
    window_note = '<p class="note" id="clients-window">%s</p>\n' % esc(window) if window else ''
    search = ('<section class="card section" id="search" aria-label="Search every tenant"><div class="toolbar">'
              '<h2>Find</h2><input class="search" id="find" type="search" autocomplete="off" placeholder="Device serial, '
              'MAC or name, client MAC or name, site name — in every tenant" aria-label="Search every tenant" '
              'aria-controls="find-results" aria-describedby="find-status"><span class="count" id="find-status" '
              'aria-live="polite">Enter opens the first match; arrow keys move through them.</span></div>'
              '<ul class="results" id="find-results"></ul></section>\n')
    return ''.join([
        page_head('MSP overview · %s tenants · %s' % (totals['tenants']['total'], report.get('generated_at'))),
        top_bar('MSP overview', sub), '<main>\n', kpi_cards(totals), window_note, failed_notice(report), search,
        '<div class="grid2">', changes_card(report, order), trend_card(trend), '</div>\n',
        tenant_table(report, order), alert_feed(report, alerts), '</main>\n',
        '<footer>central.msp · MSP overview schema %s · %s tenants · generated %s · every tenant\'s sites, devices, '
        'clients and alerts are on its own page (click its name)</footer>\n' % (
            esc(report.get('schema_version')), num(totals['tenants']['total']), esc(report.get('generated_at'))),
        '<script type="application/json" id="search-data">%s</script>\n' % island(search_index(search_blocks, order)),
        '<script>%s%s</script>\n</body>\n</html>\n' % (COMMON_JS, INDEX_JS)])


# ---- a tenant's page ---------------------------------------------------------------------------------------

def mini_stats(summary):
    def stat(label, value, extra):
        return '<div><b>%s</b>%s · %s</div>' % (value, label, extra)
    sites, devices, clients, alerts = (summary.get(kind) for kind in ('sites', 'devices', 'clients', 'alerts'))
    return '<div class="mini">%s%s%s%s</div>' % (
        stat('sites', num(sites['total']), '%s poor, %s fair' % (num(sites['poor']), num(sites['fair'])))
        if sites else stat('sites', '–', 'not fetched'),
        stat('devices', num(devices['total']), '%s offline' % num(upper_counts(devices['by_status']).get('OFFLINE', 0)))
        if devices else stat('devices', '–', 'not fetched'),
        stat('clients', num(clients['total']), '%s failed' % num(upper_counts(clients['by_status']).get('FAILED', 0)))
        if clients else stat('clients', '–', 'not fetched'),
        stat('active alerts', num(alerts['active']), '%s critical, %s major' % (
            num(upper_counts(alerts['by_severity']).get('CRITICAL', 0)), num(upper_counts(alerts['by_severity']).get('MAJOR', 0))))
        if alerts else stat('active alerts', '–', 'not fetched'))


def changes_detail(report, entry):
    changes = entry['changes']
    since = report['changes']['since']
    if not changes['compared']:
        text = {'first run': 'First run in this folder: the next run shows what changed.'}.get(
            changes['reason'], 'Not compared: %s.' % changes['reason'])
        return '<p class="muted" id="not-compared">%s</p>' % esc(text)
    parts = []
    if changes['score_before'] is not None and entry.get('score') is not None and changes['score_before'] != entry['score']:
        parts.append('<p>Score %.1f → %.1f</p>' % (changes['score_before'], entry['score']))
    for key, _one, many, tone in CHANGE_WORDS:
        rows = changes.get(key)
        if rows:
            parts.append('<h3><span class="chip %s">%s %s</span></h3><ul data-change="%s">%s</ul>' % (
                tone, num(len(rows)), many if len(rows) > 1 else _one, key,
                ''.join('<li><span class="mono">%s</span> %s</li>' % (
                    esc(row['key']) if key.startswith('devices') else '', esc(row['label'])) for row in rows)))
    if not parts:
        parts.append('<p class="muted" id="no-change">No change in alerts, devices or sites since %s.</p>' % stamp(since))
    return ''.join(parts)


def tenant_page(report, entry):
    """One tenant's drill-down (tenants/<page>.html), linked from the index."""
    total = len(report['tenants'])
    status = entry.get('status')
    meta = ' · '.join(part for part in (
        'workspace %s' % esc(entry.get('workspace_id')),
        'Central tenant %s' % esc(entry['central_tenant_id']) if entry.get('central_tenant_id') else '',
        esc(str(entry.get('inventory_ownership')).lower().replace('_', ' ')) if entry.get('inventory_ownership') else '')
        if part)
    head = ('<section class="card section"><div class="dhead"><div style="flex:1"><h2 id="tenant-name">%s</h2>'
            '<div class="meta">%s</div></div><div>%s</div><span class="rank">#%d of %s</span>%s</div>' % (
                esc(entry.get('name')), meta, score_cell(entry.get('score')), entry['rank'], num(total),
                health_badge(entry.get('health'))))
    if status == 'failed':
        head += '<div class="error"><b>This tenant could not be read. </b><code>%s</code></div>' % esc(entry.get('error'))
    elif status == 'not_provisioned':
        head += ('<div class="empty">This tenant exists in HPE GreenLake but is not provisioned in Central: there is '
                 'nothing to read yet.</div>')
    else:
        head += mini_stats(entry.get('summary') or {})
    head += '</section>\n'
    since = report['changes']['since']
    changes = ('<section class="card section changes-detail" id="changes" aria-label="What changed"><div class="head">'
               '<h2 class="title">%s</h2></div><div class="pad">%s</div></section>\n' % (
                   'What changed since %s' % stamp(since) if since else 'What changed', changes_detail(report, entry)))
    lists = ('<section class="card section" aria-label="Sites, devices, clients and alerts"><div class="tabs" id="tabs" '
             'role="tablist" aria-label="Lists"></div><div id="panel" role="tabpanel" aria-live="polite"></div></section>\n'
             if status == 'ok' else '')
    data = {key: entry.get(key) for key in ('name', 'workspace_id', 'status', 'summary', 'active_alerts', 'details')}
    sub = 'generated %s · rank %d of %s, worst first' % (stamp(report.get('generated_at')), entry['rank'], num(total))
    return ''.join([
        page_head('%s · MSP overview · %s' % (entry.get('name'), report.get('generated_at'))),
        top_bar(entry.get('name') or '–', sub, back='../msp_overview.html'), '<main>\n', head, changes, lists, '</main>\n',
        '<footer>central.msp · MSP overview · <a href="../msp_overview.html">all tenants</a></footer>\n',
        '<script type="application/json" id="tenant-data">%s</script>\n' % island(data),
        '<script>%s%s</script>\n</body>\n</html>\n' % (COMMON_JS, TENANT_JS)])
