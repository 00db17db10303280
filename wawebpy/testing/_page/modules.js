/*
 * The page's module system, shaped like the Meta module system WhatsApp Web ships:
 * `__d(name, deps, factory, flags)` registers, `require(name)` instantiates lazily on first use
 * and throws for a name it does not know. Every module of the fake lives in the ONE table below;
 * `missing_modules` (from Python) deletes entries before boot to simulate a build that lacks them.
 *
 * Internal modules of the fake are named `Fake*`, never `WA*`, so tools that enumerate
 * `require('__debug').modulesMap` for /^(?:use)?WA/ see only the WhatsApp Web surface.
 */
(function (global) {
  'use strict';

  /** name -> {deps, factory, module|null} */
  const table = new Map();

  function __d(name, deps, factory, _flags) {
    if (typeof name !== 'string' || typeof factory !== 'function') {
      throw new TypeError('__d(name, deps, factory): bad arguments for ' + String(name));
    }
    // Like Meta's registry: a second definition of the same name is ignored.
    if (!table.has(name)) table.set(name, { deps: deps || [], factory, module: null });
  }

  function requireModule(name) {
    const rec = table.get(name);
    if (rec === undefined) throw new Error('Requiring unknown module "' + String(name) + '"');
    if (rec.module === null) {
      const module = { exports: {} };
      rec.module = module; // set first so that cycles see the partial exports, as in Meta's loader
      try {
        rec.factory(global, requireModule, requireModule, requireLazy, module, module.exports);
      } catch (err) {
        rec.module = null;
        throw err;
      }
    }
    return rec.module.exports;
  }

  function requireLazy(names, callback) {
    const mods = names.map(requireModule);
    if (typeof callback === 'function') callback(...mods);
  }

  __d('__debug', [], function (g, r, rd, rl, module) {
    module.exports = {
      get modulesMap() {
        const map = {};
        for (const name of table.keys()) map[name] = { id: name };
        return map;
      },
    };
  });

  // Internal: boot removes the modules Python asked to be missing.
  __d('FakeModuleTable', [], function (g, r, rd, rl, module) {
    module.exports = {
      remove(names) {
        for (const n of names) if (n !== 'FakeModuleTable') table.delete(n);
      },
      has(name) {
        return table.has(name);
      },
    };
  });

  global.__d = __d;
  global.require = requireModule;
  global.requireLazy = requireLazy;
  global.importNamespace = requireModule;
  global.ErrorGuard = {
    skipGuardGlobal() {},
    applyWithGuard(fn, ctx, args) {
      return fn.apply(ctx, args || []);
    },
  };
})(window);
