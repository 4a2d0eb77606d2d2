// The app shell: hash routes, the navigation, and who is signed in.

import * as auth from "./api.js";
import { AccountScreen, Farewell } from "./views/account.js";
import { AuthScreen } from "./views/auth.js";
import { Board } from "./views/board.js";
import { GenerationScreen } from "./views/generation.js";
import { History } from "./views/history.js";
import { JobDetail, Jobs } from "./views/jobs.js";
import { ProfileScreen } from "./views/profile.js";
import { html, render, useEffect, useRef, useState } from "./ui.js";

const NAV = [
  ["#/profile", "Profile"],
  ["#/jobs", "Jobs"],
  ["#/board", "Board"],
  ["#/account", "Account"],
];

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || "", args: parts.slice(1) };
}

const TITLES = { jobs: "Jobs", generations: "Document", board: "Board", history: "History", account: "Account" };

function Screen({ route, user }) {
  const [first, second] = route.args;
  useEffect(() => {
    document.title = `${TITLES[route.name] || "Profile"} · JobWise`;
  }, [route.name]);
  switch (route.name) {
    case "jobs":
      return first ? html`<${JobDetail} jobId=${first} key=${first} />` : html`<${Jobs} />`;
    case "generations":
      return html`<${GenerationScreen} generationId=${first} key=${first} />`;
    case "board":
      return html`<${Board} />`;
    case "account":
      return html`<${AccountScreen} user=${user} />`;
    case "history":
      return html`<${History} streamId=${first} label=${second} key=${first} />`;
    default:
      return html`<${ProfileScreen} />`;
  }
}

function App() {
  const [session, setSession] = useState(auth.currentSession());
  const [ready, setReady] = useState(!session);
  const [route, setRoute] = useState(parseRoute());
  const main = useRef(null);

  useEffect(() => auth.onSession(setSession), []);
  useEffect(() => {
    // A server that cannot be reached now keeps the stored session for the next try.
    if (session) auth.restore().catch(() => {}).finally(() => setReady(true));
    const onHash = () => {
      setRoute(parseRoute());
      // Keyboard and screen-reader users land on the new screen, not the old link.
      if (main.current) main.current.focus();
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  if (!ready) return html`<p class="loading">Loading…</p>`;
  const user = session && session.user;
  return html`
    <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); main.current && main.current.focus(); }}>Skip to content</a>
    <header class="top">
      <a class="brand" href="#/profile">JobWise</a>
      ${session
        ? html`<nav aria-label="Main">
            <ul>
              ${NAV.map(([href, text]) => html`<li><a href=${href} aria-current=${("#/" + route.name).startsWith(href) || (href === "#/profile" && !route.name) ? "page" : undefined}>${text}</a></li>`)}
            </ul>
          </nav>
          <div class="who">
            <span class="name">${user ? user.full_name : ""}</span>
            <button type="button" class="link" onClick=${() => auth.logout()}>Log out</button>
          </div>`
        : null}
    </header>
    <main id="main" tabindex="-1" ref=${main}>
      ${session ? html`<${Screen} route=${route} user=${user} />` : route.name === "farewell" ? html`<${Farewell} />` : html`<${AuthScreen} />`}
    </main>
  `;
}

// Test hook: lets the browser tests cut the live socket mid-generation.
window.__jobwise = window.__jobwise || {};

const root = document.getElementById("app");
root.textContent = ""; // the "Loading" line the page shows before any script runs
render(html`<${App} />`, root);
