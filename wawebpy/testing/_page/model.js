/*
 * Backbone-style base classes shared by every model of the fake: an event emitter with
 * space-separated event names, a model whose attributes live in `__x_<name>` fields behind
 * accessors (as in WhatsApp Web, where code reads both `msg.body` and `msg.__x_body`) and fire
 * `change:<attr>` with (model, newValue, prevValue), and a collection that re-emits its models'
 * events and keys them by `id._serialized`.
 */
__d('FakeModel', [], function (global, require, rd, rl, module, exports) {
  'use strict';

  function splitNames(names) {
    return String(names).split(/\s+/).filter(Boolean);
  }

  /** A listener that throws must not stop the others (nor the page): report it asynchronously. */
  function report(err) {
    setTimeout(() => {
      throw err;
    }, 0);
  }

  class Emitter {
    _handlers(name, create) {
      if (this.__events === undefined) {
        if (!create) return undefined;
        Object.defineProperty(this, '__events', { value: new Map(), writable: true });
      }
      let list = this.__events.get(name);
      if (list === undefined && create) {
        list = [];
        this.__events.set(name, list);
      }
      return list;
    }

    on(names, callback, context) {
      if (typeof callback !== 'function') return this;
      for (const n of splitNames(names)) this._handlers(n, true).push({ callback, context, once: false });
      return this;
    }

    once(names, callback, context) {
      if (typeof callback !== 'function') return this;
      for (const n of splitNames(names)) this._handlers(n, true).push({ callback, context, once: true });
      return this;
    }

    off(names, callback, context) {
      if (this.__events === undefined) return this;
      const keys = names ? splitNames(names) : Array.from(this.__events.keys());
      for (const n of keys) {
        const list = this.__events.get(n);
        if (!list) continue;
        const keep = list.filter(
          (h) => (callback && h.callback !== callback) || (context && h.context !== context),
        );
        if (keep.length) this.__events.set(n, keep);
        else this.__events.delete(n);
      }
      return this;
    }

    listenTo(other, names, callback) {
      other.on(names, callback, this);
      return this;
    }

    stopListening(other, names, callback) {
      if (other) other.off(names, callback, this);
      return this;
    }

    trigger(name, ...args) {
      this._dispatch(name, args);
      return this;
    }

    _dispatch(name, args) {
      if (this.__events === undefined) return;
      const list = this.__events.get(name);
      if (list !== undefined && list.length) this._run(name, list, args, false);
      const all = this.__events.get('all');
      if (all !== undefined && all.length) this._run('all', all, [name, ...args], true);
    }

    _run(name, list, args) {
      const snapshot = list.slice();
      if (snapshot.some((h) => h.once)) {
        const keep = list.filter((h) => !h.once);
        if (keep.length) this.__events.set(name, keep);
        else this.__events.delete(name);
      }
      for (const h of snapshot) {
        try {
          h.callback.apply(h.context === undefined ? this : h.context, args);
        } catch (err) {
          report(err);
        }
      }
    }
  }

  const PREFIX = '__x_';

  function defineAccessor(target, name) {
    Object.defineProperty(target, name, {
      configurable: true,
      enumerable: false,
      get() {
        return this[PREFIX + name];
      },
      set(value) {
        this.set(name, value);
      },
    });
  }

  class Model extends Emitter {
    constructor(attrs, options) {
      super();
      Object.defineProperty(this, '__collections', { value: null, writable: true });
      if (attrs) this.set(attrs, { silent: true });
      if (typeof this.initialize === 'function') this.initialize(attrs, options);
    }

    /** Declare attributes on the prototype once, so 10,000 models do not each define accessors. */
    static defineProps(names) {
      for (const n of names) defineAccessor(this.prototype, n);
      return this;
    }

    get(name) {
      return this[PREFIX + name];
    }

    has(name) {
      return this[PREFIX + name] != null;
    }

    set(key, value, options) {
      let attrs;
      if (key !== null && typeof key === 'object') {
        attrs = key;
        options = value;
      } else {
        attrs = { [key]: value };
      }
      const silent = Boolean(options && options.silent);
      const changes = [];
      for (const name of Object.keys(attrs)) {
        const next = attrs[name];
        const field = PREFIX + name;
        if (!(field in this) && !(name in this)) defineAccessor(this, name);
        const prev = this[field];
        if (field in this && prev === next) continue;
        this[field] = next;
        changes.push([name, next, prev]);
      }
      if (!silent && changes.length) {
        for (const [name, next, prev] of changes) this.trigger('change:' + name, this, next, prev);
        this.trigger('change', this);
      }
      return this;
    }

    unset(name, options) {
      return this.set(name, undefined, options);
    }

    /** Plain attributes (ids stay MsgKey / Wid objects, as on the real page). */
    serialize() {
      const out = {};
      for (const field of Object.keys(this)) {
        if (field.startsWith(PREFIX)) out[field.slice(PREFIX.length)] = this[field];
      }
      return out;
    }

    toJSON() {
      return this.serialize();
    }

    unsafe() {
      return this;
    }

    safe() {
      return this;
    }

    trigger(name, ...args) {
      this._dispatch(name, args);
      if (this.__collections !== null) {
        for (const c of this.__collections) c._onModelEvent(name, args);
      }
      return this;
    }
  }

  /** Key of an id given as a string, Wid, MsgKey or model. */
  function keyOf(value) {
    if (value == null) return undefined;
    if (typeof value === 'string') return value;
    if (value instanceof Model) return keyOf(value.get('id'));
    if (typeof value._serialized === 'string') return value._serialized;
    return String(value);
  }

  class Collection extends Emitter {
    constructor(models, options) {
      super();
      Object.defineProperty(this, '_models', { value: [], writable: true });
      Object.defineProperty(this, '_index', { value: new Map(), writable: true });
      this.modelClass = (options && options.modelClass) || this.constructor.modelClass || Model;
      if (models) this.add(models, { silent: true });
    }

    get models() {
      return this._models;
    }

    get length() {
      return this._models.length;
    }

    get(idOrModel) {
      const key = keyOf(idOrModel);
      return key === undefined ? undefined : this._index.get(key);
    }

    has(idOrModel) {
      return this.get(idOrModel) !== undefined;
    }

    add(input, options) {
      options = options || {};
      const single = !Array.isArray(input);
      const items = single ? [input] : input;
      const result = [];
      const added = [];
      for (const item of items) {
        if (item == null) continue;
        const model = item instanceof Model ? item : new this.modelClass(item);
        const key = keyOf(model.get('id'));
        const existing = key === undefined ? undefined : this._index.get(key);
        if (existing !== undefined) {
          if (options.merge && existing !== model) {
            existing.set(item instanceof Model ? item.serialize() : item, options);
          }
          result.push(existing);
          continue;
        }
        if (typeof options.at === 'number') this._models.splice(options.at, 0, model);
        else this._models.push(model);
        if (key !== undefined) this._index.set(key, model);
        if (model.__collections === null) model.__collections = new Set();
        model.__collections.add(this);
        added.push(model);
        result.push(model);
      }
      if (!options.silent) for (const m of added) this.trigger('add', m, this, options);
      return single ? result[0] : result;
    }

    remove(input, options) {
      options = options || {};
      const single = !Array.isArray(input);
      const items = single ? [input] : input;
      const removed = [];
      for (const item of items) {
        const model = this.get(item);
        if (model === undefined) continue;
        const i = this._models.indexOf(model);
        if (i >= 0) this._models.splice(i, 1);
        this._index.delete(keyOf(model.get('id')));
        if (model.__collections !== null) model.__collections.delete(this);
        removed.push(model);
        if (!options.silent) this.trigger('remove', model, this, options);
      }
      return single ? removed[0] : removed;
    }

    reset(models, options) {
      for (const m of this._models) if (m.__collections !== null) m.__collections.delete(this);
      this._models = [];
      this._index = new Map();
      if (models) this.add(models, { silent: true });
      if (!(options && options.silent)) this.trigger('reset', this, options || {});
      return this;
    }

    /** Get the model for an id, or add one built from `attrs` (or `{id}`). */
    gadd(attrsOrId, options) {
      const isAttrs = attrsOrId !== null && typeof attrsOrId === 'object' && !('_serialized' in attrsOrId);
      const id = isAttrs ? attrsOrId.id : attrsOrId;
      const existing = this.get(id);
      if (existing !== undefined) return existing;
      return this.add(isAttrs ? attrsOrId : this._attrsForId(attrsOrId), options);
    }

    _attrsForId(id) {
      return { id };
    }

    /** WhatsApp Web's async lookup: resolves the model, fetching it when it is not loaded. */
    async find(id) {
      const found = this.get(id);
      if (found !== undefined) return found;
      return this._findMissing(id);
    }

    async _findMissing(id) {
      throw new Error('find: ' + String(keyOf(id)) + ' not found');
    }

    async update(id) {
      return this.get(id);
    }

    getModelsArray() {
      return this._models.slice();
    }

    toArray() {
      return this._models.slice();
    }

    serialize() {
      return this._models.map((m) => m.serialize());
    }

    toJSON() {
      return this.serialize();
    }

    at(index) {
      return this._models[index < 0 ? this._models.length + index : index];
    }

    head() {
      return this._models[0];
    }

    first() {
      return this._models[0];
    }

    last() {
      return this._models[this._models.length - 1];
    }

    where(attrs) {
      return this._models.filter((m) => Object.keys(attrs).every((k) => m.get(k) === attrs[k]));
    }

    findWhere(attrs) {
      return this.where(attrs)[0];
    }

    forEach(fn, ctx) {
      this._models.slice().forEach(fn, ctx);
    }

    map(fn, ctx) {
      return this._models.map(fn, ctx);
    }

    filter(fn, ctx) {
      return this._models.filter(fn, ctx);
    }

    some(fn, ctx) {
      return this._models.some(fn, ctx);
    }

    every(fn, ctx) {
      return this._models.every(fn, ctx);
    }

    reduce(fn, init) {
      return this._models.reduce(fn, init);
    }

    indexOf(model) {
      return this._models.indexOf(model);
    }

    [Symbol.iterator]() {
      return this._models.slice()[Symbol.iterator]();
    }

    _onModelEvent(name, args) {
      this._dispatch(name, args);
    }
  }

  exports.Emitter = Emitter;
  exports.Model = Model;
  exports.Collection = Collection;
  exports.keyOf = keyOf;
});
