// One generation: its five stages live over the WebSocket, then the result: scores,
// keywords, advice, a preview, downloads, feedback and regenerate.

import { api } from "../api.js";
import { GenerationWatch } from "../live.js";
import { ErrorNote, Field, go, html, Notice, percent, useAction, useEffect, useLoad, useRef, useState } from "../ui.js";

export const STAGES = ["analyzing_job", "compiling_profile", "generating_content", "validating_quality", "exporting"];
const STAGE_NAMES = {
  analyzing_job: "Analysing the job",
  compiling_profile: "Compiling your profile",
  generating_content: "Writing the content",
  validating_quality: "Checking quality",
  exporting: "Exporting the PDF",
};
const ENDED = ["completed", "needs_review", "failed", "cancelled"];

export function GenerationScreen({ generationId }) {
  const generation = useLoad(() => api.get(`/generations/${generationId}`), generationId);
  if (generation.error) return html`<${ErrorNote} error=${generation.error} />`;
  if (!generation.data) return html`<p class="loading">Loading the generation…</p>`;
  // The last live update can arrive before the generation's read model has it: ask
  // again (a few times, backing off) until the GET shows the end too.
  const settle = async () => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const current = await api.get(`/generations/${generationId}`);
      if (ENDED.includes(current.status) || attempt === 19) return generation.set(current);
      await new Promise((resolve) => setTimeout(resolve, 100 * Math.min(attempt + 1, 10)));
    }
  };
  return html`<${Generation} initial=${generation.data} reload=${() => settle().catch(generation.reload)} />`;
}

function stagesFrom(generation) {
  const byName = Object.fromEntries(generation.progress.stages.map((s) => [s.name, s.status]));
  return Object.fromEntries(STAGES.map((name) => [name, byName[name] || "pending"]));
}

function Generation({ initial, reload }) {
  const [status, setStatus] = useState(initial.status);
  const [stages, setStages] = useState(stagesFrom(initial));
  const [pct, setPct] = useState(initial.progress.percent);
  const [log, setLog] = useState([]);
  const [socketState, setSocketState] = useState("");
  const [failure, setFailure] = useState(initial.error ? initial.error.message : initial.error_message);
  const watch = useRef(null);

  useEffect(() => {
    if (ENDED.includes(initial.status)) return undefined;
    // after 0: the store replays every update so far, so the view shows all five stages
    // whenever it was opened; a reconnect then resumes after the last one seen.
    const w = new GenerationWatch(initial.id, {
      after: 0,
      onState: setSocketState,
      onUpdate: (m) => {
        setLog((l) => [...l, m]);
        if (m.type === "generation.progress") {
          setStatus(m.status);
          setPct(m.percent);
          if (m.stage) setStages((s) => ({ ...s, [m.stage]: m.stage_status }));
        } else if (m.type === "generation.completed") {
          reload();
        } else if (m.type === "generation.failed") {
          setFailure(m.error && m.error.message);
          reload();
        }
      },
    });
    watch.current = w;
    window.__jobwise.dropSocket = () => w.drop();
    window.__jobwise.watch = w;
    return () => w.stop();
  }, [initial.id]);

  const ended = ENDED.includes(initial.status);
  const [cancel, cancelling, cancelError] = useAction(async () => {
    await api.del(`/generations/${initial.id}`);
    reload();
  });
  const title = initial.document_type === "resume" ? "Resume" : "Cover letter";
  return html`<div class="stack">
    <div class="row between">
      <h1>${title} <span class=${`badge ${ended ? initial.status : status}`} data-testid="generation-status">${(ended ? initial.status : status).replace("_", " ")}</span></h1>
      <span class="row">
        <a href=${`#/history/${initial.id}/generation`}>History</a>
        <a href=${`#/jobs/${initial.job_id}`}>Back to the job</a>
      </span>
    </div>
    <section class="card" aria-labelledby="progress-title">
      <h2 id="progress-title">Progress</h2>
      <progress max="100" value=${ended ? initial.progress.percent : pct} aria-label="Percent done"></progress>
      <ol class="stages" data-testid="stages">
        ${STAGES.map((name) => {
          const state = ended ? stagesFrom(initial)[name] : stages[name];
          return html`<li key=${name} class=${`stage ${state}`} data-stage=${name} data-state=${state}>
            <span class="dot" aria-hidden="true"></span>${STAGE_NAMES[name]}<span class="visually-hidden">: </span>
            <span class="state">${state}</span>
          </li>`;
        })}
      </ol>
      <p class="muted" aria-live="polite" data-testid="socket-state">${ended ? "" : socketState ? `Live updates: ${socketState}` : ""}</p>
      ${log.length
        ? html`<details>
            <summary>Updates received (${log.length})</summary>
            <ol class="log" data-testid="updates">
              ${log.map((m) => html`<li key=${m.seq} data-seq=${m.seq} data-type=${m.type} data-stage=${m.stage || ""} data-stage-status=${m.stage_status || ""}>
                #${m.seq} ${m.type.replace("generation.", "")} ${m.stage ? `${m.stage} ${m.stage_status}` : ""}
              </li>`)}
            </ol>
          </details>`
        : null}
      ${failure ? html`<p class="error" role="alert">It failed: ${failure}</p>` : null}
      ${!ended && status !== "cancelled"
        ? html`<button type="button" class="secondary" onClick=${cancel} disabled=${cancelling}>Cancel</button>`
        : null}
      <${ErrorNote} error=${cancelError} />
    </section>
    ${ended && initial.result ? html`<${Result} generation=${initial} />` : null}
    ${initial.removed && initial.removed.length
      ? html`<section class="card" data-testid="repairs"><h2>Repairs to review</h2>
          <p>The draft said things your profile does not back. Each one, and what was done:</p>
          <ul>${initial.removed.map((r) => html`<li data-action=${r.action || "removed"}>${repairInWords(r)}</li>`)}</ul></section>`
      : null}
    ${ended ? html`<${Regenerate} generation=${initial} />` : null}
  </div>`;
}

// One repair as a sentence a person reads: what the draft said, where, why, what was done.
export function repairInWords(repair) {
  const where = repair.where ? ` (${repair.where})` : "";
  const said = `“${repair.what}”${where}`;
  switch (repair.action) {
    case "replaced":
      return `${said} was replaced by your profile's own words “${repair.replacement}”: ${repair.why}.`;
    case "restored":
      return `${said} was put back from your profile: ${repair.why}.`;
    case "rewritten":
      return `${said} was written again by the model without the unsupported part: ${repair.why}.`;
    default:
      return `${said} was taken out: ${repair.why}.`;
  }
}

