// Where a profile starts, for someone who has none yet: their resume (a PDF or DOCX,
// read into a draft they check beside the file before anything is made), their LinkedIn
// data export (made into the profile at once), a JSON Resume, or a blank one.

import { api, importResumeFile, MAX_UPLOAD_BYTES } from "../api.js";
import { commaList, ErrorNote, Field, html, useAction, useEffect, useId, useRef, useState } from "../ui.js";
import { blankToNull, COMPONENTS, fromForm, toForm } from "./fields.js";

// A field read with less confidence than this is marked for the person to check.
const LOW_CONFIDENCE = 0.6;
const CHECK_HINT = "Check this: it was hard to read.";
const TOO_BIG = "That file is larger than 10 MB, the most an upload may be.";

export function NewProfile({ onCreated }) {
  const [review, setReview] = useState(null); // {answer, file} once a resume is read
  if (review) {
    return html`<${ResumeReview} answer=${review.answer} file=${review.file} onCreated=${onCreated} onCancel=${() => setReview(null)} />`;
  }
  return html`<div class="stack">
    <section class="card">
      <h1>Your master profile</h1>
      <p>Everything JobWise writes comes from this profile. Start from your resume or your LinkedIn data, or from a JSON Resume or your name alone.</p>
    </section>
    <div class="grid two">
      <${ResumeStart} onRead=${setReview} onCreated=${onCreated} />
      <${LinkedInStart} onImported=${onCreated} />
    </div>
    <div class="grid two">
      <${BlankStart} onCreated=${onCreated} />
      <${ImportResume} onImported=${onCreated} />
    </div>
  </div>`;
}

