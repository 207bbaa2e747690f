// The workbench page (docs/workbench.md). Plain ES module, no dependency, no external
// resource. Every change is sent as the `--set PATH=VALUE` strings of the command line; the
// server answers with the whole state (matrix, pending edits, results), which is drawn again.

const TOKEN = document.querySelector('meta[name="abduce-token"]').content;
const RATINGS = { '1': 'CC', '2': 'C', '3': 'N', '4': 'I', '5': 'II', '0': 'NA' };

let S = null; // the last state from the server
let shownResults = null; // the results drawn (a preview while a slider moves)
const ui = { groupBy: 'file', sortBy: 'declared', mode: 'rating', hideNondiag: false, focus: null };

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const SVG = 'http' + '://www.w3.org/2000/svg'; // a namespace name, never fetched
function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---- numbers ---------------------------------------------------------------------------

function pct(p) {
  if (p > 0 && p < 0.0005) return '<0.1%';
  if (p < 1 && p > 0.9995) return '>99.9%';
  return (100 * p).toFixed(1) + '%';
}
const db = (x) => (x === null || x === undefined ? '—' : (x > 0 ? '+' : '') + x.toFixed(1));
const num = (x, d = 2) => (x === null || x === undefined ? '—' : Number(x.toFixed(d)).toString());
function mult(t) {
  if (t === null || t === undefined) return '—';
  return (t >= 10 ? t.toFixed(0) : t >= 1 ? t.toFixed(1) : t.toPrecision(2)) + '×';
}

// ---- talking to the server -------------------------------------------------------------

