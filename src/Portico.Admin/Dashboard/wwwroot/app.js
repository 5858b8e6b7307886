'use strict';
// Portico's dashboard. Everything on the page comes from /gui/api/* as data and is written with textContent
// only (never as HTML), so a name or comment cannot inject markup. Writes carry the session's CSRF token.

const POLL_MS = 2000;
const SPARK_POINTS = 90;
let csrfToken = null;
let configLoaded = false;
const series = new Map(); // "counter|entity" -> [{t, v}] of cumulative totals
const ratesOf = new Map(); // "counter|entity" -> [rate per second]

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

async function api(path, options) {
  const r = await fetch('/gui/api/' + path, Object.assign({ credentials: 'same-origin', cache: 'no-store' }, options));
  if (r.status === 401) {
    location.assign('/gui/login.html');
    throw new Error('not logged in');
  }
  return r;
}

function stateClass(state) { return 'state ' + String(state).replaceAll(' ', '_'); }

// Totals become rates: the difference between two samples over the seconds between them.
function addPoint(key, t, v) {
  const points = series.get(key) || [];
  const previous = points[points.length - 1];
  if (previous && t <= previous.t) return;
  points.push({ t, v });
  if (points.length > SPARK_POINTS + 1) points.shift();
  series.set(key, points);
  if (previous) {
    const rates = ratesOf.get(key) || [];
    rates.push(Math.max(0, (v - previous.v) / ((t - previous.t) / 1000)));
    if (rates.length > SPARK_POINTS) rates.shift();
    ratesOf.set(key, rates);
  }
}

function sparkline(key) {
  const rates = ratesOf.get(key) || [];
  const span = el('span', { class: 'rate' });
  const last = rates.length ? rates[rates.length - 1] : null;
  span.append(last === null ? '-' : format(last));
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', '90');
  svg.setAttribute('height', '20');
  svg.setAttribute('viewBox', '0 0 90 20');
  const max = Math.max(1, ...rates);
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', rates.map((r, i) => `${i * (90 / Math.max(1, SPARK_POINTS - 1))},${19 - (r / max) * 18}`).join(' '));
  svg.append(line);
  span.append(svg);
  return span;
}

function format(n) {
  if (n >= 1e9) return (n / 1e9).toFixed(1) + 'G';
  if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M';
  if (n >= 1e3) return (n / 1e3).toFixed(1) + 'k';
  return n.toFixed(n < 10 ? 1 : 0);
}

function renderVservers(vservers) {
  const body = document.querySelector('#vservers tbody');
  body.replaceChildren(...vservers.map((v) => {
    const members = el('ul', { class: 'members' }, ...v.members.map((m) => el('li', { 'data-member': m.name },
      el('span', { class: 'name', text: m.name + ' ' }),
      el('span', { class: 'endpoint', text: m.endpoint + ' ' }),
      el('span', { class: stateClass(m.state), text: m.state }),
      el('span', { class: 'weight', text: ' w' + m.weight }),
      m.reason ? el('span', { class: 'reason', text: ' ' + m.reason }) : '')));
    const key = (counter) => counter + '|' + v.name;
    return el('tr', { 'data-vserver': v.name, title: v.comment || null },
      el('td', { text: v.name }), el('td', { text: v.type }), el('td', { text: v.endpoint }),
      el('td', { class: stateClass(v.state), text: v.state }), el('td', { text: v.method }),
      el('td', {}, el('span', { text: `${v.servicesUp}/${v.servicesTotal} up` }), members),
      el('td', {}, sparkline(key('portico.vserver.requests'))),
      el('td', {}, sparkline(key('portico.vserver.connections'))),
      el('td', {}, sparkline(key('portico.vserver.received.bytes')), sparkline(key('portico.vserver.sent.bytes'))));
  }));
}

function renderEvents(events) {
  const list = document.getElementById('events');
  list.replaceChildren(...(events || []).slice().reverse().map((e) =>
    el('li', { 'data-kind': e.kind, text: `${e.time.replace('T', ' ').slice(0, 23)} ${e.kind} ${e.entity}: ${e.message}` })));
}

function renderAcls(extended, simple) {
  const rows = [];
  for (const a of extended || []) {
    rows.push(el('tr', { 'data-acl': a.name }, el('td', { text: a.name }), el('td', { text: 'extended' }), el('td', { text: a.action }),
      el('td', { text: String(a.priority) }), el('td', { text: a.conditions + (a.enabled ? '' : ' (disabled)') + ' ' + a.applied }), el('td', { class: 'hits', text: String(a.hits) })));
  }
  for (const a of simple || []) {
    rows.push(el('tr', { 'data-acl': a.name }, el('td', { text: a.name }), el('td', { text: 'simple' }), el('td', { text: 'DENY' }),
      el('td', { text: '-' }), el('td', { text: a.source + (a.destinationPort ? ` ${a.protocol} ${a.destinationPort}` : '') }), el('td', { class: 'hits', text: String(a.hits) })));
  }
  document.querySelector('#acls tbody').replaceChildren(...rows);
}