function FileField({ label, accept, hint, onFile }) {
  const id = useId("upload");
  const hintId = hint ? `${id}-hint` : undefined;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input id=${id} type="file" accept=${accept} aria-describedby=${hintId} onChange=${(e) => onFile(e.target.files[0] || null)} />
    ${hint ? html`<small id=${hintId} class="hint">${hint}</small>` : null}
  </div>`;
}

function ResumeStart({ onRead, onCreated }) {
  const [file, setFile] = useState(null);
  const [run, busy, error, setError] = useAction(async () => {
    if (!file) return setError("Choose your resume (a PDF or DOCX file) first.");
    if (file.size > MAX_UPLOAD_BYTES) return setError(TOO_BIG);
    // The server tells the kind from the bytes; a LinkedIn ZIP chosen here still works.
    const answer = await importResumeFile(file);
    if (answer && answer.draft) onRead({ answer, file });
    else onCreated(answer);
  });
  return html`<section class="card start">
    <h2>Start from my resume</h2>
    <p>JobWise reads your resume into a draft; you check it beside the file before your profile is made.</p>
    <form onSubmit=${(e) => { e.preventDefault(); run(); }}>
      <${FileField} label="Your resume (PDF or DOCX)" accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        onFile=${setFile} />
      <${ErrorNote} error=${error} />
      <button type="submit" disabled=${busy}>${busy ? "Reading…" : "Read my resume"}</button>
    </form>
  </section>`;
}

function LinkedInStart({ onImported }) {
  const [file, setFile] = useState(null);
  const [run, busy, error, setError] = useAction(async () => {
    if (!file) return setError("Choose your LinkedIn data export (a .zip file) first.");
    if (file.size > MAX_UPLOAD_BYTES) return setError(TOO_BIG);
    onImported(await importResumeFile(file, "linkedin"));
  });
  return html`<section class="card start">
    <h2>Start from LinkedIn</h2>
    <p>Your positions, education, skills and projects become your profile.</p>
    <form onSubmit=${(e) => { e.preventDefault(); run(); }}>
      <${FileField} label="LinkedIn data export (ZIP)" accept=".zip,application/zip"
        hint="Get it on LinkedIn: Settings → Data privacy → Get a copy of your data." onFile=${setFile} />
      <${ErrorNote} error=${error} />
      <button type="submit" disabled=${busy}>${busy ? "Uploading…" : "Upload my LinkedIn export"}</button>
    </form>
  </section>`;
}

function BlankStart({ onCreated }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [create, busy, error] = useAction(async () => {
    onCreated(await api.post("/profiles", { personal_info: { full_name: name, email: email || null } }));
  });
  return html`<section class="card start">
    <h2>Start from scratch</h2>
    <form onSubmit=${(e) => { e.preventDefault(); create(); }}>
      <${Field} label="Full name" name="full_name" value=${name} onInput=${setName} required />
      <${Field} label="Email" name="email" type="email" value=${email} onInput=${setEmail} />
      <${ErrorNote} error=${error} />
      <button type="submit" disabled=${busy}>Create profile</button>
    </form>
  </section>`;
}

export function ImportResume({ onImported }) {
  const [file, setFile] = useState(null);
  const [run, busy, error, setError] = useAction(async () => {
    if (!file) return setError("Choose a JSON Resume file first.");
    let data;
    try {
      data = JSON.parse(await file.text());
    } catch {
      return setError("That file is not JSON. A JSON Resume is a .json file (jsonresume.org).");
    }
    await onImported(await api.post("/profiles/import", { format: "json-resume", data }));
  });
  return html`<section class="card">
    <h2>Import a JSON Resume</h2>
    <form onSubmit=${(e) => { e.preventDefault(); run(); }}>
      <div class="field">
        <label for="import-file">JSON Resume file</label>
        <input id="import-file" type="file" accept=".json,application/json" onChange=${(e) => setFile(e.target.files[0] || null)} />
      </div>
      <${ErrorNote} error=${error} />
      <button type="submit" disabled=${busy}>Import</button>
    </form>
  </section>`;
}

// -- the review: the file on one side, the draft as fields on the other --------------

const PERSONAL = [
  ["full_name", "Full name", "text"],
  ["email", "Email", "email"],
  ["phone", "Phone", "text"],
  ["location", "Location", "text"],
  ["linkedin", "LinkedIn URL", "url"],
  ["github", "GitHub URL", "url"],
  ["website", "Website", "url"],
];

const [EXPERIENCE, EDUCATION, PROJECT] = COMPONENTS;
// The review also says whether a role is the current one (the profile screen leaves
// that to an empty end date).
const ITEM_FIELDS = {
  experiences: [...EXPERIENCE.fields, { name: "is_current", label: "I work here now", type: "checkbox" }],
  education: EDUCATION.fields,
  projects: PROJECT.fields,
};
const CERTIFICATION = {
  path: "certifications",
  noun: "certification",
  fields: [
    { name: "name", label: "Certification", required: true },
    { name: "issuer", label: "Issuer" },
    { name: "date_obtained", label: "Date obtained", type: "date" },
    { name: "credential_id", label: "Credential ID" },
  ],
};

function named(skill) {
  return typeof skill === "string" ? skill : skill && skill.name ? skill.name : "";
}

function languageText(language) {
  if (typeof language === "string") return language;
  return language.proficiency ? `${language.name} (${language.proficiency})` : language.name;
}

function languagesFrom(text) {
  return commaList(text).map((part) => {
    const found = /^(.*?)\s*\(([^)]*)\)$/.exec(part);
    return found ? { name: found[1].trim(), proficiency: found[2].trim().toLowerCase() || null } : { name: part };
  });
}

function itemsOf(list, config) {
  return (list || []).map((item, at) => ({ at, item, form: toForm(config, item) }));
}

function toReview(draft) {
  const info = draft.personal_info || {};
  const skills = draft.skills || {};
  return {
    personal_info: Object.fromEntries(PERSONAL.map(([name]) => [name, info[name] ?? ""])),
    professional_summary: draft.professional_summary ?? "",
    experiences: itemsOf(draft.experiences, { fields: ITEM_FIELDS.experiences }),
    education: itemsOf(draft.education, { fields: ITEM_FIELDS.education }),
    projects: itemsOf(draft.projects, { fields: ITEM_FIELDS.projects }),
    technical: (skills.technical || []).map(named).join(", "),
    soft: (skills.soft || []).map(named).join(", "),
    languages: (skills.languages || []).map(languageText).join(", "),
    certifications: itemsOf(skills.certifications, CERTIFICATION),
  };
}

function fromItems(entries, fields) {
  const config = { fields };
  return entries.map(({ item, form }) => {
    const body = { ...item, ...fromForm(config, form) };
    for (const f of fields) if (f.type === "checkbox") body[f.name] = !!form[f.name];
    return body;
  });
}

// The draft as the person left it: a POST /api/v1/profiles body. What the form does not
// show (custom fields, a credential's other details) goes on as it was read.
function toDraft(draft, review) {
  const info = Object.fromEntries(
    Object.entries(review.personal_info).map(([k, v]) => [k, k === "full_name" ? v.trim() : blankToNull(v.trim())]),
  );
  return {
    ...draft,
    personal_info: { ...(draft.personal_info || {}), ...info },
    professional_summary: blankToNull(review.professional_summary.trim()),
    experiences: fromItems(review.experiences, ITEM_FIELDS.experiences),
    education: fromItems(review.education, ITEM_FIELDS.education),
    projects: fromItems(review.projects, ITEM_FIELDS.projects),
    skills: {
      ...(draft.skills || {}),
      technical: commaList(review.technical),
      soft: commaList(review.soft),
      languages: languagesFrom(review.languages),
      certifications: fromItems(review.certifications, CERTIFICATION.fields),
    },
  };
}

function ResumeReview({ answer, file, onCreated, onCancel }) {
  const [review, setReview] = useState(() => toReview(answer.draft));
  const heading = useRef(null);
  useEffect(() => {
    if (heading.current) heading.current.focus();
  }, []);
  const confidence = answer.confidence || {};
  const low = (path) => typeof confidence[path] === "number" && confidence[path] < LOW_CONFIDENCE;
  const toCheck = Object.keys(confidence).filter(low).length;
  const [create, busy, error] = useAction(async () => {
    onCreated(await api.post("/profiles", toDraft(answer.draft, review)));
  });
  const setInfo = (name) => (value) => setReview({ ...review, personal_info: { ...review.personal_info, [name]: value } });
  const setText = (name) => (value) => setReview({ ...review, [name]: value });
  const setItems = (name) => (items) => setReview({ ...review, [name]: items });
  return html`<div class="stack">
    <section class="card">
      <h1 tabindex="-1" ref=${heading}>Check what was read</h1>
      <p>Nothing is saved yet. Compare the draft with your file, correct what is wrong, then create your profile.
        ${toCheck ? html` Fields marked <span class="check-mark">check this</span> were hard to read.` : null}</p>
      ${(answer.notes || []).length
        ? html`<ul class="notes" aria-label="Notes on the reading" data-testid="notes">${answer.notes.map((n) => html`<li>${readable(n)}</li>`)}</ul>`
        : null}
    </section>
    <div class="review">
      <${SourceFile} answer=${answer} file=${file} />
      <form class="card draft" aria-labelledby="draft-title" onSubmit=${(e) => { e.preventDefault(); create(); }}>
        <h2 id="draft-title">Your profile draft</h2>
        <fieldset class="draft-part">
          <legend>Personal info</legend>
          <div class="grid fields">
            ${PERSONAL.map(([name, label, type]) => html`<${ReviewField} key=${name} low=${low(`personal_info.${name}`)} label=${label} name=${name}
              type=${type} required=${name === "full_name"} value=${review.personal_info[name]} onInput=${setInfo(name)} />`)}
          </div>
          <${ReviewField} low=${low("professional_summary")} label="Professional summary" name="professional_summary" rows="5"
            value=${review.professional_summary} onInput=${setText("professional_summary")} />
        </fieldset>
        <${DraftItems} title="Experience" noun="experience" path="experiences" fields=${ITEM_FIELDS.experiences}
          entries=${review.experiences} onChange=${setItems("experiences")} low=${low} heading=${EXPERIENCE.heading} />
        <${DraftItems} title="Education" noun="education" path="education" fields=${ITEM_FIELDS.education}
          entries=${review.education} onChange=${setItems("education")} low=${low} heading=${EDUCATION.heading} />
        <${DraftItems} title="Projects" noun="project" path="projects" fields=${ITEM_FIELDS.projects}
          entries=${review.projects} onChange=${setItems("projects")} low=${low} heading=${PROJECT.heading} />
        <fieldset class="draft-part">
          <legend>Skills</legend>
          <${ReviewField} low=${low("skills.technical")} label="Technical skills" name="technical" value=${review.technical}
            onInput=${setText("technical")} hint="Separated by commas." />
          <${ReviewField} low=${low("skills.soft")} label="Soft skills" name="soft" value=${review.soft}
            onInput=${setText("soft")} hint="Separated by commas." />
          <${ReviewField} low=${low("skills.languages")} label="Languages" name="languages" value=${review.languages}
            onInput=${setText("languages")} hint="Separated by commas; a level in brackets: native, fluent, conversational or basic." />
        </fieldset>
        <${DraftItems} title="Certifications" noun="certification" path="skills.certifications" fields=${CERTIFICATION.fields}
          entries=${review.certifications} onChange=${setItems("certifications")} low=${low} heading=${(x) => x.name}
          groupLow=${low("skills.certifications")} />
        <${ErrorNote} error=${error} />
        <div class="actions">
          <button type="submit" disabled=${busy}>Create my profile</button>
          <button type="button" class="secondary" onClick=${onCancel}>Cancel</button>
        </div>
      </form>
    </div>
  </div>`;
}

const PLACES = { experiences: "Experience", education: "Education", projects: "Project" };

// A note names fields by their path in the draft (experiences.1.start_date); say them as
// the form does (Experience 2, start date).
function readable(note) {
  return String(note)
    .replace(/\b(experiences|education|projects)\.(\d+)\.(\w+)/g,
      (_, part, index, name) => `${PLACES[part]} ${Number(index) + 1}, ${name.replaceAll("_", " ")}`)
    .replace(/\bpersonal_info\.(\w+)/g, (_, name) => name.replaceAll("_", " "))
    .replace(/\bskills\.(\w+)/g, (_, name) => `${name} skills`)
    .replace(/\bcustom_fields\.resume_file\b/g, "the profile's custom fields");
}

// A field of the draft; one read with low confidence is marked and says so.
function ReviewField({ low, hint, ...props }) {
  return html`<div class=${low ? "review-field low-confidence" : "review-field"}>
    <${Field} ...${props} hint=${low ? (hint ? `${CHECK_HINT} ${hint}` : CHECK_HINT) : hint} />
  </div>`;
}

function DraftItems({ title, noun, path, fields, entries, onChange, low, heading, groupLow = false }) {
  if (!entries.length) return null;
  const update = (index, name, value) =>
    onChange(entries.map((entry, i) => (i === index ? { ...entry, form: { ...entry.form, [name]: value } } : entry)));
  return html`<div class="draft-items">
    <h3>${title}</h3>
    ${entries.map((entry, index) => {
      // Numbered as read (as the notes name them), even once one is left out.
      const label = `${noun[0].toUpperCase()}${noun.slice(1)} ${entry.at + 1}`;
      const known = heading(fromForm({ fields }, entry.form));
      return html`<fieldset key=${`${path}-${entry.at}`} class="draft-part draft-item">
        <legend>${label}</legend>
        <div class="grid fields">
          ${fields.map((f) => html`<${ReviewField} key=${f.name} low=${groupLow || low(`${path}.${entry.at}.${f.name}`)} label=${f.label}
            name=${f.name} type=${f.type || "text"} rows=${f.rows} hint=${f.hint} required=${f.required}
            value=${entry.form[f.name]} onInput=${(v) => update(index, f.name, v)} />`)}
        </div>
        <button type="button" class="danger" aria-label=${`Leave out ${label.toLowerCase()}${known ? `: ${known}` : ""}`}
          onClick=${() => onChange(entries.filter((_, i) => i !== index))}>Leave out</button>
      </fieldset>`;
    })}
  </div>`;
}

// The file as uploaded (a PDF shown as the browser shows PDFs), and the text as read.
function SourceFile({ answer, file }) {
  const [url, setUrl] = useState(null);
  useEffect(() => {
    if (answer.format !== "pdf") return undefined;
    const made = URL.createObjectURL(new Blob([file], { type: "application/pdf" }));
    setUrl(`${made}#navpanes=0&view=FitH`); // the page itself, not the viewer's sidebar
    return () => URL.revokeObjectURL(made);
  }, [file]);
  const pdf = answer.format === "pdf";
  return html`<section class="card source" aria-labelledby="source-title">
    <h2 id="source-title">Your file</h2>
    <p class="muted file-name">${file.name}</p>
    ${url ? html`<iframe class="source-file" title=${`${file.name} as uploaded`} src=${url} data-testid="source-file"></iframe>` : null}
    ${pdf
      ? html`<details class="read-text">
          <summary>The text as read</summary>
          <${ReadLines} lines=${answer.lines} />
        </details>`
      : html`<h3>The text as read</h3><${ReadLines} lines=${answer.lines} />`}
  </section>`;
}

function ReadLines({ lines }) {
  const pages = new Set((lines || []).map((l) => l.page)).size;
  let page = null;
  const shown = [];
  for (const [index, line] of (lines || []).entries()) {
    if (pages > 1 && line.page !== page) shown.push(html`<p key=${`page-${line.page}`} class="page-mark">Page ${line.page}</p>`);
    page = line.page;
    shown.push(html`<p key=${index}>${line.text}</p>`);
  }
  return html`<div class="read-lines" role="region" aria-label="The text as read" tabindex="0" data-testid="read-lines">
    ${shown.length ? shown : html`<p class="muted">No text was read.</p>`}
  </div>`;
}