async function call(path, body) {
  const opts = { headers: { 'X-Abduce-Token': TOKEN } };
  if (body !== undefined) {
    opts.method = 'POST';
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  const data = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
  if (!r.ok) throw new Error(data.error || `HTTP ${r.status}`);
  return data;
}

function showError(message) {
  $('error-text').textContent = message;
  $('error-banner').hidden = !message;
}

let busy = Promise.resolve();
// Requests run one after the other, in the order the analyst made them.
function queue(task) {
  busy = busy.then(task).catch((e) => showError(e.message));
  return busy;
}

function accept(state) {
  S = state;
  shownResults = state.results;
  showError('');
  render();
}

const post = (path, body = {}) => queue(async () => accept(await call(path, body)));
const edit = (...sets) => post('api/edit', { set: sets });

// While a slider moves: previews of the latest value, one at a time, never stored.
let previewWanted = null;
let previewRunning = false;
async function preview(set) {
  previewWanted = set;
  if (previewRunning) return;
  previewRunning = true;
  try {
    while (previewWanted !== null) {
      const s = previewWanted;
      previewWanted = null;
      const r = await call('api/preview', { set: [s] });
      if (S && r.revision === S.revision) {
        shownResults = r.results;
        renderResults(r.server_ms, true);
        paintCells();
      }
    }
  } catch (e) {
    showError(e.message);
  } finally {
    previewRunning = false;
  }
}

// ---- the matrix ------------------------------------------------------------------------

function contributionColour(c) {
  if (c === null || c === undefined) return '#eceff1';
  const a = Math.min(Math.abs(c) / 6, 1) * 0.55 + 0.04;
  return c >= 0 ? `rgba(34, 139, 74, ${a.toFixed(3)})` : `rgba(200, 48, 48, ${a.toFixed(3)})`;
}

function evidenceScore(e) {
  return shownResults.score.evidence[e];
}

function leaderId() {
  return shownResults.score.hypotheses[0].id;
}

function changedPaths() {
  return new Set(S.changes.map((c) => c.quantity));
}

function orderedRows() {
  const rows = S.matrix.rows.map((r, e) => ({ r, e }));
  const sc = (e) => S.results.score.evidence[e];
  const lead = S.results.score.hypotheses[0].id;
  const keyed = {
    declared: (a, b) => a.e - b.e,
    diagnosticity: (a, b) => sc(b.e).diagnosticity_db - sc(a.e).diagnosticity_db || a.e - b.e,
    leader: (a, b) =>
      (sc(b.e).contributions_db[lead] ?? -1e9) - (sc(a.e).contributions_db[lead] ?? -1e9) || a.e - b.e,
    date: (a, b) => (a.r.date || '9999').localeCompare(b.r.date || '9999') || a.e - b.e,
  }[ui.sortBy];
  const counted = rows.filter((x) => x.r.status !== 'pending');
  const pending = rows.filter((x) => x.r.status === 'pending');
  const visible = counted.filter(
    (x) => !ui.hideNondiag || sc(x.e).diagnosticity_db >= S.non_diagnostic_db,
  );
  const sections = [];
  if (ui.groupBy === 'none') {
    sections.push({ name: null, rows: visible.sort(keyed) });
  } else {
    const key = (x) => (ui.groupBy === 'file' ? x.r.file : x.r.group || '(no group)');
    const names = [];
    for (const x of visible) if (!names.includes(key(x))) names.push(key(x));
    for (const n of names) sections.push({ name: n, rows: visible.filter((x) => key(x) === n).sort(keyed) });
  }
  if (pending.length) sections.push({ name: 'Pending indicators (not counted)', rows: pending.sort(keyed), pending: true });
  return sections;
}

function rangeControl(path, value, range, step) {
  // A number input, and a slider over the 90% range when there is one.
  const wrap = el('span');
  const box = el('input', {
    type: 'number', step: step, value: value ?? '', 'data-path': path, 'aria-label': path,
    min: range ? range[0] : 0, max: range ? range[1] : null,
  });
  box.addEventListener('change', () => box.value !== '' && edit(`${path}=${box.value}`));
  box.addEventListener('keydown', (ev) => ev.stopPropagation());
  wrap.append(box);
  if (range && range[0] < range[1]) {
    const slider = el('input', {
      type: 'range', min: range[0], max: range[1], step: step, value: value,
      'data-path': path, 'aria-label': `${path} slider`, title: `90% range [${range[0]}, ${range[1]}]`,
    });
    slider.addEventListener('input', () => {
      box.value = slider.value;
      preview(`${path}=${slider.value}`);
    });
    slider.addEventListener('change', () => {
      previewWanted = null;
      edit(`${path}=${slider.value}`);
    });
    slider.addEventListener('keydown', (ev) => ev.stopPropagation());
    wrap.append(slider);
  }
  return wrap;
}

function cellText(cell) {
  if (ui.mode === 'rating' && cell.rating) return cell.rating;
  return cell.value === null ? 'NA' : num(cell.value);
}

function renderMatrix() {
  const m = S.matrix;
  const table = $('matrix');
  table.replaceChildren();
  const changed = changedPaths();
  const head = el('tr', {},
    el('th', { text: 'Item' }), el('th', { text: 'Grade', title: 'Admiralty: source reliability, information' }),
    el('th', { text: 'Status' }), el('th', { text: 'Weight' }), el('th', { text: 'Credibility' }),
    el('th', { text: 'Diag. dB', title: 'diagnosticity: the spread of its contributions' }));
  m.hypotheses.forEach((h) => head.append(el('th', { class: 'hyp', title: `${h.id}: ${h.title}` }, el('span', { text: h.id }))));
  const priors = el('tr', { class: 'priors' }, el('th', { colspan: 6, text: 'Prior weights', class: 'muted' }));
  m.hypotheses.forEach((h) => {
    priors.append(el('th', {}, rangeControl(`hypothesis.${h.id}.prior`, h.prior, h.prior_range, 0.05)));
  });
  table.append(el('thead', {}, head, priors));
  const body = el('tbody');
  for (const section of orderedRows()) {
    if (section.name) body.append(el('tr', { class: 'section' }, el('td', { colspan: 6 + m.hypotheses.length, text: section.name })));
    for (const { r, e } of section.rows) {
      const sc = S.results.score.evidence[e];
      const nondiag = r.status !== 'pending' && sc.diagnosticity_db < S.non_diagnostic_db;
      const tr = el('tr', { 'data-item': r.id, class: (section.pending ? 'pending-row ' : '') + (nondiag ? 'nondiag' : '') });
      tr.append(el('td', { class: 'item', title: `${r.title}\n${r.file}${r.date ? ' · ' + r.date : ''}` },
        el('span', { class: 't', text: r.title }),
        el('span', { class: 'id', text: `${r.id}${r.date ? ' · ' + r.date : ''}${r.group ? ' · ' + r.group : ''}` })));
      tr.append(el('td', { text: r.grade || '', title: r.source || '' }));
      const status = el('select', { 'data-path': `evidence.${r.id}.status`, 'aria-label': `status of ${r.id}` });
      for (const s of ['observed', 'absent', 'pending', 'retracted']) status.append(el('option', { value: s, text: s, selected: s === r.status }));
      status.addEventListener('change', () => edit(`evidence.${r.id}.status=${status.value}`));
      status.addEventListener('keydown', (ev) => ev.stopPropagation());
      tr.append(el('td', {}, status));
      tr.append(el('td', { class: 'ctl' }, rangeControl(`evidence.${r.id}.weight`, Number(r.weight.toFixed(3)), r.weight_range, 0.01)));
      tr.append(el('td', { class: 'ctl' }, r.credibility === null
        ? el('span', { class: 'muted', text: 'hit/false alarm' })
        : rangeControl(`evidence.${r.id}.credibility`, Number(r.credibility.toFixed(3)), r.credibility_range, 0.01)));
      tr.append(el('td', { class: 'num diag', text: num(sc.diagnosticity_db, 1) }));
      r.cells.forEach((c, k) => {
        const h = m.hypotheses[k].id;
        const path = `evidence.${r.id}.likelihood.${h}`;
        tr.append(el('td', {
          class: 'cell' + (changed.has(path) ? ' edited' : ''), tabindex: -1, 'data-item': r.id, 'data-h': k, 'data-path': path,
          text: cellText(c),
        }));
      });
      body.append(tr);
    }
  }
  table.append(body);
  paintCells();
  restoreFocus();
}

function paintCells() {
  const byId = new Map(S.matrix.rows.map((r, e) => [r.id, e]));
  for (const td of document.querySelectorAll('#matrix td.cell')) {
    const e = byId.get(td.dataset.item);
    const h = S.matrix.hypotheses[Number(td.dataset.h)].id;
    const row = S.matrix.rows[e];
    const cell = row.cells[Number(td.dataset.h)];
    const c = evidenceScore(e).contributions_db[h];
    td.style.background = contributionColour(row.status === 'pending' ? null : c);
    td.title = `${row.id} × ${h}\n${cell.rating ? cell.rating + ' = ' : ''}P(E|H) ${cell.value === null ? 'NA' : num(cell.value, 3)}` +
      `${cell.range ? ` [${cell.range[0]}, ${cell.range[1]}]` : ''}\ncontribution ${db(c)} dB`;
  }
}

function cells() {
  return [...document.querySelectorAll('#matrix td.cell')];
}

function focusCell(item, h) {
  const td = document.querySelector(`#matrix td.cell[data-item="${CSS.escape(item)}"][data-h="${h}"]`);
  if (!td) return false;
  for (const c of cells()) c.tabIndex = -1;
  td.tabIndex = 0;
  td.focus();
  ui.focus = { item, h };
  return true;
}

function restoreFocus() {
  const all = cells();
  if (!all.length) return;
  if (ui.focus && document.activeElement === document.body && focusCell(ui.focus.item, ui.focus.h)) return;
  if (!document.querySelector('#matrix td.cell[tabindex="0"]')) all[0].tabIndex = 0;
}

function moveFocus(td, dr, dc) {
  const rows = [...document.querySelectorAll('#matrix tbody tr[data-item]')];
  const i = rows.findIndex((r) => r.dataset.item === td.dataset.item);
  const n = S.matrix.hypotheses.length;
  const h = Math.min(Math.max(Number(td.dataset.h) + dc, 0), n - 1);
  const j = Math.min(Math.max(i + dr, 0), rows.length - 1);
  focusCell(rows[j].dataset.item, h);
}

function editNumber(td) {
  const row = S.matrix.rows.find((r) => r.id === td.dataset.item);
  const cell = row.cells[Number(td.dataset.h)];
  const input = el('input', { type: 'number', step: 0.01, min: 0, max: 1, value: cell.value ?? '', 'aria-label': td.dataset.path });
  td.replaceChildren(input);
  input.focus();
  input.select();
  input.addEventListener('keydown', (ev) => {
    ev.stopPropagation();
    if (ev.key === 'Enter' && input.value !== '') {
      ui.focus = { item: td.dataset.item, h: Number(td.dataset.h) };
      edit(`${td.dataset.path}=${input.value}`);
    } else if (ev.key === 'Escape') {
      td.textContent = cellText(cell);
      td.focus();
    }
  });
}

function onMatrixKey(ev) {
  const td = ev.target.closest && ev.target.closest('td.cell');
  if (!td) return;
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  if (moves[ev.key]) {
    ev.preventDefault();
    moveFocus(td, ...moves[ev.key]);
  } else if (RATINGS[ev.key]) {
    ev.preventDefault();
    ui.focus = { item: td.dataset.item, h: Number(td.dataset.h) };
    edit(`${td.dataset.path}=${RATINGS[ev.key]}`);
  } else if (ev.key === 'Enter') {
    ev.preventDefault();
    editNumber(td);
  }
}

// ---- the results -----------------------------------------------------------------------

function bar(p, lo, hi) {
  const w = 80;
  const s = svg('svg', { width: w, height: 12, viewBox: `0 0 ${w} 12`, role: 'img' });
  s.append(svg('rect', { x: 0, y: 2, width: (p * w).toFixed(1), height: 8, fill: '#6d97c7' }));
  s.append(svg('line', { x1: (lo * w).toFixed(1), x2: (hi * w).toFixed(1), y1: 6, y2: 6, stroke: '#1d2329', 'stroke-width': 1.5 }));
  for (const x of [lo, hi]) s.append(svg('line', { x1: (x * w).toFixed(1), x2: (x * w).toFixed(1), y1: 2, y2: 10, stroke: '#1d2329' }));
  return s;
}

function renderPosteriors() {
  const R = shownResults;
  const mc = new Map(R.monte_carlo.hypotheses.map((h) => [h.id, h]));
  const t = $('posteriors');
  t.replaceChildren(el('tr', {}, el('th', { text: 'Hypothesis' }), el('th', { text: 'Posterior' }), el('th', { text: '' }),
    el('th', { text: '90% interval', title: 'Monte Carlo 5th–95th percentile' }), el('th', { text: 'P(rank 1)' })));
  for (const h of R.score.hypotheses) {
    const m = mc.get(h.id);
    t.append(el('tr', { 'data-id': h.id, class: h.rank === 1 ? 'leader' : null },
      el('td', { title: h.title, text: h.id }),
      el('td', { class: 'posterior', 'data-posterior': String(h.posterior), text: pct(h.posterior) }),
      el('td', {}, bar(h.posterior, m.q05, m.q95)),
      el('td', { text: `${pct(m.q05)}–${pct(m.q95)}` }),
      el('td', { class: 'ptop', 'data-ptop': String(m.p_top), text: pct(m.p_top) })));
  }
  $('mc-note').textContent = `Monte Carlo: ${R.monte_carlo.samples.toLocaleString('en')} scenarios, seed ${R.monte_carlo.seed}; ` +
    `the leader ranks first in ${pct(R.monte_carlo.leader_stability)} of them.`;
}

function renderFamilies() {
  const R = shownResults;
  const fams = R.score.families || [];
  $('families-card').hidden = fams.length === 0;
  const mc = new Map((R.monte_carlo.families || []).map((f) => [f.id, f]));
  const t = $('families');
  t.replaceChildren(el('tr', {}, el('th', { text: 'Family' }), el('th', { text: 'Posterior' }),
    el('th', { text: '90% interval' }), el('th', { text: 'P(leads)', title: 'share of scenarios whose leader is a member' })));
  for (const f of fams) {
    const m = mc.get(f.id);
    t.append(el('tr', { 'data-id': f.id },
      el('td', { title: `${f.title}: ${f.members.join(', ')}`, text: f.id }),
      el('td', { 'data-posterior': String(f.posterior), text: pct(f.posterior) }),
      el('td', { text: m ? `${pct(m.q05)}–${pct(m.q95)}` : '—' }),
      el('td', { text: m ? pct(m.p_top) : '—' })));
  }
}

function renderLeader() {
  const R = shownResults;
  const [a, b] = R.score.hypotheses;
  $('leader-line').replaceChildren(
    el('span', { class: 'leader', text: `${a.id} ${pct(a.posterior)}` }),
    ` (${a.estimative}) leads ` + (R.runner_up ? `${b.id} ${pct(b.posterior)}.` : 'every other hypothesis, all eliminated.'));
  const t = $('separating');
  t.replaceChildren(el('tr', {}, el('th', { text: 'Items that separate them' }), el('th', { text: `dB for ${a.id}` })));
  for (const s of R.separating) t.append(el('tr', {}, el('td', { title: s.title, text: s.id }), el('td', { text: db(s.db) })));
}

function renderTornado() {
  const T = shownResults.tornado;
  const bars = T.bars.slice(0, 12);
  const w = 400, left = 190, right = 10, rowH = 16;
  const lo = Math.min(T.y_point, ...bars.map((b) => Math.min(b.y_low, b.y_high)));
  const hi = Math.max(T.y_point, ...bars.map((b) => Math.max(b.y_low, b.y_high)));
  const span = Math.max(hi - lo, 1e-9);
  const x = (y) => left + ((y - lo) / span) * (w - left - right);
  const s = svg('svg', { width: w, height: bars.length * rowH + 22, viewBox: `0 0 ${w} ${bars.length * rowH + 22}`, role: 'img', id: 'tornado-chart' });
  bars.forEach((b, i) => {
    const y = i * rowH + 2;
    const label = b.quantity.replace(/^evidence\./, '').replace('.likelihood.', ' ℓ ');
    s.append(svg('text', { x: left - 4, y: y + 11, 'text-anchor': 'end' }, label.length > 32 ? label.slice(0, 31) + '…' : label));
    const [a, c] = [x(Math.min(b.y_low, b.y_high)), x(Math.max(b.y_low, b.y_high))];
    const flips = b.leader_low !== b.leader_high || b.leader_low !== T.output.replace('posterior:', '');
    s.append(svg('rect', { x: a.toFixed(1), y, width: Math.max(c - a, 1).toFixed(1), height: rowH - 4, fill: flips ? '#c85a5a' : '#8fb0d6' }));
  });
  const px = x(T.y_point);
  s.append(svg('line', { x1: px, x2: px, y1: 0, y2: bars.length * rowH + 2, stroke: '#1d2329' }));
  s.append(svg('text', { x: px, y: bars.length * rowH + 16, 'text-anchor': 'middle' }, `${T.output.replace('posterior:', '')} ${pct(T.y_point)}`));
  $('tornado').replaceChildren(s);
}

function renderTipping() {
  const P = shownResults.tipping;
  const t = $('tipping');
  t.replaceChildren(el('tr', {}, el('th', { text: 'Item' }), el('th', { text: 'Leader changes below', title: 'weight multiplier' }),
    el('th', { text: 'above' }), el('th', { text: 'Without it' })));
  const items = P.items.filter((i) => i.lower !== null || i.upper !== null || i.critical);
  for (const i of items.slice(0, 15)) {
    t.append(el('tr', { class: i.critical ? 'crit' : null },
      el('td', { text: i.id, title: i.critical ? 'critical: removing it changes the leader' : '' }),
      el('td', { text: i.lower === null ? '—' : `${mult(i.lower)} → ${i.lower_by}` }),
      el('td', { text: i.upper === null ? '—' : `${mult(i.upper)} → ${i.upper_by}` }),
      el('td', { text: `${i.loo_leader} ${pct(i.loo_posterior)}` })));
  }
  if (!items.length) t.append(el('tr', {}, el('td', { colspan: 4, text: 'No item can change the leader at any weight.' })));
}

function renderIndicators() {
  const I = shownResults.indicators.indicators;
  const t = $('indicators');
  t.replaceChildren(el('tr', {}, el('th', { text: 'Pending item' }), el('th', { text: 'P(found)' }),
    el('th', { text: 'Info (bits)' }), el('th', { text: 'P(leader changes)' })));
  for (const i of I) {
    t.append(el('tr', {}, el('td', { text: i.id }), el('td', { text: pct(i.p_observe) }),
      el('td', { text: i.expected_info_gain_bits.toFixed(3) }), el('td', { text: pct(i.p_leader_change) })));
  }
  if (!I.length) t.append(el('tr', {}, el('td', { colspan: 4, text: 'No pending item.' })));
}

function renderResults(ms, isPreview) {
  renderPosteriors();
  renderFamilies();
  renderLeader();
  renderTornado();
  renderTipping();
  renderIndicators();
  $('timing').textContent = `${isPreview ? 'preview · ' : ''}server ${ms.toFixed(1)} ms`;
}

// ---- pending edits and the page around -------------------------------------------------

function renderPending() {
  const changes = $('changes');
  changes.replaceChildren();
  for (const c of S.changes) {
    changes.append(el('li', {}, el('code', { text: c.quantity }), ` ${c.before} → `, el('strong', { text: c.after })));
  }
  const steps = $('steps');
  steps.replaceChildren();
  for (const st of S.steps) {
    const [a, pa] = st.leader_before;
    const [b, pb] = st.leader_after;
    steps.append(el('li', { text: `${st.sets.join(', ')} — leader ${a} ${pct(pa)} → ${b} ${pct(pb)}` }));
  }
  $('pending-count').textContent = S.steps.length ? `(${S.changes.length} changed)` : '(none: the files as loaded)';
  const none = S.steps.length === 0;
  $('btn-undo').disabled = none;
  $('btn-redo').disabled = S.redo.length === 0;
  $('btn-discard').disabled = none;
  $('btn-save').disabled = none || S.read_only || S.changed_on_disk.length > 0;
  $('btn-overlay').disabled = none || S.read_only;
  $('btn-save-as-case').hidden = !S.read_only;
  $('command-line').textContent = S.command_line;
  for (const f of ['html', 'md', 'json']) $(`dl-${f}`).href = `api/report?format=${f}&token=${TOKEN}`;
  $('badge-readonly').hidden = !S.read_only;
  $('disk-banner').hidden = S.changed_on_disk.length === 0;
  $('disk-text').textContent = `Changed on disk since loaded: ${S.changed_on_disk.join(', ')}. Save is refused until you reload.`;
}

function render() {
  $('case-title').textContent = S.matrix.title;
  $('case-question').textContent = S.matrix.question || '';
  document.title = `${S.matrix.case} · abduce workbench`;
  renderMatrix();
  renderResults(S.server_ms, false);
  renderPending();
}

function wire() {
  $('matrix').addEventListener('keydown', onMatrixKey);
  $('matrix').addEventListener('click', (ev) => {
    const td = ev.target.closest('td.cell');
    if (td && !td.querySelector('input')) focusCell(td.dataset.item, Number(td.dataset.h));
  });
  $('group-by').addEventListener('change', (e) => { ui.groupBy = e.target.value; renderMatrix(); });
  $('sort-by').addEventListener('change', (e) => { ui.sortBy = e.target.value; renderMatrix(); });
  $('cell-mode').addEventListener('change', (e) => { ui.mode = e.target.value; renderMatrix(); });
  $('hide-nondiag').addEventListener('change', (e) => { ui.hideNondiag = e.target.checked; renderMatrix(); });
  $('btn-undo').addEventListener('click', () => post('api/undo'));
  $('btn-redo').addEventListener('click', () => post('api/redo'));
  $('btn-discard').addEventListener('click', () => post('api/discard'));
  $('btn-reload').addEventListener('click', () => post('api/reload'));
  $('btn-save').addEventListener('click', () => post('api/save'));
  $('btn-overlay').addEventListener('click', () => {
    const name = window.prompt('Overlay name (letters, digits, - and _); written to overlays/NAME.toml');
    if (name) post('api/save-overlay', { name });
  });
  $('btn-save-as-case').addEventListener('click', () => {
    const folder = window.prompt('New case folder, inside the folder abduce serve was started in');
    if (folder) post('api/save-as-case', { folder });
  });
  $('btn-error-close').addEventListener('click', () => showError(''));
  document.addEventListener('keydown', (ev) => {
    if (!(ev.ctrlKey || ev.metaKey) || ev.target.tagName === 'INPUT') return;
    if (ev.key === 'z' && !ev.shiftKey) { ev.preventDefault(); if (S.steps.length) post('api/undo'); }
    if (ev.key === 'y' || (ev.key === 'z' && ev.shiftKey)) { ev.preventDefault(); if (S.redo.length) post('api/redo'); }
  });
  // A case file changed by someone else shows up when the page is looked at again.
  const refresh = () => queue(async () => {
    const st = await call('api/state');
    if (!S || st.revision !== S.revision || st.changed_on_disk.join() !== S.changed_on_disk.join()) accept(st);
  });
  window.addEventListener('focus', refresh);
  setInterval(refresh, 10000);
}

wire();
queue(async () => accept(await call('api/state')));
