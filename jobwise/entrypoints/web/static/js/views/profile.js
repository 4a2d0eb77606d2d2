// The master profile: personal info, summary, experiences, education, projects and
// skills, each added, edited and removed through the component routes; a JSON Resume
// import; the completeness score and advice beside it.

import { api, ApiError } from "../api.js";
import { commaList, ErrorNote, Field, html, Notice, useAction, useEffect, useLoad, useState } from "../ui.js";
import { blankToNull, COMPONENTS, fromForm, toForm } from "./fields.js";
import { ImportResume, NewProfile } from "./start.js";

export function ProfileScreen() {
  const loaded = useLoad(async () => {
    try {
      return await api.get("/profiles/me");
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }, "me");
  if (loaded.loading && !loaded.data) return html`<p class="loading">Loading your profile…</p>`;
  if (loaded.error) return html`<${ErrorNote} error=${loaded.error} />`;
  if (!loaded.data) return html`<${NewProfile} onCreated=${loaded.set} />`;
  return html`<${Profile} profile=${loaded.data} setProfile=${loaded.set} reload=${loaded.reload} />`;
}

function Profile({ profile, setProfile, reload }) {
  const analytics = useLoad(() => api.get(`/profiles/${profile.id}/analytics`), `${profile.id}:${profile.version}`);
  const changed = (next) => (next && next.id ? setProfile(next) : reload());
  return html`<div class="grid profile">
    <div class="stack">
      <div class="row between">
        <h1>${profile.personal_info.full_name}</h1>
        <a href=${`#/history/${profile.id}/profile`}>History</a>
      </div>
      <${PersonalInfo} profile=${profile} onSaved=${changed} />
      ${COMPONENTS.map((c) => html`<${Component} key=${c.path} config=${c} profile=${profile} onChanged=${changed} />`)}
      <${Skills} profile=${profile} onChanged=${changed} />
      <details class="card">
        <summary>Start again from a JSON Resume</summary>
        <p>The file becomes a new profile, and the one you work from; this one stays in your history.</p>
        <${ImportResume} onImported=${async (p) => setProfile(await api.patch(`/profiles/${p.id}`, { is_active: true }))} />
      </details>
    </div>
    <aside class="card analytics" aria-labelledby="analytics-title">
      <h2 id="analytics-title">Completeness</h2>
      ${analytics.error ? html`<${ErrorNote} error=${analytics.error} />` : null}
      ${analytics.data
        ? html`<p class="score" data-testid="completeness"><strong>${analytics.data.completeness_score}</strong> / 100</p>
            <meter min="0" max="100" value=${analytics.data.completeness_score} aria-label="Completeness score"></meter>
            <dl class="sections">
              ${Object.entries(analytics.data.section_scores).map(([k, v]) => html`<dt>${k.replaceAll("_", " ")}</dt><dd>${v}</dd>`)}
            </dl>
            ${analytics.data.recommendations.length
              ? html`<h3>Advice</h3><ul class="advice">${analytics.data.recommendations.map((r) => html`<li>${r}</li>`)}</ul>`
              : html`<p>Nothing to add: well done.</p>`}`
        : null}
    </aside>
  </div>`;
}

function PersonalInfo({ profile, onSaved }) {
  const [info, setInfo] = useState(profile.personal_info);
  const [summary, setSummary] = useState(profile.professional_summary || "");
  const [notice, setNotice] = useState("");
  useEffect(() => {
    setInfo(profile.personal_info);
    setSummary(profile.professional_summary || "");
  }, [profile.id]);
  const set = (key) => (value) => setInfo({ ...info, [key]: value });
  const [save, busy, error] = useAction(async () => {
    const personal_info = Object.fromEntries(Object.entries(info).map(([k, v]) => [k, k === "full_name" ? v : blankToNull(v)]));
    const next = await api.patch(`/profiles/${profile.id}`, { personal_info, professional_summary: blankToNull(summary) });
    setNotice("Saved.");
    onSaved(next);
  });
  return html`<section class="card">
    <h2>Personal info and summary</h2>
    <form onSubmit=${(e) => { e.preventDefault(); save(); }} onInput=${() => setNotice("")}>
      <div class="grid fields">
        <${Field} label="Full name" name="full_name" value=${info.full_name} onInput=${set("full_name")} required />
        <${Field} label="Email" name="email" type="email" value=${info.email} onInput=${set("email")} />
        <${Field} label="Phone" name="phone" value=${info.phone} onInput=${set("phone")} />
        <${Field} label="Location" name="location" value=${info.location} onInput=${set("location")} />
        <${Field} label="LinkedIn URL" name="linkedin" type="url" value=${info.linkedin} onInput=${set("linkedin")} />
        <${Field} label="GitHub URL" name="github" type="url" value=${info.github} onInput=${set("github")} />
        <${Field} label="Website" name="website" type="url" value=${info.website} onInput=${set("website")} />
      </div>
      <${Field} label="Professional summary" name="professional_summary" rows="4" value=${summary} onInput=${setSummary} />
      <${ErrorNote} error=${error} />
      <${Notice} text=${notice} />
      <button type="submit" disabled=${busy}>Save personal info</button>
    </form>
  </section>`;
}

function Component({ config, profile, onChanged }) {
  const items = profile[config.path] || [];
  const [editing, setEditing] = useState(null); // null, "new" or an item id
  const [remove, , removeError] = useAction(async (item) => {
    await api.del(`/profiles/${profile.id}/${config.path}/${item.id}`);
    onChanged(null);
  });
  const titleId = `${config.path}-title`;
  return html`<section class="card" aria-labelledby=${titleId}>
    <div class="row between">
      <h2 id=${titleId}>${config.title}</h2>
      ${editing === "new" ? null : html`<button type="button" onClick=${() => setEditing("new")}>Add ${config.noun}</button>`}
    </div>
    <${ErrorNote} error=${removeError} />
    ${editing === "new"
      ? html`<${ItemForm} config=${config} profile=${profile} onDone=${(next) => { setEditing(null); if (next) onChanged(next); }} />`
      : null}
    ${items.length === 0 && editing !== "new" ? html`<p class="muted">None yet.</p>` : null}
    <ul class="items">
      ${items.map((item) =>
        editing === item.id
          ? html`<li key=${item.id}><${ItemForm} config=${config} profile=${profile} item=${item} onDone=${(next) => { setEditing(null); if (next) onChanged(next); }} /></li>`
          : html`<li key=${item.id} class="item">
              <div>
                <strong>${config.heading(item)}</strong>
                <div class="muted">${config.detail(item)}</div>
              </div>
              <div class="actions">
                <button type="button" class="secondary" onClick=${() => setEditing(item.id)} aria-label=${`Edit ${config.heading(item)}`}>Edit</button>
                <button type="button" class="danger" onClick=${() => confirm(`Delete ${config.heading(item)}?`) && remove(item)} aria-label=${`Delete ${config.heading(item)}`}>Delete</button>
              </div>
            </li>`,
      )}
    </ul>
  </section>`;
}

function ItemForm({ config, profile, item, onDone }) {
  const [form, setForm] = useState(toForm(config, item));
  const [save, busy, error] = useAction(async () => {
    const body = fromForm(config, form);
    const base = `/profiles/${profile.id}/${config.path}`;
    onDone(item ? await api.put(`${base}/${item.id}`, body) : await api.post(base, body));
  });
  return html`<form class="item-form" onSubmit=${(e) => { e.preventDefault(); save(); }}>
    <div class="grid fields">
      ${config.fields.map(
        (f) => html`<${Field} key=${f.name} label=${f.label} name=${f.name} type=${f.type || "text"} rows=${f.rows} hint=${f.hint}
          required=${f.required} value=${form[f.name]} onInput=${(v) => setForm({ ...form, [f.name]: v })} />`,
      )}
    </div>
    <${ErrorNote} error=${error} />
    <div class="actions">
      <button type="submit" disabled=${busy}>${item ? "Save" : `Add ${config.noun}`}</button>
      <button type="button" class="secondary" onClick=${() => onDone(null)}>Cancel</button>
    </div>
  </form>`;
}

const SKILL_GROUPS = [
  ["technical", "Technical", "technical"],
  ["soft", "Soft", "soft"],
  ["languages", "Languages", "language"],
  ["certifications", "Certifications", "certification"],
];

function Skills({ profile, onChanged }) {
  const [category, setCategory] = useState("technical");
  const [name, setName] = useState("");
  const [proficiency, setProficiency] = useState("");
  const [issuer, setIssuer] = useState("");
  const [add, busy, error] = useAction(async () => {
    const names = category === "technical" || category === "soft" ? commaList(name) : [name.trim()];
    const items = names.map((n) => {
      const item = { category, name: n };
      if (category === "language" && proficiency) item.proficiency = proficiency;
      if (category === "certification" && issuer) item.issuer = issuer;
      return item;
    });
    const next = await api.post(`/profiles/${profile.id}/skills`, items.length === 1 ? items[0] : items);
    setName("");
    onChanged(next);
  });
  const [remove, , removeError] = useAction(async (skill) => {
    await api.del(`/profiles/${profile.id}/skills/${skill.id}`);
    onChanged(null);
  });
  // Skills keep the order given (the writer leads with them), so the order is the
  // user's: a PUT of the skills alone, reordered, keeps every other component.
  const [moveEarlier, , moveError] = useAction(async (key, index) => {
    const group = [...profile.skills[key]];
    [group[index - 1], group[index]] = [group[index], group[index - 1]];
    const skills = { ...profile.skills, [key]: group };
    const next = await api.put(`/profiles/${profile.id}`, {
      personal_info: profile.personal_info,
      professional_summary: profile.professional_summary,
      custom_fields: profile.custom_fields,
      skills,
      expected_version: profile.version,
    });
    onChanged(next);
  });
  return html`<section class="card" aria-labelledby="skills-title">
    <h2 id="skills-title">Skills</h2>
    ${SKILL_GROUPS.map(([key, title]) => {
      const skills = profile.skills[key] || [];
      return html`<div class="skill-group">
        <h3>${title}</h3>
        ${skills.length === 0
          ? html`<p class="muted">None yet.</p>`
          : html`<ul class="chips">
              ${skills.map(
                (s, index) => html`<li key=${s.id} class="chip">
                  ${index > 0
                    ? html`<button type="button" class="chip-x" onClick=${() => moveEarlier(key, index)} aria-label=${`Move ${s.name} earlier`}>‹</button>`
                    : null}
                  ${s.name}${s.proficiency ? ` (${s.proficiency})` : ""}${s.issuer ? `, ${s.issuer}` : ""}
                  <button type="button" class="chip-x" onClick=${() => remove(s)} aria-label=${`Remove ${s.name}`}>×</button>
                </li>`,
              )}
            </ul>`}
      </div>`;
    })}
    <${ErrorNote} error=${removeError || moveError} />
    <form class="inline-form" onSubmit=${(e) => { e.preventDefault(); add(); }}>
      <${Field} label="Kind of skill" name="category" value=${category} onInput=${setCategory}
        options=${[["technical", "Technical"], ["soft", "Soft"], ["language", "Language"], ["certification", "Certification"]]} />
      <${Field} label=${category === "technical" || category === "soft" ? "Skills (comma separated)" : "Name"} name="skill_name" value=${name} onInput=${setName} required />
      ${category === "language"
        ? html`<${Field} label="Proficiency" name="proficiency" value=${proficiency} onInput=${setProficiency}
            options=${[["", "Not given"], "native", "fluent", "conversational", "basic"]} />`
        : null}
      ${category === "certification" ? html`<${Field} label="Issuer" name="issuer" value=${issuer} onInput=${setIssuer} />` : null}
      <button type="submit" disabled=${busy}>Add skill</button>
    </form>
    <${ErrorNote} error=${error} />
  </section>`;
}
