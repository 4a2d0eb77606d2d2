// The application board: saved jobs by status, moved by drag and drop or, for the
// keyboard, by a labelled select and a button on each card.

import { api } from "../api.js";
import { ErrorNote, html, useAction, useLoad, useState, when } from "../ui.js";

export const COLUMNS = [
  ["interested", "Interested"],
  ["applied", "Applied"],
  ["interviewing", "Interviewing"],
  ["offer", "Offer"],
  ["rejected", "Rejected"],
  ["closed", "Closed"],
];

export function Board() {
  const board = useLoad(() => api.get("/saved-jobs?limit=100"), "board");
  // One list of documents for every card (a request per card would eat the rate limit).
  const documents = useLoad(() => api.get("/generations?limit=100"), "board-documents");
  const [dragging, setDragging] = useState(null);
  const [over, setOver] = useState(null);
  const [announce, setAnnounce] = useState("");
  const [move, , error] = useAction(async (entry, status) => {
    if (entry.status === status) return;
    const next = await api.patch(`/saved-jobs/${entry.id}`, { status, expected_version: entry.version });
    board.set({ ...board.data, items: board.data.items.map((e) => (e.id === next.id ? next : e)) });
    setAnnounce(`${entry.job.title || "Job"} moved to ${status}.`);
  });
  if (board.error) return html`<${ErrorNote} error=${board.error} />`;
  if (!board.data) return html`<p class="loading">Loading your board…</p>`;
  const items = board.data.items;
  return html`<div class="stack">
    <h1>Application board</h1>
    ${items.length === 0 ? html`<p>Nothing saved yet. Open a job and choose “Save to my board”.</p>` : null}
    <${ErrorNote} error=${error} />
    <p class="visually-hidden" role="status">${announce}</p>
    <div class="board">
      ${COLUMNS.map(
        ([status, title]) => html`<section
          key=${status}
          class=${`column${over === status ? " over" : ""}`}
          aria-labelledby=${`col-${status}`}
          data-status=${status}
          onDragOver=${(e) => { e.preventDefault(); setOver(status); }}
          onDragLeave=${() => setOver(null)}
          onDrop=${(e) => {
            e.preventDefault();
            setOver(null);
            const entry = items.find((x) => x.id === (dragging || e.dataTransfer.getData("text/plain")));
            if (entry) move(entry, status);
          }}>
          <h2 id=${`col-${status}`}>${title} <span class="count">${items.filter((x) => x.status === status).length}</span></h2>
          <ul class="cards">
            ${items.filter((x) => x.status === status).map((entry) => html`<${Card} key=${entry.id} entry=${entry} move=${move} setDragging=${setDragging}
              documents=${documents.data ? documents.data.items.filter((g) => g.job_id === entry.job_id) : []} />`)}
          </ul>
        </section>`,
      )}
    </div>
  </div>`;
}

function Card({ entry, move, setDragging, documents }) {
  const [target, setTarget] = useState(entry.status);
  const selectId = `move-${entry.id}`;
  const title = entry.job.title || "Untitled job";
  return html`<li
    class="board-card"
    draggable="true"
    data-id=${entry.id}
    onDragStart=${(e) => { e.dataTransfer.setData("text/plain", entry.id); setDragging(entry.id); }}
    onDragEnd=${() => setDragging(null)}>
    <a href=${`#/jobs/${entry.job_id}`}><strong>${title}</strong></a>
    <div class="muted">${[entry.job.company, entry.job.location].filter(Boolean).join(" · ")}</div>
    ${entry.applied_at ? html`<div class="muted">Applied ${when(entry.applied_at)}</div>` : null}
    ${documents.length
      ? html`<ul class="doc-links" aria-label=${`Documents for ${title}`}>
          ${documents.map((g) => html`<li key=${g.id}><a href=${`#/generations/${g.id}`}>${g.document_type === "resume" ? "Resume" : "Cover letter"} (${g.status.replace("_", " ")})</a></li>`)}
        </ul>`
      : null}
    <form class="move" onSubmit=${(e) => { e.preventDefault(); move(entry, target); }}>
      <label for=${selectId}>Move ${title} to</label>
      <select id=${selectId} value=${target} onChange=${(e) => setTarget(e.target.value)}>
        ${COLUMNS.map(([value, text]) => html`<option value=${value}>${text}</option>`)}
      </select>
      <button type="submit" class="secondary">Move</button>
    </form>
  </li>`;
}
