// The fields of a profile's components (experiences, education, projects), as the
// profile screen edits them and the review of a resume draft shows them; a form's text
// turned back into a request body.

import { commaList, lines } from "../ui.js";

export const COMPONENTS = [
  {
    path: "experiences",
    title: "Experience",
    noun: "experience",
    fields: [
      { name: "title", label: "Job title", required: true },
      { name: "company", label: "Company", required: true },
      { name: "location", label: "Location" },
      { name: "start_date", label: "Start date", type: "date", required: true },
      { name: "end_date", label: "End date", type: "date", hint: "Leave empty if you work there now." },
      { name: "description", label: "Description", rows: 3 },
      { name: "achievements", label: "Achievements", rows: 4, list: "lines", hint: "One per line." },
    ],
    heading: (x) => `${x.title} · ${x.company}`,
    detail: (x) => `${x.start_date || ""} – ${x.end_date || "now"}`,
  },
  {
    path: "education",
    title: "Education",
    noun: "education",
    fields: [
      { name: "institution", label: "Institution", required: true },
      { name: "degree", label: "Degree", required: true },
      { name: "field_of_study", label: "Field of study" },
      { name: "start_date", label: "Start date", type: "date", required: true },
      { name: "end_date", label: "End date", type: "date" },
      { name: "gpa", label: "GPA" },
      { name: "honors", label: "Honours", rows: 2, list: "lines", hint: "One per line." },
    ],
    heading: (x) => `${x.degree} · ${x.institution}`,
    detail: (x) => [x.field_of_study, `${x.start_date || ""} – ${x.end_date || "now"}`].filter(Boolean).join(", "),
  },
  {
    path: "projects",
    title: "Projects",
    noun: "project",
    fields: [
      { name: "name", label: "Project name", required: true },
      { name: "description", label: "Description", rows: 3 },
      { name: "technologies", label: "Technologies", list: "comma", hint: "Separated by commas." },
      { name: "url", label: "Link", type: "url" },
      { name: "start_date", label: "Start date", type: "date" },
      { name: "end_date", label: "End date", type: "date" },
    ],
    heading: (x) => x.name,
    detail: (x) => (x.technologies || []).join(", "),
  },
];

export function blankToNull(value) {
  return value === "" || value === undefined ? null : value;
}

export function toForm(config, item) {
  const form = {};
  for (const f of config.fields) {
    const v = item ? item[f.name] : "";
    form[f.name] = f.list === "lines" ? (v || []).join("\n") : f.list === "comma" ? (v || []).join(", ") : v ?? "";
  }
  return form;
}

export function fromForm(config, form) {
  const body = {};
  for (const f of config.fields) {
    const v = form[f.name];
    if (f.list === "lines") body[f.name] = lines(v);
    else if (f.list === "comma") body[f.name] = commaList(v);
    else body[f.name] = blankToNull(typeof v === "string" ? v.trim() : v);
  }
  return body;
}
