// Operator page of one terminal: polls /api/v1/sync/status and drives pause/resume/sync now.
// Plain JS, no libraries: the page must work with no network beyond this terminal.
(function () {
  'use strict';
  var REFRESH_MS = 2000;
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

  function refresh() {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', '/api/v1/sync/status');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.timeout = 5000;
    xhr.onload = function () {
      if (xhr.status === 200) {
        render(JSON.parse(xhr.responseText));
        text('updated', new Date().toLocaleTimeString());
        text('error', '');
      } else {
        text('error', 'status answered ' + xhr.status);
      }
    };
    xhr.onerror = xhr.ontimeout = function () { text('error', 'terminal not answering'); };
    xhr.send();
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

  refresh();
  setInterval(refresh, REFRESH_MS);
}());
