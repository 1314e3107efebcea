'use strict';
// The review page. It knows items only by index: thumbnails are rep/<index>[/<frame>], decisions go back as indices.
// All addresses are relative, so the per-review token in the page URL travels with every request.
(() => {
  const $ = id => document.getElementById(id);
  const slider = $('threshold');
  const grid = $('grid');
  let items = [];          // sorted by score, best first; each { i, name, path, type, score, frames, manual, card }
  let threshold = null;    // the tick-at score: the explicit preselect, or the slider once moved; null: nothing ticked by score
  let source = null;       // why items are ticked: where the threshold came from
  let focus = 0;           // position in items of the keyboard focus
  let viewing = -1;        // position shown in the enlarged view, -1 when closed
  let ended = false;

  const fmt = s => (s == null ? '' : s.toFixed(3));
  // Hand-set items keep their state; the others follow the threshold.
  // A face match shows its face: the picture scaled and shifted so the face, with a margin, fills the square thumb.
  const showFace = (img, [x, y, w, h]) => {
    const m = 1.6, cx = x + w / 2, cy = y + h / 2;
    img.classList.add('face');
    img.style.width = (100 / (w * m)) + '%';
    img.style.left = (-(cx - w * m / 2) / (w * m) * 100) + '%';
    img.style.top = (-(cy - h * m / 2) / (h * m) * 100) + '%';
  };
  const ticked = it => it.manual ?? (threshold != null && it.score != null && it.score >= threshold - 1e-9);

  async function load() {
    const res = await fetch('items', { cache: 'no-store' });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const data = await res.json();
    $('title').textContent = data.title;
    document.title = data.title + ' · MediaTagger review';
    if (data.label) { $('label').textContent = data.label; $('label').hidden = false; }
    if (data.round) showRound(data.round);
    items = data.items.map(it => Object.assign(it, { manual: undefined, card: null }));
    items.sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity) || a.i - b.i);
    const scores = items.filter(it => it.score != null).map(it => it.score);
    if (scores.length) {
      // Nothing is ticked by score unless the person gave a preselect threshold: the slider then starts above every item.
      if (data.preselect != null) { threshold = data.preselect; source = data.preselectSource; }
      let lo = threshold ?? scores[0], hi = threshold ?? scores[0];
      for (const s of scores) { if (s < lo) lo = s; if (s > hi) hi = s; }
      slider.min = (Math.floor(lo * 100) / 100).toFixed(2);
      slider.max = (Math.ceil(hi * 100) / 100 + 0.01).toFixed(2);
      slider.value = threshold ?? slider.max;
      $('threshold-value').textContent = threshold == null ? '–' : fmt(threshold);
      $('threshold-box').hidden = false;
    }
    render();
  }

  // An active review (Invoke-MediaReview -Subject): what the rounds so far brought, what is probably left, whether to stop.
  function showRound(r) {
    const box = $('round');
    const span = (id, cls, text) => { const e = document.createElement('span'); e.id = id; e.className = cls; e.textContent = text; return e; };
    const one = x => (Math.round(x * 10) / 10).toLocaleString();
    const facts = [];
    if (r.lastRoundSize != null) facts.push(`last round: ${r.lastRoundApproved} of ${r.lastRoundSize} approved`);
    facts.push(`${r.approvedSoFar.toLocaleString()} approved so far`);
    facts.push(r.estimatedUnreviewed != null
      ? `about ${one(r.estimatedUnreviewed)} positives still unreviewed`
      : `positives left: estimated once ${r.learnsAfter} are approved and ${r.learnsAfter} rejected`);
    box.append(span('round-number', 'round-number', `${r.subject} · round ${r.number}`), span('round-facts', 'round-facts', facts.join(' · ')));
    if (r.probablyDone) {
      box.classList.add('finished');
      box.append(span('round-done', 'probably-done', 'Probably done'));
    }
    if (r.advice) box.append(span('round-advice', 'round-advice', r.advice));
    box.hidden = false;
  }

  function render() {
    const fragment = document.createDocumentFragment();
    items.forEach((it, pos) => {
      const card = document.createElement('div');
      card.className = 'card';
      card.setAttribute('role', 'option');
      card.tabIndex = pos === 0 ? 0 : -1;
      card.dataset.pos = pos;
      card.dataset.index = it.i;

      const thumb = document.createElement('button');
      thumb.type = 'button';
      thumb.className = 'thumb';
      thumb.tabIndex = -1;
      thumb.title = 'Enlarge';
      if (it.frames > 0) {
        const img = document.createElement('img');
        img.loading = 'lazy';
        img.decoding = 'async';
        img.alt = it.name;
        img.src = 'rep/' + it.i;
        if (it.face) showFace(img, it.face);
        thumb.append(img);
      } else {
        const none = document.createElement('span');
        none.className = 'none';
        none.textContent = 'No preview';
        thumb.append(none);
      }
      if (it.type === 'video') {
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.textContent = '▶ video' + (it.frames > 1 ? ' · ' + it.frames + ' frames' : '');
        thumb.append(badge);
      }
      thumb.addEventListener('click', () => { setFocus(pos, false); openViewer(pos); });

      const meta = document.createElement('label');
      meta.className = 'meta';
      meta.title = it.path;
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.tabIndex = -1;
      box.setAttribute('aria-label', 'Approve ' + it.name);
      box.addEventListener('change', () => { it.manual = box.checked; setFocus(pos, false); paint(it); count(); });
      const score = document.createElement('span');
      score.className = 'score';
      score.textContent = fmt(it.score);
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = it.name;
      meta.append(box, score, name);

      card.append(thumb, meta);
      it.card = card;
      it.box = box;
      paint(it);
      fragment.append(card);
    });
    grid.replaceChildren(fragment);
    count();
  }

  function paint(it) {
    const on = ticked(it);
    it.box.checked = on;
    it.card.classList.toggle('off', !on);
    it.card.classList.toggle('manual', it.manual !== undefined);
    it.card.setAttribute('aria-selected', on ? 'true' : 'false');
  }

  function paintAll() { for (const it of items) paint(it); count(); }

  function count() {
    const n = items.reduce((sum, it) => sum + (ticked(it) ? 1 : 0), 0);
    $('count').innerHTML = '';
    const b = document.createElement('b');
    b.textContent = n.toLocaleString();
    $('count').append(b, ' of ' + items.length.toLocaleString() + ' selected');
    const manual = items.reduce((sum, it) => sum + (it.manual !== undefined ? 1 : 0), 0);
    let why = threshold == null
      ? 'Nothing is ticked in advance: no preselect threshold was given (-Preselect, or review.preselect in the profile).'
      : 'Ticked when the score is at least ' + fmt(threshold) + ' (' + source + ').';
    if (manual) why += ' ' + manual.toLocaleString() + ' set by hand.';
    $('why').textContent = why;
  }

  function setFocus(pos, move = true) {
    if (!items.length) return;
    pos = Math.max(0, Math.min(items.length - 1, pos));
    items[focus].card.tabIndex = -1;
    focus = pos;
    const card = items[focus].card;
    card.tabIndex = 0;
    if (move) { card.focus({ preventScroll: true }); card.scrollIntoView({ block: 'nearest' }); }
  }

  function columns() {
    return getComputedStyle(grid).gridTemplateColumns.split(' ').filter(Boolean).length || 1;
  }

  function toggle(pos) {
    const it = items[pos];
    it.manual = !ticked(it);
    paint(it);
    count();
    if (viewing === pos) caption();
  }

  function setAll(fn) {
    for (const it of items) it.manual = fn(it);
    paintAll();
  }

  function openViewer(pos, frame = 1) {
    const it = items[pos];
    viewing = pos;
    const img = $('viewer-img');
    if (it.frames > 0) { img.src = 'rep/' + it.i + (frame > 1 ? '/' + frame : ''); img.hidden = false; } else { img.removeAttribute('src'); img.hidden = true; }
    img.alt = it.name;
    const strip = $('viewer-frames');
    strip.replaceChildren();
    if (it.frames > 1) {
      for (let f = 1; f <= it.frames; f++) {
        const t = document.createElement('img');
        t.src = 'rep/' + it.i + (f > 1 ? '/' + f : '');
        t.alt = 'Frame ' + f;
        if (f === frame) t.className = 'current';
        t.addEventListener('click', () => openViewer(pos, f));
        strip.append(t);
      }
    }
    caption();
    $('viewer').hidden = false;
  }

  function caption() {
    const it = items[viewing];
    $('viewer-caption').textContent = (it.score != null ? fmt(it.score) + ' · ' : '') + it.path + ' · ' +
      (ticked(it) ? '✔ approved' : '✘ not approved') + ' (Space toggles, ← → browse, Esc closes)';
  }

  function closeViewer() {
    $('viewer').hidden = true;
    viewing = -1;
    setFocus(focus);
  }

  async function finish(action) {
    if (ended) return;
    ended = true;
    for (const b of document.querySelectorAll('button')) b.disabled = true;
    const approved = items.filter(ticked).map(it => it.i).sort((a, b) => a - b);
    const body = action === 'apply' ? JSON.stringify({ approved, threshold }) : '{}';
    let text;
    try {
      const res = await fetch(action, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, cache: 'no-store' });
      if (res.ok) {
        text = action === 'apply'
          ? `Applied: ${approved.length.toLocaleString()} approved, ${(items.length - approved.length).toLocaleString()} not. You can close this tab.`
          : 'Cancelled: nothing was approved. You can close this tab.';
      } else {
        text = 'This review had already ended; nothing was changed here.';
      }
    } catch (e) {
      text = 'The review has ended in the console (timed out or stopped), so nothing was applied from this page.';
    }
    $('done-text').textContent = text;
    $('done').hidden = false;
  }

  slider.addEventListener('input', () => {
    threshold = Number(slider.value);
    source = 'the slider';
    $('threshold-value').textContent = fmt(threshold);
    paintAll();
  });
  $('all').addEventListener('click', () => setAll(() => true));
  $('none').addEventListener('click', () => setAll(() => false));
  $('invert').addEventListener('click', () => setAll(it => !ticked(it)));
  $('apply').addEventListener('click', () => finish('apply'));
  $('cancel').addEventListener('click', () => finish('cancel'));
  $('viewer-close').addEventListener('click', closeViewer);
  $('viewer').addEventListener('click', e => { if (e.target === $('viewer')) closeViewer(); });
  grid.addEventListener('focusin', e => {
    const card = e.target.closest('.card');
    if (card) setFocus(Number(card.dataset.pos), false);
  });

  document.addEventListener('keydown', e => {
    if (ended || !items.length || e.altKey || e.ctrlKey || e.metaKey) return;
    const onControl = e.target instanceof HTMLElement && e.target.closest('.bar');
    if (viewing >= 0) {
      if (e.key === 'Escape') closeViewer();
      else if (e.key === 'ArrowRight' && viewing < items.length - 1) { setFocus(viewing + 1, false); openViewer(viewing + 1); }
      else if (e.key === 'ArrowLeft' && viewing > 0) { setFocus(viewing - 1, false); openViewer(viewing - 1); }
      else if (e.key === ' ') toggle(viewing);
      else if (e.key === 'Enter') { closeViewer(); finish('apply'); }
      else return;
      e.preventDefault();
      return;
    }
    // The slider and buttons keep their own keys (arrows move the slider, Enter/Space press a button).
    if (onControl && ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', ' ', 'Enter', 'Home', 'End'].includes(e.key)) return;
    switch (e.key) {
      case 'ArrowRight': setFocus(focus + 1); break;
      case 'ArrowLeft': setFocus(focus - 1); break;
      case 'ArrowDown': setFocus(focus + columns()); break;
      case 'ArrowUp': setFocus(focus - columns()); break;
      case 'Home': setFocus(0); break;
      case 'End': setFocus(items.length - 1); break;
      case ' ': toggle(focus); break;
      case 'e': case 'E': openViewer(focus); break;
      case 'Enter': finish('apply'); break;
      default: return;
    }
    e.preventDefault();
  });

  load().catch(err => {
    $('title').textContent = 'This review is no longer available (' + err.message + ').';
  });
})();
