// Jobs: paste a posting, see what was read (every field editable), search the list, save
// a job to the board, and ask for a tailored resume or cover letter.

import { api, ApiError, query } from "../api.js";
import { ErrorNote, Field, go, html, lines, Notice, percent, useAction, useEffect, useLoad, useState, when } from "../ui.js";

export function Jobs() {
  const [q, setQ] = useState("");
  const [search, setSearch] = useState("");
  const list = useLoad(() => api.get(`/jobs${query({ q: search, limit: 50 })}`), search);
  return html`<div class="grid two">
    <${PasteJob} />
    <section class="card" aria-labelledby="jobs-title">
      <h1 id="jobs-title">Your jobs</h1>
      <form role="search" class="inline-form" onSubmit=${(e) => { e.preventDefault(); setSearch(q.trim()); }}>
        <${Field} label="Search jobs" name="q" type="search" value=${q} onInput=${setQ} hint="Every word must match; skills match under any of their names (k8s finds Kubernetes)." />
        <button type="submit">Search</button>
      </form>
      <${ErrorNote} error=${list.error} />
      ${list.data
        ? list.data.items.length
          ? html`<p class="muted">${list.data.total} job${list.data.total === 1 ? "" : "s"}</p>
              <ul class="items">
                ${list.data.items.map(
                  (job) => html`<li key=${job.id} class="item">
                    <div>
                      <a href=${`#/jobs/${job.id}`}><strong>${job.title || "Untitled job"}</strong></a>
                      <div class="muted">${[job.company, job.location].filter(Boolean).join(" · ")}</div>
                    </div>
                  </li>`,
                )}
              </ul>`
          : html`<p class="muted">${search ? "No job matches that search." : "No jobs yet: paste one."}</p>`
        : null}
    </section>
  </div>`;
}

function PasteJob() {
  const [source, setSource] = useState("");
  const [raw, setRaw] = useState("");
  const [submit, busy, error] = useAction(async () => {
    const job = await api.post("/jobs", { source: source.trim() || "web", raw_text: raw });
    go(`#/jobs/${job.id}`);
  });
  return html`<section class="card" aria-labelledby="paste-title">
    <h2 id="paste-title">Paste a job posting</h2>
    <form onSubmit=${(e) => { e.preventDefault(); submit(); }}>
      <${Field} label="Where you found it" name="source" value=${source} onInput=${setSource} hint="For example linkedin, a company site, a friend." />
      <${Field} label="Posting text" name="raw_text" rows="12" value=${raw} onInput=${setRaw} required />
      <${ErrorNote} error=${error} />
      <button type="submit" disabled=${busy}>${busy ? "Reading…" : "Read the posting"}</button>
    </form>
  </section>`;
}

function jobForm(job) {
  return {
    title: job.title || "",
    company: job.company || "",
    location: job.location || "",
    work_arrangement: job.work_arrangement || "",
    salary: (job.salary_range && job.salary_range.text) || "",
    requirements: (job.requirements || []).join("\n"),
    nice_to_have: (job.nice_to_have || []).join("\n"),
  };
}

export function JobDetail({ jobId }) {
  const job = useLoad(() => api.get(`/jobs/${jobId}`), jobId);
  if (job.error) return html`<${ErrorNote} error=${job.error} />`;
  if (!job.data) return html`<p class="loading">Loading the job…</p>`;
  return html`<div class="grid two">
    <${JobEditor} job=${job.data} onSaved=${job.set} />
    <div class="stack">
      <${Generate} job=${job.data} />
      <${SaveToBoard} job=${job.data} />
      <${JobGenerations} job=${job.data} />
    </div>
  </div>`;
}

