// The receiver's dashboard: polls the JSON API every 5 s (session cookie)
// and renders devices, 24-hour charts (our own inline SVG) and the alarm
// history. Data from devices is only ever put in the page as text nodes.
'use strict';
(function () {
  const REFRESH_MS = 5000;
  const REQUEST_TIMEOUT_MS = 8000;
  const STALE_MS = 60 * 1000;
  const DAY_MS = 24 * 3600 * 1000;
  const GAP_MS = 15 * 60 * 1000;  // a longer pause in the data breaks the line
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const SERIES = [
    { key: 'temperature', label: 'Temperature', unit: '°C', cls: 's-temp' },
    { key: 'humidity', label: 'Humidity', unit: '%', cls: 's-hum' },
    { key: 'gas', label: 'Gas', unit: '', cls: 's-gas' },
  ];

  const $ = (id) => document.getElementById(id);
  let clockSkew = 0;        // server clock minus ours, from the Date header
  let devices = [];
  let history = new Map();  // coreid -> readings of the last 24 h
  let timer = 0;
  let loaded = false;       // whether one refresh has succeeded
  let busy = false;

  const serverNow = () => Date.now() + clockSkew;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ---------------------------------------------------------------- formats
  const pad = (n) => String(n).padStart(2, '0');
  function clock(ms) {
    const d = new Date(ms);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
  function dateTime(ms) {
    const d = new Date(ms);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(ms)}`;
  }
  function ago(ms) {
    const s = Math.max(0, Math.round((serverNow() - ms) / 1000));
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min ago`;
    return `${Math.floor(s / 86400)} d ago`;
  }
  const isNum = (v) => typeof v === 'number' && isFinite(v);
  function num(v, unit) {
    if (!isNum(v)) return '–';
    const t = Number.isInteger(v) ? String(v) : v.toFixed(1);
    return unit ? `${t} ${unit}` : t;
  }
  const yesNo = (v) => (v === true ? 'yes' : v === false ? 'no' : '–');
  const deviceName = (d) => d.name || d.coreid;

  // -------------------------------------------------------------------- API
  async function getJson(path) {
    const ctl = new AbortController();
    const t = setTimeout(() => ctl.abort(), REQUEST_TIMEOUT_MS);
    let res;
    try {
      res = await fetch(path, { credentials: 'same-origin', cache: 'no-store', signal: ctl.signal });
    } catch (e) {
      throw new Error(e.name === 'AbortError' ? `${path}: no answer in ${REQUEST_TIMEOUT_MS / 1000} s`
                                              : `${path}: ${e.message}`);
    } finally {
      clearTimeout(t);
    }
    if (res.status === 401) {
      throw new Error('Not signed in (HTTP 401): open the dashboard link with its token again.');
    }
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    const date = Date.parse(res.headers.get('Date') || '');
    if (isFinite(date)) {
      const skew = date - Date.now();
      clockSkew = Math.abs(skew) > 2000 ? skew : 0;  // the header has 1 s resolution
    }
    const body = await res.json();
    if (!Array.isArray(body)) throw new Error(`${path}: expected a JSON array`);
    return body;
  }

  async function refresh() {
    if (busy) return;  // one refresh at a time; the running one schedules the next
    busy = true;
    clearTimeout(timer);
    try {
      const [devs, alarms] = await Promise.all([getJson('api/devices'), getJson('api/alarms?limit=50')]);
      const lists = await Promise.all(devs.map((d) =>
        getJson(`api/readings?coreid=${encodeURIComponent(d.coreid)}&hours=24`)));
      devices = devs;
      history = new Map(devs.map((d, i) => [d.coreid, lists[i]]));
      renderDevices();
      renderAlarms(alarms);
      showError('');
      $('status').textContent = `Updated ${clock(Date.now())}`;
      loaded = true;
    } catch (e) {
      showError(e.message);
      $('status').textContent = 'Update failed; retrying every 5 s';
      if (!loaded) {
        for (const id of ['devices', 'alarms']) $(id).replaceChildren(el('p', 'empty', 'No data yet.'));
      }
    }
    busy = false;
    timer = setTimeout(refresh, REFRESH_MS);
  }

  function showError(text) {
    const b = $('error');
    b.hidden = !text;
    b.textContent = text ? `Cannot load data: ${text}` : '';
  }

  // ---------------------------------------------------------------- devices
  function renderDevices() {
    const box = $('devices');
    box.replaceChildren();
    if (devices.length === 0) {
      box.append(el('p', 'empty', 'No device has reported yet. Devices appear here after their first event.'));
      return;
    }
    for (const d of devices) {
      const card = deviceCard(d);
      box.append(card);  // in the page first, so that the chart knows its width
      drawChart(card.querySelector('figure'), d, history.get(d.coreid) || []);
    }
    updateAges();
  }

  function deviceCard(d) {
    const card = el('article', 'card');
    card.dataset.coreid = d.coreid;
    const head = el('header', 'card-head');
    const h = el('h3', '', deviceName(d));
    head.append(h);
    if (d.name && d.name !== d.coreid) head.append(el('p', 'coreid', d.coreid));
    if (d.last_event === 'sensor-alarm') head.append(el('span', 'badge alarm', 'alarm'));
    const seen = el('p', 'seen');
    seen.append('Last seen ');
    const age = el('time', 'age');
    age.dataset.ms = d.last_seen_ms;
    age.dateTime = new Date(d.last_seen_ms).toISOString();
    age.title = dateTime(d.last_seen_ms);
    seen.append(age);
    head.append(seen);
    card.append(head);

    const r = d.readings || {};
    const dl = el('dl', 'readings');
    const add = (label, value, cls) => {
      const item = el('div', 'reading' + (cls ? ' ' + cls : ''));
      item.append(el('dt', '', label), el('dd', '', value));
      dl.append(item);
    };
    add('Temperature', num(r.temperature, '°C'));
    add('Humidity', num(r.humidity, '%'));
    add('Gas', num(r.gas));
    add('Movement', yesNo(r.movement), r.movement === true ? 'hot' : '');
    add('Flame', yesNo(r.flame), r.flame === true ? 'hot' : '');
    card.append(dl);

    const chart = el('figure', 'chart');
    chart.append(el('figcaption', '', 'Last 24 hours'));
    card.append(chart);
    return card;
  }

  // Relative ages tick every second between refreshes.
  function updateAges() {
    for (const t of document.querySelectorAll('time.age')) {
      const ms = Number(t.dataset.ms);
      if (!isFinite(ms) || ms <= 0) { t.textContent = 'never'; continue; }
      t.textContent = ago(ms);
      t.classList.toggle('stale', serverNow() - ms > STALE_MS);
    }
  }

  // ------------------------------------------------------------------ chart
  // Three stacked panels sharing the time axis (the units differ too much
  // for one scale), drawn at the figure's pixel width so text stays legible.
  function niceRange(values) {
    let lo = Math.min(...values), hi = Math.max(...values);
    if (lo === hi) { lo -= 1; hi += 1; }
    const margin = (hi - lo) * 0.1;
    return [Math.floor(lo - margin), Math.ceil(hi + margin)];
  }

  function drawChart(fig, dev, rows) {
    fig.querySelector('svg')?.remove();
    fig.querySelector('p.empty')?.remove();
    const width = Math.max(260, Math.round(fig.clientWidth || 560));
    const end = serverNow(), start = end - DAY_MS;
    const left = 46, right = 12, top = 2, titleH = 16, plotH = 56, gapH = 8, axisH = 18;
    const blockH = titleH + plotH + gapH;
    const height = top + SERIES.length * blockH - gapH + axisH;
    const plotW = width - left - right;
    const x = (t) => left + ((t - start) / DAY_MS) * plotW;

    const recent = rows.filter((r) => r && isNum(r.t_ms) && r.t_ms >= start && r.data);
    const alarms = recent.filter((r) => r.event === 'sensor-alarm');
    const step = plotW < 420 ? 6 : 3;  // hours between grid lines, fewer on a phone
    const hours = [];
    for (let t = Math.ceil(start / 3600000) * 3600000; t <= end; t += 3600000) {
      if (new Date(t).getHours() % step === 0) hours.push(t);
    }
    const summary = [];
    const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'plot' });

    SERIES.forEach((s, i) => {
      const y0 = top + i * blockH, fTop = y0 + titleH, fBot = fTop + plotH;
      const g = svg('g', { class: `panel ${s.cls}` });
      g.append(svg('text', { x: left, y: y0 + 12, class: 'title' }, s.unit ? `${s.label} (${s.unit})` : s.label));
      g.append(svg('rect', { x: left, y: fTop, width: plotW, height: plotH, class: 'frame' }));
      for (const t of hours) {
        const gx = x(t).toFixed(1);
        g.append(svg('line', { x1: gx, x2: gx, y1: fTop, y2: fBot, class: 'grid' }));
      }
      for (const a of alarms) {
        const ax = x(a.t_ms).toFixed(1);
        g.append(svg('line', { x1: ax, x2: ax, y1: fTop, y2: fBot, class: 'alarm' }));
      }
      const pts = recent.filter((r) => isNum(r.data[s.key])).map((r) => [r.t_ms, r.data[s.key]]);
      if (pts.length === 0) {
        g.append(svg('text', { x: left + plotW / 2, y: fTop + plotH / 2 + 4, 'text-anchor': 'middle', class: 'nodata' },
                     'no data'));
        summary.push(`${s.label}: no data`);
      } else {
        const [lo, hi] = niceRange(pts.map((p) => p[1]));
        const pTop = fTop + 5, pBot = fBot - 5;
        const y = (v) => pBot - ((v - lo) / (hi - lo)) * (pBot - pTop);
        for (const v of [lo, hi]) {
          g.append(svg('text', { x: left - 6, y: (y(v) + 4).toFixed(1), 'text-anchor': 'end', class: 'tick' }, String(v)));
        }
        let d = '', prevT = -Infinity;
        for (const [t, v] of pts) {
          d += `${t - prevT > GAP_MS ? 'M' : 'L'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
          prevT = t;
        }
        g.append(svg('path', { d, class: 'line' }));
        const last = pts[pts.length - 1];
        g.append(svg('circle', { cx: x(last[0]).toFixed(1), cy: y(last[1]).toFixed(1), r: 3, class: 'dot' }));
        const vals = pts.map((p) => p[1]);
        summary.push(`${s.label} ${num(Math.min(...vals), s.unit)} to ${num(Math.max(...vals), s.unit)}, ` +
                     `latest ${num(last[1], s.unit)}`);
      }
      root.append(g);
    });

    const axis = svg('g', { class: 'axis' });
    for (const t of hours) {
      const gx = x(t);
      if (gx < left + 16 || gx > width - right - 40) continue;
      axis.append(svg('text', { x: gx.toFixed(1), y: height - 4, 'text-anchor': 'middle' },
                      `${pad(new Date(t).getHours())}:00`));
    }
    axis.append(svg('text', { x: width - right, y: height - 4, 'text-anchor': 'end' }, 'now'));
    root.append(axis);
    if (alarms.length) summary.push(`${alarms.length} alarm${alarms.length === 1 ? '' : 's'} (red lines)`);
    const label = `Last 24 hours of ${deviceName(dev)}: ${summary.join('; ')}.`;
    root.setAttribute('aria-label', label);
    root.prepend(svg('title', {}, label));
    fig.append(root);
    if (recent.length === 0) fig.append(el('p', 'empty', 'No readings in the last 24 hours.'));
  }

  // ----------------------------------------------------------------- alarms
  function renderAlarms(alarms) {
    const box = $('alarms');
    box.replaceChildren();
    if (alarms.length === 0) {
      box.append(el('p', 'empty', 'No alarms recorded.'));
      return;
    }
    const names = new Map(devices.map((d) => [d.coreid, deviceName(d)]));
    const wrap = el('div', 'table-wrap');
    const table = el('table', 'alarms');
    table.append(el('caption', 'sr-only', `The last ${alarms.length} alarms, newest first`));
    const hr = el('tr');
    for (const h of ['Time', 'Device', 'Temperature', 'Humidity', 'Gas', 'Movement', 'Flame', 'Reasons', 'Mailed']) {
      const th = el('th', ['Temperature', 'Humidity', 'Gas'].includes(h) ? 'n' : '', h);
      th.scope = 'col';
      hr.append(th);
    }
    const thead = el('thead');
    thead.append(hr);
    table.append(thead);
    const body = el('tbody');
    for (const a of alarms) {
      const r = a.data || {};
      const tr = el('tr');
      const when = el('th', '');
      when.scope = 'row';
      const t = el('time', '', dateTime(a.t_ms));
      t.dateTime = new Date(a.t_ms).toISOString();
      when.append(t);
      tr.append(when);
      const cell = (label, cls, text) => {
        const td = el('td', cls, text);
        td.dataset.label = label;  // shown by the stacked layout on a phone
        tr.append(td);
      };
      cell('Device', 'dev', names.get(a.coreid) || a.coreid);
      cell('Temperature', 'n', num(r.temperature, '°C'));
      cell('Humidity', 'n', num(r.humidity, '%'));
      cell('Gas', 'n', num(r.gas));
      cell('Movement', r.movement === true ? 'hot' : '', yesNo(r.movement));
      cell('Flame', r.flame === true ? 'hot' : '', yesNo(r.flame));
      cell('Reasons', '', Array.isArray(r.reasons) && r.reasons.length ? r.reasons.join(', ') : '–');
      cell('Mailed', a.mailed ? 'mailed' : 'unmailed', a.mailed ? 'yes' : 'no');
      body.append(tr);
    }
    table.append(body);
    wrap.append(table);
    box.append(wrap);
  }

  // ------------------------------------------------------------------ start
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (devices.length) renderDevices(); }, 200);
  });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
  setInterval(updateAges, 1000);
  refresh();
})();