function Result({ generation }) {
  const analytics = useLoad(() => api.get(`/generations/${generation.id}/analytics`), generation.id);
  const result = useLoad(() => api.get(`/generations/${generation.id}/result`), generation.id);
  const a = analytics.data;
  return html`
    <section class="card" aria-labelledby="scores-title">
      <h2 id="scores-title">How it matches</h2>
      <${ErrorNote} error=${analytics.error} />
      ${a
        ? html`<div class="scores">
              <p><span class="big" data-testid="match-score">${percent(a.match_score)}</span> keyword match</p>
              <p><span class="big" data-testid="ats-score">${percent(a.ats_score)}</span> ATS score</p>
            </div>
            <dl class="keywords">
              <dt>Matched keywords</dt><dd data-testid="matched">${a.keywords.matched.join(", ") || "none"}</dd>
              <dt>Missing keywords</dt><dd data-testid="missing">${a.keywords.missing.join(", ") || "none"}</dd>
            </dl>
            ${a.recommendations.length ? html`<h3>Recommendations</h3><ul>${a.recommendations.map((r) => html`<li>${r}</li>`)}</ul>` : null}
            <details><summary>ATS checks</summary>
              <ul>${a.ats_score_details.map((c) => html`<li>${c.passed ? "Passed" : "Not passed"}: ${c.name} (weight ${c.weight}). ${c.message}</li>`)}</ul>
            </details>`
        : null}
    </section>
    <${Downloads} generation=${generation} />
    <section class="card" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <${ErrorNote} error=${result.error} />
      ${result.data
        ? html`<iframe class="preview" title="Document preview" sandbox="" srcdoc=${result.data.content_html} data-testid="preview"></iframe>`
        : null}
    </section>
    <${Feedback} generation=${generation} />`;
}

function Downloads({ generation }) {
  const [notice, setNotice] = useState("");
  const [download, busy, error] = useAction(async (format) => {
    const documentId = generation.result.document_id;
    const blob = await api.blob(`/documents/${documentId}/download?format=${format}`);
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `${generation.document_type === "resume" ? "resume" : "cover-letter"}.${format}`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setNotice(`${format.toUpperCase()} downloaded.`);
  });
  return html`<section class="card">
    <h2>Download</h2>
    <div class="actions">
      <button type="button" onClick=${() => download("pdf")} disabled=${busy}>Download PDF</button>
      <button type="button" class="secondary" onClick=${() => download("docx")} disabled=${busy}>Download DOCX</button>
    </div>
    <${ErrorNote} error=${error} />
    <${Notice} text=${notice} />
  </section>`;
}

function Feedback({ generation }) {
  const [rating, setRating] = useState(generation.feedback ? String(generation.feedback.rating) : "5");
  const [comment, setComment] = useState((generation.feedback && generation.feedback.comment) || "");
  const [notice, setNotice] = useState("");
  const [send, busy, error] = useAction(async () => {
    await api.post(`/generations/${generation.id}/feedback`, { rating: Number(rating), comment: comment || null });
    setNotice("Thank you: feedback saved.");
  });
  return html`<section class="card">
    <h2>Feedback</h2>
    <form onSubmit=${(e) => { e.preventDefault(); send(); }}>
      <${Field} label="Rating" name="rating" value=${rating} onInput=${setRating} options=${[["5", "5: excellent"], ["4", "4: good"], ["3", "3: fair"], ["2", "2: poor"], ["1", "1: unusable"]]} />
      <${Field} label="Comment" name="comment" rows="2" value=${comment} onInput=${setComment} />
      <${ErrorNote} error=${error} />
      <${Notice} text=${notice} />
      <button type="submit" disabled=${busy}>Send feedback</button>
    </form>
  </section>`;
}

function Regenerate({ generation }) {
  const [tone, setTone] = useState(generation.options.tone);
  const [pages, setPages] = useState(String(generation.options.max_pages));
  const [run, busy, error] = useAction(async () => {
    const next = await api.post(`/generations/${generation.id}/regenerate`, { options: { tone, max_pages: Number(pages) } });
    go(`#/generations/${next.id}`);
  });
  return html`<section class="card">
    <h2>Regenerate</h2>
    <form class="inline-form" onSubmit=${(e) => { e.preventDefault(); run(); }}>
      <${Field} label="Tone" name="regen_tone" value=${tone} onInput=${setTone} options=${[["professional", "Professional"], ["concise", "Concise"], ["bold", "Bold"]]} />
      <${Field} label="Maximum pages" name="regen_pages" value=${pages} onInput=${setPages} options=${[["1", "1 page"], ["2", "2 pages"]]} />
      <button type="submit" disabled=${busy}>Regenerate</button>
    </form>
    <${ErrorNote} error=${error} />
  </section>`;
}
