// Sign up and log in.

import { login, register } from "../api.js";
import { ErrorNote, Field, html, useAction, useState } from "../ui.js";

export function AuthScreen() {
  const [mode, setMode] = useState("login");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fullName, setFullName] = useState("");
  const [submit, busy, error] = useAction(async () => {
    if (mode === "signup") await register(email, password, fullName);
    else await login(email, password);
    if (!location.hash || location.hash === "#/") location.hash = "#/profile";
  });
  const signup = mode === "signup";
  return html`<section class="card narrow">
    <h1>${signup ? "Create your account" : "Log in to JobWise"}</h1>
    <form onSubmit=${(e) => { e.preventDefault(); submit(); }}>
      ${signup ? html`<${Field} label="Full name" name="full_name" value=${fullName} onInput=${setFullName} required autocomplete="name" />` : null}
      <${Field} label="Email" name="email" type="email" value=${email} onInput=${setEmail} required autocomplete="email" />
      <${Field} label="Password" name="password" type="password" value=${password} onInput=${setPassword} required
        autocomplete=${signup ? "new-password" : "current-password"}
        hint=${signup ? "At least 8 characters, with an upper-case letter, a lower-case letter and a digit." : null} />
      <${ErrorNote} error=${error} />
      <button type="submit" disabled=${busy}>${signup ? "Sign up" : "Log in"}</button>
    </form>
    <p>
      ${signup ? "Already have an account? " : "New here? "}
      <button type="button" class="link" onClick=${() => setMode(signup ? "login" : "signup")}>
        ${signup ? "Log in" : "Create an account"}
      </button>
    </p>
  </section>`;
}
