// The event history of one profile, job or generation, from the audit trail.

import { api, query } from "../api.js";
import { ErrorNote, html, useLoad, useState, when } from "../ui.js";

export function History({ streamId, label }) {
  const [after, setAfter] = useState(0);
  const [pages, setPages] = useState([]);
  const page = useLoad(async () => {
    const answer = await api.get(`/audit/events${query({ stream_id: streamId, after, limit: 50 })}`);
    setPages((p) => [...p, ...answer.items]);
    return answer;
  }, `${streamId}:${after}`);
  return html`<section class="card" aria-labelledby="history-title">
    <div class="row between">
      <h1 id="history-title">History of this ${label || "record"}</h1>
      <button type="button" class="link" onClick=${() => history.back()}>Back</button>
    </div>
    <${ErrorNote} error=${page.error} />
    <ol class="history" data-testid="history">
      ${pages.map(
        (e) => html`<li key=${e.position}>
          <strong>${e.type.replace(/([a-z])([A-Z])/g, "$1 $2")}</strong>
          <span class="muted">version ${e.version}, ${when(e.recorded_at)}</span>
          <details><summary>What changed</summary><pre>${JSON.stringify(e.data, null, 2)}</pre></details>
        </li>`,
      )}
    </ol>
    ${page.data && page.data.next_after ? html`<button type="button" onClick=${() => setAfter(page.data.next_after)}>Show more</button>` : null}
    ${page.data && !pages.length ? html`<p class="muted">No events.</p>` : null}
  </section>`;
}
