// Operator page of one terminal: follows /api/v1/sync/status/stream (server-sent events; polls
// /api/v1/sync/status every 2 s while the stream is unavailable), draws the pending count of the
// last minutes and drives pause/resume/sync now.
// Plain JS, no libraries: the page must work with no network beyond this terminal.
(function () {
  'use strict';
  var REFRESH_MS = 2000;
  var STREAM_URL = '/api/v1/sync/status/stream';
  // After the stream failed (refused, terminal restarting), poll and try the stream again this late.
  var STREAM_RETRY_MS = 15000;
  // The pending chart: the samples of the last CHART_WINDOW_MS, kept in the page only.
  var CHART_WINDOW_MS = 10 * 60 * 1000;
  var CHART_MAX_SAMPLES = 1200;
  var CHART_W = 600;
  var CHART_H = 80;
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var PENDING_ALERT = 10;
  var STALE_MS = 60 * 60 * 1000;

  function $(id) { return document.getElementById(id); }
  function text(id, value) { $(id).textContent = value === null || value === undefined ? '–' : String(value); }
  function when(iso) {
    if (!iso) { return 'never'; }
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
  }
  function cell(row, value, cls) {
    var td = document.createElement('td');
    td.textContent = value === null || value === undefined ? '' : String(value);
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }
  function emptyRow(body, cols, message) {
    var tr = document.createElement('tr');
    var td = cell(tr, message, 'muted');
    td.colSpan = cols;
    body.appendChild(tr);
  }

  function render(s) {
    text('terminal', s.terminalId);
    // Three states: held by the operator, or the bridge connected to central or not.
    var state = s.paused ? 'paused' : (s.online ? 'online' : 'offline');
    var link = $('link');
    link.textContent = state;
    link.className = 'badge ' + state;
    $('paused').hidden = !s.paused;
    $('pause').hidden = !!s.paused;
    $('resume').hidden = !s.paused;

    var md = s.masterData || {};
    var ready = $('ready');
    if (md.readyForOffline === undefined) {
      ready.hidden = true;
    } else {
      var ok = md.readyForOffline === true;
      ready.hidden = false;
      ready.textContent = ok ? 'ready for offline' : 'not ready for offline';
      ready.className = 'badge ' + (ok ? 'online' : 'notready');
    }

    text('pending', s.pending);
    $('pending-tile').className = 'tile' + (s.pending > PENDING_ALERT ? ' alert' : '');
    text('forwarded', s.forwarded);
    text('accepted', s.accepted);
    text('flagged', s.flagged ?? 0);
    text('rejected', s.rejected);
    $('rejected-tile').className = 'tile' + (s.rejected > 0 ? ' alert' : '');
    text('dead-letters', s.deadLetters);
    $('dead-letters-tile').className = 'tile' + (s.deadLetters > 0 ? ' alert' : '');
    text('last-forwarded', when(s.lastForwardedAt));
    text('last-receipt', when(s.lastReceiptAt));

    var alerts = $('alerts');
    alerts.innerHTML = '';
    (s.alerts && s.alerts.length ? s.alerts : ['none']).forEach(function (a) {
      var li = document.createElement('li');
      li.textContent = typeof a === 'string' ? a : JSON.stringify(a);
      if (a === 'none') { li.className = 'muted'; }
      alerts.appendChild(li);
    });

    renderMasterData(md.sets);

    var body = $('rejections').tBodies[0];
    body.innerHTML = '';
    if (!s.rejections || s.rejections.length === 0) {
      emptyRow(body, 4, 'none');
    } else {
      s.rejections.forEach(function (r) {
        var tr = document.createElement('tr');
        cell(tr, r.sequence); cell(tr, r.operationId); cell(tr, r.reason); cell(tr, r.detail);
        body.appendChild(tr);
      });
    }
  }

  // The sync status document's masterData.sets (edge-api.yaml, SyncStatus): per set whether a
  // snapshot loaded it, its last successful pull and its last change from central.
  function renderMasterData(sets) {
    var body = $('master-data').tBodies[0];
    body.innerHTML = '';
    var names = sets ? Object.keys(sets).sort() : [];
    if (names.length === 0) {
      emptyRow(body, 4, 'no set pulled yet');
      return;
    }
    names.forEach(function (name) {
      var set = sets[name];
      var tr = document.createElement('tr');
      tr.setAttribute('data-set', name);
      cell(tr, name);
      cell(tr, set.loaded ? 'yes' : 'no', set.loaded ? '' : 'stale');
      var stale = !set.lastPull || (Date.now() - new Date(set.lastPull).getTime() > STALE_MS);
      cell(tr, when(set.lastPull) + (set.lastPull && stale ? ' (over an hour ago)' : ''), stale ? 'stale' : '');
      cell(tr, when(set.lastChange));
      body.appendChild(tr);
    });
  }

  // --- live updates: the event stream, or polling while it is unavailable ---

  function show(s) {
    render(s);
    sample(s.pending);
    text('updated', new Date().toLocaleTimeString());
    text('error', '');
  }

  function refresh() {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', '/api/v1/sync/status');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.timeout = 5000;
    xhr.onload = function () {
      if (xhr.status === 200) {
        show(JSON.parse(xhr.responseText));
      } else {
        text('error', 'status answered ' + xhr.status);
      }
    };
    xhr.onerror = xhr.ontimeout = function () { text('error', 'terminal not answering'); };
    xhr.send();
  }

  var source = null;
  var pollTimer = null;
  var retryTimer = null;

  // data-live on <body> says which is in use ('sse' or 'poll'); the badge says it to people.
  function mode(m) {
    document.body.dataset.live = m;
    var badge = $('live');
    badge.textContent = m === 'sse' ? 'live' : 'polling';
    badge.className = 'badge ' + (m === 'sse' ? 'live' : 'polling');
    badge.title = m === 'sse'
      ? 'updates are pushed by the terminal as they happen'
      : 'live updates unavailable: asking the terminal every ' + (REFRESH_MS / 1000) + ' s';
  }

  function startPolling() {
    mode('poll');
    if (pollTimer === null) {
      refresh();
      pollTimer = setInterval(refresh, REFRESH_MS);
    }
  }

  function stopPolling() {
    if (pollTimer !== null) {
      clearInterval(pollTimer);
      pollTimer = null;
    }
  }

  function startStream() {
    retryTimer = null;
    if (typeof EventSource === 'undefined') {
      startPolling();
      return;
    }
    var es = new EventSource(STREAM_URL);
    source = es;
    es.addEventListener('status', function (e) {
      stopPolling();
      if (document.body.dataset.live !== 'sse') { mode('sse'); }
      show(JSON.parse(e.data));
    });
    // Refused (503: too many streams), ended (the terminal stopping) or cut: poll, retry later.
    es.onerror = function () {
      es.close();
      if (source === es) { source = null; }
      startPolling();
      if (retryTimer === null) { retryTimer = setTimeout(startStream, STREAM_RETRY_MS); }
    };
  }

  // --- the pending chart: a ring of samples, drawn as inline SVG ---

  var samples = [];

  function sample(pending) {
    if (typeof pending !== 'number') { return; }
    var now = Date.now();
    var last = samples.length ? samples[samples.length - 1] : null;
    // Several answers within a second add nothing a 600-pixel chart could show.
    if (last && now - last.t < 1000) {
      last.v = Math.max(last.v, pending);
    } else {
      samples.push({ t: now, v: pending });
    }
    trim(now);
    draw();
  }

  function trim(now) {
    while (samples.length > 1 && (samples[0].t < now - CHART_WINDOW_MS || samples.length > CHART_MAX_SAMPLES)) {
      samples.shift();
    }
  }

  function hms(t) {
    var d = new Date(t);
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }

  function chartElements() {
    var svg = $('pending-chart');
    if (svg) { return svg; }
    var section = document.createElement('section');
    section.className = 'chart';
    var label = document.createElement('h2');
    label.id = 'pending-chart-label';
    section.appendChild(label);
    svg = document.createElementNS(SVG_NS, 'svg');
    svg.id = 'pending-chart';
    svg.setAttribute('viewBox', '0 0 ' + CHART_W + ' ' + CHART_H);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    var base = document.createElementNS(SVG_NS, 'line');
    base.setAttribute('class', 'axis');
    base.setAttribute('x1', '0'); base.setAttribute('x2', String(CHART_W));
    base.setAttribute('y1', String(CHART_H - 1)); base.setAttribute('y2', String(CHART_H - 1));
    svg.appendChild(base);
    var path = document.createElementNS(SVG_NS, 'path');
    path.id = 'pending-line';
    svg.appendChild(path);
    section.appendChild(svg);
    var max = document.createElement('div');
    max.id = 'pending-chart-max';
    max.className = 'muted';
    section.appendChild(max);
    var tiles = document.querySelector('.tiles');
    tiles.parentNode.insertBefore(section, tiles.nextSibling);
    return svg;
  }

  // A step line from the first sample to now: x is time in the window, y the pending count.
  function draw() {
    if (samples.length === 0) { return; }
    var svg = chartElements();
    var now = Date.now();
    var from = samples[0].t;
    var span = Math.max(now - from, 60 * 1000);
    var top = 1;
    samples.forEach(function (p) { top = Math.max(top, p.v); });
    function x(t) { return ((t - from) / span * CHART_W).toFixed(1); }
    function y(v) { return (CHART_H - 2 - v / top * (CHART_H - 6)).toFixed(1); }
    var d = 'M' + x(samples[0].t) + ' ' + y(samples[0].v);
    for (var i = 1; i < samples.length; i++) {
      d += ' H' + x(samples[i].t) + ' V' + y(samples[i].v);
    }
    d += ' H' + x(now);
    svg.querySelector('#pending-line').setAttribute('d', d);
    svg.setAttribute('aria-label', 'pending operations since ' + hms(from) + ', at most ' + top);
    text('pending-chart-label', 'pending since ' + hms(from));
    text('pending-chart-max', 'highest ' + top + ' · now ' + samples[samples.length - 1].v);
  }

  function post(action) {
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/sync/' + action);
    xhr.onload = function () {
      text('action-result', xhr.status === 200 ? action + ': done' : action + ': failed (' + xhr.status + ')');
      refresh();
    };
    xhr.onerror = function () { text('action-result', action + ': terminal not answering'); };
    xhr.send();
  }

  $('sync-now').addEventListener('click', function () { post('now'); });
  $('pause').addEventListener('click', function () { post('pause'); });
  $('resume').addEventListener('click', function () { post('resume'); });

  var today = new Date().toISOString().slice(0, 10);
  $('export-from').value = today;
  $('export-to').value = today;

  // The live/polling badge beside the link state.
  var badge = document.createElement('span');
  badge.id = 'live';
  badge.className = 'badge unknown';
  badge.textContent = 'connecting';
  $('ready').parentNode.appendChild(badge);

  startStream();
  // The chart's time axis moves on while nothing changes (the stream sends changes only).
  setInterval(function () { trim(Date.now()); draw(); }, 5000);
}());
