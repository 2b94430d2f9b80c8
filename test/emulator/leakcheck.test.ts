import { strict as assert } from 'node:assert';
import { mayLeakGlobals } from '../../src/emulator/leakcheck';

interface Case {
  source: string;
  leak: boolean;
  globals?: string[];
}

const leaks = (source: string, globals?: string[]): Case => ({ source, leak: true, globals });
const safe = (source: string, globals?: string[]): Case => ({ source, leak: false, globals });

describe('emulator: which scripts may create globals (the sandbox cleans up after those)', () => {
  const cases: Case[] = [
    safe('true'),
    safe("openidm.patch(objectID, null, [{ operation: 'replace', field: '/a', value: 1 }]); true;"),
    safe('var x = 1; x = 2; x > 1'),
    safe('function f() { var y; y = 5; } f(); true'),
    safe('for (var k in input) {} true'),
    safe('try { throw 1; } catch (e) { e = 2; } true'),
    safe('input.a = 1; input = {}; true'),
    safe('g = 1', ['g']),
    leaks('x = 1; true'),
    leaks('function f() { var y; } y = 5'),
    leaks('{ let z; } z = 1'),
    leaks('for (k in input) {} true'),
    leaks('(function () { "use strict"; })(); leaked++'),
    leaks('(function () { return this; })().z = 1'),
    leaks('globalThis.a = 1'),
    leaks('eval("q = 1")'),
    leaks('[].constructor.constructor("return this")().k = 1'),
    leaks('var o = {}; o["constructor"] = 1'),
    leaks('Object.defineProperty(input, "a", {})'),
    leaks('class A { m() { this.x = 1; } }'),
    leaks('syntax error('),
  ];
  for (const c of cases) {
    it(`${c.leak ? 'may leak' : 'cannot leak'}: ${c.source}`, () => {
      assert.equal(mayLeakGlobals(c.source, c.globals), c.leak);
    });
  }
});
