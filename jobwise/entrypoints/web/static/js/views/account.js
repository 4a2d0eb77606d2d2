// My account: download all of my data, or delete the account (confirmed twice: the
// password, and the word DELETE typed out, so no stray click erases anything).

import { exportData, forget } from "../api.js";
import { ErrorNote, Field, Notice, html, useAction, useEffect, useRef, useState } from "../ui.js";

const CONFIRM_WORD = "DELETE";

export function AccountScreen({ user }) {
  return html`<section class="card" aria-labelledby="account-title">
    <h1 id="account-title">My account</h1>
    ${user ? html`<p class="muted">${user.full_name} · ${user.email}</p>` : null}
    <${DownloadData} />
    <${DeleteAccount} />
  </section>`;
}

function DownloadData() {
  const [notice, setNotice] = useState("");
  const [download, busy, error] = useAction(async () => {
    setNotice("");
    const blob = await exportData();
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `jobwise-data-${new Date().toISOString().slice(0, 10)}.zip`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    setNotice("Your data was downloaded as a ZIP file.");
  });
  return html`<div class="account-part">
    <h2>Your data</h2>
    <p>Everything JobWise holds about you, as a ZIP: your account, profiles, jobs, applications,
      generations, documents with their PDFs, and your whole history of changes.</p>
    <button type="button" onClick=${() => download()} disabled=${busy}>${busy ? "Preparing…" : "Download my data"}</button>
    <${ErrorNote} error=${error} />
    <${Notice} text=${notice} />
  </div>`;
}

function DeleteAccount() {
  const [open, setOpen] = useState(false);
  return html`<div class="account-part danger-zone">
    <h2>Delete my account</h2>
    <p>Deleting your account erases your personal data, documents and files. It cannot be undone.
      Download your data first if you want to keep it.</p>
    <button type="button" class="danger" onClick=${() => setOpen(true)}>Delete my account…</button>
    ${open ? html`<${ConfirmDeletion} onCancel=${() => setOpen(false)} />` : null}
  </div>`;
}

function ConfirmDeletion({ onCancel }) {
  const [password, setPassword] = useState("");
  const [typed, setTyped] = useState("");
  const dialog = useRef(null);
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);
  const [erase, busy, error] = useAction(async () => {
    await forget(password);
    location.hash = "#/farewell";
  });
  const ready = password.length > 0 && typed === CONFIRM_WORD && !busy;
  return html`<dialog ref=${dialog} class="confirm" aria-labelledby="confirm-title" onCancel=${onCancel}>
    <form onSubmit=${(e) => { e.preventDefault(); if (ready) erase(); }}>
      <h2 id="confirm-title">Delete your account for good?</h2>
      <p>Your profiles, jobs, applications, documents and files are erased, and you are signed out.</p>
      <${Field} label="Your password" name="password" type="password" value=${password} onInput=${setPassword}
        required autocomplete="current-password" />
      <${Field} label=${`Type ${CONFIRM_WORD} to confirm`} name="confirm" value=${typed} onInput=${setTyped}
        required autocomplete="off" />
      <${ErrorNote} error=${error && refusal(error)} />
      <div class="row">
        <button type="submit" class="danger" disabled=${!ready}>${busy ? "Deleting…" : "Delete my account"}</button>
        <button type="button" class="secondary" onClick=${onCancel}>Cancel</button>
      </div>
    </form>
  </dialog>`;
}

// The refusals a person can act on, said plainly; the rest as the API words them.
function refusal(error) {
  if (error.code === "wrong_password") return "That password is not right; the account was not deleted.";
  if (error.status === 429) {
    const wait = error.retryAfter ? ` Try again in ${error.retryAfter} s.` : " Try again later.";
    return `Too many attempts.${wait}`;
  }
  return error;
}

export function Farewell() {
  return html`<section class="card narrow" aria-labelledby="farewell-title">
    <h1 id="farewell-title">Your account was deleted</h1>
    <p>Your data has been erased and you are signed out. Thank you for using JobWise.</p>
    <p><a href="#/">Back to the start</a></p>
  </section>`;
}