function JobEditor({ job, onSaved }) {
  const [form, setForm] = useState(jobForm(job));
  const [notice, setNotice] = useState("");
  useEffect(() => setForm(jobForm(job)), [job.id, job.version]);
  const set = (key) => (value) => setForm({ ...form, [key]: value });
  const [save, busy, error] = useAction(async () => {
    const before = jobForm(job);
    const body = {};
    // Only what was changed: fields typed in win over the parser's, now and on re-parse.
    for (const key of Object.keys(form)) {
      if (form[key] === before[key]) continue;
      if (key === "requirements" || key === "nice_to_have") body[key] = lines(form[key]);
      else if (key === "salary") body.salary_range = form.salary.trim() || null;
      else body[key] = form[key].trim() || null;
    }
    if (!Object.keys(body).length) return setNotice("Nothing changed.");
    const next = await api.put(`/jobs/${job.id}`, { ...body, expected_version: job.version });
    setNotice("Saved.");
    onSaved(next);
  });
  const kw = job.parsed_keywords || {};
  return html`<section class="card" aria-labelledby="job-title">
    <div class="row between">
      <h1 id="job-title">${job.title || "Untitled job"}</h1>
      <a href=${`#/history/${job.id}/job`}>History</a>
    </div>
    <p class="muted">From ${job.source}, added ${when(job.created_at)}</p>
    <form onSubmit=${(e) => { e.preventDefault(); save(); }} onInput=${() => setNotice("")}>
      <div class="grid fields">
        <${Field} label="Title" name="title" value=${form.title} onInput=${set("title")} />
        <${Field} label="Company" name="company" value=${form.company} onInput=${set("company")} />
        <${Field} label="Location" name="location" value=${form.location} onInput=${set("location")} />
        <${Field} label="Work arrangement" name="work_arrangement" value=${form.work_arrangement} onInput=${set("work_arrangement")}
          options=${[["", "Not said"], ["onsite", "On-site"], ["hybrid", "Hybrid"], ["remote", "Remote"]]} />
        <${Field} label="Salary" name="salary" value=${form.salary} onInput=${set("salary")} hint=${salaryHint(job.salary_range)} />
      </div>
      <${Field} label="Requirements" name="requirements" rows="6" value=${form.requirements} onInput=${set("requirements")} hint="One per line." />
      <${Field} label="Nice to have" name="nice_to_have" rows="3" value=${form.nice_to_have} onInput=${set("nice_to_have")} hint="One per line." />
      <${ErrorNote} error=${error} />
      <${Notice} text=${notice} />
      <button type="submit" disabled=${busy}>Save changes</button>
    </form>
    <h2>Skills it asks for</h2>
    <dl class="keywords" data-testid="job-skills">
      <dt>Required</dt><dd>${(kw.required || []).join(", ") || "none found"}</dd>
      <dt>Preferred</dt><dd>${(kw.preferred || []).join(", ") || "none found"}</dd>
      <dt>All skills</dt><dd>${(kw.skills || []).join(", ") || "none found"}</dd>
    </dl>
  </section>`;
}

function salaryHint(salary) {
  if (!salary || (salary.min == null && salary.max == null)) return "As written in the posting.";
  const range = [salary.min, salary.max].filter((x) => x != null).map((x) => x.toLocaleString()).join(" – ");
  return `Read as ${range} ${salary.currency || ""} a ${salary.period || "year"}.`;
}

function Generate({ job }) {
  const templates = useLoad(() => api.get("/generations/templates"), "templates");
  const [kind, setKind] = useState("resume");
  const [template, setTemplate] = useState("");
  const [tone, setTone] = useState("professional");
  const [pages, setPages] = useState("1");
  const [run, busy, error] = useAction(async () => {
    let profile;
    try {
      profile = await api.get("/profiles/me");
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404) throw new Error("Create your profile first: a document is written from it.");
      throw caught;
    }
    const options = { tone, max_pages: Number(pages) };
    if (template) options.template = template;
    const path = kind === "resume" ? "/generations/resume" : "/generations/cover-letter";
    const created = await api.post(path, { profile_id: profile.id, job_id: job.id, options });
    go(`#/generations/${created.id}`);
  });
  const choices = templates.data ? templates.data.items.map((t) => [t.name, t.display_name]) : [];
  return html`<section class="card" aria-labelledby="generate-title">
    <h2 id="generate-title">Tailor a document</h2>
    <form onSubmit=${(e) => { e.preventDefault(); run(); }}>
      <${Field} label="Document" name="document_type" value=${kind} onInput=${setKind} options=${[["resume", "Resume"], ["cover_letter", "Cover letter"]]} />
      <${Field} label="Template" name="template" value=${template} onInput=${setTemplate} options=${[["", "Default"], ...choices]} />
      <${Field} label="Tone" name="tone" value=${tone} onInput=${setTone} options=${[["professional", "Professional"], ["concise", "Concise"], ["bold", "Bold"]]} />
      <${Field} label="Maximum pages" name="max_pages" value=${pages} onInput=${setPages} options=${[["1", "1 page"], ["2", "2 pages"]]} />
      <${ErrorNote} error=${error} />
      <button type="submit" disabled=${busy}>Generate</button>
    </form>
  </section>`;
}

function SaveToBoard({ job }) {
  const saved = useLoad(() => api.get("/saved-jobs?limit=100"), job.id);
  const entry = saved.data && saved.data.items.find((s) => s.job_id === job.id);
  const [save, busy, error] = useAction(async () => {
    await api.post("/saved-jobs", { job_id: job.id });
    saved.reload();
  });
  return html`<section class="card">
    <h2>Application board</h2>
    ${entry
      ? html`<p>On your board as <strong>${entry.status}</strong>. <a href="#/board">Open the board</a></p>`
      : html`<button type="button" onClick=${save} disabled=${busy || saved.loading}>Save to my board</button>`}
    <${ErrorNote} error=${error || saved.error} />
  </section>`;
}

function JobGenerations({ job }) {
  const list = useLoad(() => api.get(`/generations${query({ job_id: job.id, limit: 20 })}`), job.id);
  if (!list.data || !list.data.items.length) return null;
  return html`<section class="card">
    <h2>Documents for this job</h2>
    <ul class="items">
      ${list.data.items.map(
        (g) => html`<li key=${g.id} class="item">
          <a href=${`#/generations/${g.id}`}>${g.document_type === "resume" ? "Resume" : "Cover letter"}, ${when(g.created_at)}</a>
          <span class=${`badge ${g.status}`}>${g.status.replace("_", " ")}</span>
          ${g.match_score != null ? html`<span class="muted">match ${percent(g.match_score)}</span>` : null}
        </li>`,
      )}
    </ul>
  </section>`;
}
