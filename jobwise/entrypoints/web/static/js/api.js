// The public API, as any client would use it: bearer tokens, refresh-token rotation,
// and errors in the contract's shape turned into words.

const API = "/api/v1";
const STORE_KEY = "jobwise.session";

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

// A sentence for people, from {"error": {code, message, details}}.
export function describe(error) {
  if (!(error instanceof ApiError)) {
    return error && error.message ? `Something went wrong: ${error.message}` : "Something went wrong.";
  }
  let text = error.message || "The request was refused.";
  const fields = error.details && error.details.fields;
  if (Array.isArray(fields) && fields.length) {
    const parts = fields.map((f) => `${labelOf(f.field || f.loc || "")}: ${f.message || f.msg || "invalid"}`);
    text += ` (${parts.join("; ")})`;
  }
  if (error.code === "invalid_status_transition" && error.details.allowed) {
    text += ` Allowed from here: ${error.details.allowed.join(", ") || "none"}.`;
  }
  if (error.retryAfter) text += ` Try again in ${error.retryAfter} s.`;
  return text;
}

function labelOf(path) {
  return String(Array.isArray(path) ? path.join(".") : path).replaceAll("_", " ");
}

// -- the session: tokens kept across reloads --------------------------------------

let session = load();
let refreshing = null;
const listeners = new Set();

function load() {
  try {
    return JSON.parse(localStorage.getItem(STORE_KEY)) || null;
  } catch {
    return null;
  }
}

function save(next) {
  session = next;
  if (next) localStorage.setItem(STORE_KEY, JSON.stringify(next));
  else localStorage.removeItem(STORE_KEY);
  for (const listener of listeners) listener(session);
}

// Another tab refreshed or logged out: take its tokens, so this tab never presents a
// refresh token that tab already spent (which would end the session).
window.addEventListener("storage", (event) => {
  if (event.key !== STORE_KEY) return;
  session = load();
  for (const listener of listeners) listener(session);
});

export function onSession(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function currentSession() {
  return session;
}

function fromPair(pair, user) {
  return {
    access: pair.access_token,
    refresh: pair.refresh_token,
    // Refreshed a little early, so a request never leaves with a token about to lapse.
    expiresAt: Date.now() + (pair.expires_in - 30) * 1000,
    user: user || pair.user || (session && session.user) || null,
  };
}

export async function register(email, password, fullName) {
  const pair = await request("POST", "/auth/register", { email, password, full_name: fullName }, { anonymous: true });
  save(fromPair(pair));
  return session;
}

export async function login(email, password) {
  const pair = await request("POST", "/auth/login", { email, password }, { anonymous: true });
  save(fromPair(pair));
  return session;
}

export async function logout() {
  try {
    if (session) await request("POST", "/auth/logout");
  } finally {
    save(null);
  }
}

// -- my data: take it all, or erase the account ------------------------------------

// All of the signed-in user's data as a ZIP (a Blob).
export function exportData() {
  return request("GET", "/me/export", null, { blob: true });
}

// Erase the account (the password confirms it is its owner); then this client forgets
// the session: the tokens died with the account.
export async function forget(password) {
  await request("DELETE", "/me", { password });
  save(null);
}

// One refresh at a time: each refresh token works once, and presenting a used one ends
// the whole session, so two tabs' worth of requests must not race for it.
export function refresh() {
  if (!session) return Promise.reject(new ApiError(401, "unauthorized", "Please log in."));
  if (!refreshing) {
    const used = session.refresh;
    refreshing = request("POST", "/auth/refresh", { refresh_token: used }, { anonymous: true })
      .then((pair) => {
        save(fromPair(pair));
        return session;
      })
      .catch((error) => {
        if (error.status === 401) save(null);
        throw error;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

export async function accessToken() {
  if (!session) throw new ApiError(401, "unauthorized", "Please log in.");
  if (Date.now() >= session.expiresAt) await refresh();
  return session.access;
}

export async function restore() {
  if (!session) return null;
  try {
    const user = await request("GET", "/auth/me");
    save({ ...session, user });
    return session;
  } catch (error) {
    if (error.status === 401) save(null);
    else throw error;
    return null;
  }
}

// -- requests ----------------------------------------------------------------------

export async function request(method, path, body, options = {}) {
  const raw = await send(method, path, body, options);
  if (raw.status === 204) return null;
  const type = raw.headers.get("Content-Type") || "";
  if (options.blob) return raw.blob();
  if (type.includes("application/json")) return raw.json();
  return raw.text();
}

async function send(method, path, body, options, retried = false) {
  const headers = { ...(options.headers || {}) };
  // A form (a file upload) goes as the browser encodes it: it sets the multipart type
  // and its boundary itself.
  const form = typeof FormData !== "undefined" && body instanceof FormData;
  if (body !== undefined && body !== null && !form) headers["Content-Type"] = "application/json";
  if (!options.anonymous) headers.Authorization = `Bearer ${await accessToken()}`;
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined || body === null ? undefined : form ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network_error", "The server could not be reached. Check the connection and try again.");
  }
  if (response.ok) return response;
  const error = await toError(response);
  // An access token can be refused before its time (a restart, a clock): refresh once.
  if (response.status === 401 && !options.anonymous && !retried && error.code !== "session_revoked") {
    await refresh();
    return send(method, path, body, options, true);
  }
  if (response.status === 401 && !options.anonymous) save(null);
  throw error;
}

async function toError(response) {
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  const e = (payload && payload.error) || {};
  const error = new ApiError(
    response.status,
    e.code || "http_error",
    e.message || `The server answered ${response.status}.`,
    e.details,
  );
  error.retryAfter = response.headers.get("Retry-After");
  return error;
}

// -- files a profile starts from ------------------------------------------------------

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

// Upload a resume (PDF or DOCX) or a LinkedIn data export (ZIP) as a form. A resume
// answers {format, draft, confidence, lines, notes} and makes nothing (the draft, once
// checked, is POSTed to /profiles); a LinkedIn export answers the profile it made.
// Without a format the server tells it from the bytes.
export function importResumeFile(file, format) {
  const form = new FormData();
  if (format) form.append("format", format);
  form.append("file", file, file.name);
  return request("POST", "/profiles/import", form);
}

export const api = {
  get: (path) => request("GET", path),
  post: (path, body) => request("POST", path, body ?? {}),
  put: (path, body) => request("PUT", path, body),
  patch: (path, body) => request("PATCH", path, body),
  del: (path) => request("DELETE", path),
  blob: (path) => request("GET", path, null, { blob: true }),
};

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
