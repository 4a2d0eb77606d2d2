// Shared pieces: htm bound to Preact, labelled fields, error and status lines.

import { h, render } from "../vendor/preact.module.js";
import { useCallback, useEffect, useRef, useState } from "../vendor/hooks.module.js";
import htm from "../vendor/htm.module.js";
import { describe } from "./api.js";

export const html = htm.bind(h);
export { render, useCallback, useEffect, useRef, useState };

let nextId = 0;
export function useId(prefix = "f") {
  const ref = useRef(null);
  if (ref.current === null) ref.current = `${prefix}-${++nextId}`;
  return ref.current;
}

// A labelled input, textarea or select. `hint` is tied to the control for screen readers.
export function Field({ label, name, value, onInput, type = "text", options, rows, hint, required, ...rest }) {
  const id = useId(name || "field");
  const hintId = hint ? `${id}-hint` : undefined;
  const change = (event) => onInput && onInput(type === "checkbox" ? event.target.checked : event.target.value);
  let control;
  if (options) {
    control = html`<select id=${id} name=${name} value=${value ?? ""} onChange=${change} aria-describedby=${hintId} required=${required} ...${rest}>
      ${options.map((o) => {
        const [v, text] = Array.isArray(o) ? o : [o, o];
        return html`<option value=${v}>${text}</option>`;
      })}
    </select>`;
  } else if (rows) {
    control = html`<textarea id=${id} name=${name} rows=${rows} value=${value ?? ""} onInput=${change} aria-describedby=${hintId} required=${required} ...${rest}></textarea>`;
  } else if (type === "checkbox") {
    return html`<div class="field checkbox">
      <input id=${id} name=${name} type="checkbox" checked=${!!value} onChange=${change} ...${rest} />
      <label for=${id}>${label}</label>
    </div>`;
  } else {
    control = html`<input id=${id} name=${name} type=${type} value=${value ?? ""} onInput=${change} aria-describedby=${hintId} required=${required} ...${rest} />`;
  }
  return html`<div class="field">
    <label for=${id}>${label}${required ? html`<span aria-hidden="true"> *</span>` : null}</label>
    ${control}
    ${hint ? html`<small id=${hintId} class="hint">${hint}</small>` : null}
  </div>`;
}

export function ErrorNote({ error }) {
  if (!error) return null;
  return html`<p class="error" role="alert">${typeof error === "string" ? error : describe(error)}</p>`;
}

export function Notice({ text }) {
  if (!text) return null;
  return html`<p class="notice" role="status">${text}</p>`;
}

// Runs an async action with busy/error state; returns [run, busy, error, setError].
export function useAction(action) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = useCallback(
    async (...args) => {
      setBusy(true);
      setError(null);
      try {
        return await action(...args);
      } catch (caught) {
        setError(caught);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [action],
  );
  return [run, busy, error, setError];
}

// Loads once per key; reload() fetches again.
export function useLoad(loader, key) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loader()
      .then((data) => live && setState({ data, error: null, loading: false }))
      .catch((error) => live && setState({ data: null, error, loading: false }));
    return () => {
      live = false;
    };
  }, [key, tick]);
  return { ...state, reload: () => setTick((t) => t + 1), set: (data) => setState({ data, error: null, loading: false }) };
}

export function lines(text) {
  return String(text || "")
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function commaList(text) {
  return String(text || "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function percent(value) {
  if (value === null || value === undefined) return "–";
  return `${Math.round(value)}%`; // scores are 0-100
}

export function when(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString();
}

export function go(hash) {
  location.hash = hash;
}
