/**
 * The script prelude of the QuickJS sandbox (sandbox.ts), evaluated once per engine context: the
 * JavaScript that builds the globals a scan script sees (`openidm`, `logger`, `identityServer`, as on
 * the platform, idm-api.md §5.6) over the host bridge, freezes the built-ins, and defines how one
 * object's script runs. It is kept as text because it runs inside the sandbox, not in Node.
 */
// Runs once per context. Freezes the built-ins, moves the host bridge into closures, and defines
// __run(source, inputJson, objectID, globalsJson): a direct eval inside a function, so `var` and
// function declarations of one object die with it, and the value of the last expression comes back
// as in Rhino (idm-api.md §5.6).
export const PRELUDE = `(function (G) {
  var host = G.__host; delete G.__host;
  var hostLog = G.__log; delete G.__log;
  var P = JSON.parse, S = JSON.stringify, names = Object.getOwnPropertyNames, slice = Array.prototype.slice;
  function call(op, args) {
    var r = P(host(op, S(slice.call(args))));
    if (r.error !== undefined) { var e = new Error(r.error); e.code = r.code; throw e; }
    return r.value;
  }
  function fmt(args) {
    var text = String(args[0]), i = 1;
    text = text.replace(/\\{\\}/g, function (m) { if (i >= args.length) return m; var v = args[i++]; return typeof v === 'object' ? S(v) : String(v); });
    return text;
  }
  var ops = ['create', 'read', 'update', 'patch', 'delete', 'query', 'action'];
  var openidm = {};
  ops.forEach(function (op) { openidm[op] = function () { return call(op, arguments); }; });
  var logger = {};
  ['trace', 'debug', 'info', 'warn', 'error'].forEach(function (l) { logger[l] = function () { hostLog(l, fmt(arguments)); }; });
  var identityServer = {
    getProperty: function (name, fallback) { return fallback === undefined ? null : fallback; },
    getInstallLocation: function () { return '/opt/openidm'; },
    getProjectLocation: function () { return '/opt/openidm'; },
    getWorkingLocation: function () { return '/opt/openidm'; }
  };
  G.openidm = Object.freeze(openidm);
  G.logger = Object.freeze(logger);
  G.identityServer = Object.freeze(identityServer);
  var seen = new Set();
  function deepFreeze(o) {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) return;
    seen.add(o); Object.freeze(o);
    names(o).forEach(function (n) { var d = Object.getOwnPropertyDescriptor(o, n); if (d && 'value' in d) deepFreeze(d.value); });
    deepFreeze(Object.getPrototypeOf(o));
  }
  var baseline = Object.create(null);
  names(G).forEach(function (n) {
    baseline[n] = true;
    var d = Object.getOwnPropertyDescriptor(G, n);
    if (d && 'value' in d && n !== 'globalThis') { deepFreeze(d.value); Object.defineProperty(G, n, { writable: false, configurable: false }); }
  });
  deepFreeze((function () {}).constructor.prototype);
  var baseCount = names(G).length;
  function clean() {
    var now = names(G);
    if (now.length === baseCount) return;
    for (var i = 0; i < now.length; i++) if (!baseline[now[i]]) delete G[now[i]];
  }
  // Made by indirect eval, so its only enclosing scope is the global one: a script's own names can
  // neither see nor shadow the helpers above.
  var evalIn = (0, eval)('(function (__source, input, objectID, __globals) { if (__globals === undefined) return eval(__source); with (__globals) { return eval(__source); } })');
  // Returns 1 for exactly true, else the typeof of the value: one number or string to read back.
  var run = function (source, inputJson, idPrefix, globalsJson, mayLeak) {
    var input = P(inputJson), globals = globalsJson === '' ? undefined : P(globalsJson);
    try {
      var value = evalIn(source, input, idPrefix + input._id, globals);
      return value === true ? 1 : value === null ? 'null' : typeof value;
    } finally { if (mayLeak) clean(); }
  };
  var compile = function (source) { try { new Function(source); return ''; } catch (e) { return String(e && e.message || e); } };
  return [run, compile];
})(globalThis)`;