function renderCaptures(captures, canDownload) {
  document.querySelector('#captures tbody').replaceChildren(...(captures || []).map((c) => el('tr', { 'data-capture': c.name },
    el('td', { text: c.name }), el('td', { text: c.running ? 'RUNNING' : 'STOPPED: ' + c.stopReason }), el('td', { text: c.mode }),
    el('td', { text: c.filter || '(all)' }), el('td', { text: c.summary }),
    el('td', {}, ...c.files.map((f) => canDownload
      ? el('a', { href: `/gui/api/capture/${encodeURIComponent(c.name)}/${encodeURIComponent(f)}`, download: f, text: f + ' ' })
      : el('span', { text: f + ' ' }))))));
}

async function loadConfig() {
  const r = await api('config');
  if (r.ok) document.getElementById('running-config').textContent = (await r.json()).config;
}

async function poll() {
  try {
    const r = await api('state');
    const s = await r.json();
    if (!r.ok) throw new Error(s.error || r.status);
    csrfToken = s.csrfToken;
    document.getElementById('who').textContent = `${s.user} (${s.policy})`;
    for (const [counter, byEntity] of Object.entries(s.counters || {})) {
      for (const [entity, value] of Object.entries(byEntity)) addPoint(counter + '|' + entity, s.now, value);
    }
    renderVservers(s.vservers);
    renderEvents(s.events);
    renderAcls(s.acls, s.simpleAcls);
    renderCaptures(s.captures, s.canDownload);
    document.getElementById('config-section').hidden = !s.canViewConfig;
    document.getElementById('editor-section').hidden = !s.canEdit;
    if (s.canViewConfig && !configLoaded) {
      configLoaded = true;
      await loadConfig();
    }
    document.getElementById('status').textContent = 'updated ' + new Date(s.now).toLocaleTimeString();
  } catch (e) {
    document.getElementById('status').textContent = 'cannot reach Portico: ' + e.message;
  }
}

async function loadHistory() {
  const r = await api('history');
  if (!r.ok) return;
  const h = await r.json();
  for (const [counter, byEntity] of Object.entries(h.series || {})) {
    for (const [entity, points] of Object.entries(byEntity)) {
      for (const [t, v] of points) addPoint(counter + '|' + entity, t, v);
    }
  }
}

async function applyBatch() {
  const text = document.getElementById('batch').value;
  const button = document.getElementById('apply');
  button.disabled = true;
  try {
    const r = await api('batch', { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Portico-CSRF': csrfToken || '' }, body: text });
    const answer = await r.json();
    showResult(text, answer, r.status);
    if (answer.applied) {
      await loadConfig();
      await poll();
    }
  } finally {
    button.disabled = false;
  }
}

// The batch as sent, one numbered line each, the lines in error marked with their message.
function showResult(text, answer, status) {
  const errors = answer.errors || [];
  const summary = document.getElementById('result-summary');
  summary.className = answer.applied ? 'applied' : 'refused';
  summary.textContent = answer.applied
    ? `Applied: ${answer.commands} command(s).`
    : (answer.error ? `Refused (${status}): ${answer.error}` : `Nothing applied: ${errors.length} error(s).`);
  document.getElementById('result-errors').replaceChildren(...errors.map((e) => el('li', { 'data-line': String(e.line), text: e.text })));
  const byLine = new Map();
  for (const e of errors) byLine.set(e.line, (byLine.get(e.line) || []).concat(e.text));
  document.getElementById('result-lines').replaceChildren(...text.split('\n').map((line, i) => {
    const messages = byLine.get(i + 1) || [];
    return el('li', { 'data-line': String(i + 1), class: messages.length ? 'error' : null },
      el('code', { text: line }), ...messages.map((m) => el('span', { class: 'message', text: m })));
  }));
  document.getElementById('result-output').textContent = (answer.output || []).join('\n');
}

document.getElementById('apply').addEventListener('click', applyBatch);
document.getElementById('logout').addEventListener('click', async () => {
  await fetch('/nitro/v1/config/logout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"logout":{}}', credentials: 'same-origin' });
  location.assign('/gui/login.html');
});

loadHistory().catch(() => {}).finally(() => {
  poll();
  setInterval(poll, POLL_MS);
});
