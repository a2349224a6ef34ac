// Lists the terminal's OpenAPI document (/api/v1/openapi.json): every path, method, summary and
// status. Plain JS, no libraries: the page must work with no network beyond this terminal.
(function () {
  'use strict';
  var METHODS = ['get', 'post', 'put', 'patch', 'delete'];

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function describe(doc, response) {
    if (response && response.$ref) {
      var name = response.$ref.split('/').pop();
      response = (doc.components && doc.components.responses && doc.components.responses[name]) || {};
    }
    return (response && response.description) || '';
  }

  function render(doc) {
    document.getElementById('title').textContent = doc.info.title + ' (version ' + doc.info.version + ')';
    document.getElementById('description').textContent = doc.info.description || '';
    var body = document.querySelector('#operations tbody');
    body.textContent = '';
    Object.keys(doc.paths).sort().forEach(function (path) {
      METHODS.forEach(function (method) {
        var op = doc.paths[path][method];
        if (!op) { return; }
        var tr = el('tr');
        tr.appendChild(el('td', method.toUpperCase(), 'method'));
        tr.appendChild(el('td', path, 'path'));
        var what = el('td');
        what.appendChild(el('div', op.summary || ''));
        if (op.description) { what.appendChild(el('div', op.description, 'muted')); }
        tr.appendChild(what);
        var answers = el('td');
        var list = el('ul');
        Object.keys(op.responses || {}).sort().forEach(function (status) {
          var li = el('li');
          li.appendChild(el('strong', status + ' '));
          li.appendChild(document.createTextNode(describe(doc, op.responses[status])));
          list.appendChild(li);
        });
        answers.appendChild(list);
        tr.appendChild(answers);
        body.appendChild(tr);
      });
    });
  }

  fetch('/api/v1/openapi.json', { headers: { Accept: 'application/json' } })
    .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
    .then(render)
    .catch(function (e) { document.getElementById('error').textContent = 'could not load the API document: ' + e.message; });
})();
