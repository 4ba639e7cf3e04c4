import { useState, type FormEvent } from "react";
import { ApiCallError, api, tokenStore } from "../api.js";

export function Login({ onLogin }: { onLogin: (name: string, scopes: string[]) => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    tokenStore.set(token.trim());
    try {
      const r = await api<{ token: { name: string; scopes: string[] } | null }>("GET", "/api/session");
      onLogin(r.token?.name ?? "anonymous", r.token?.scopes ?? []);
    } catch (err) {
      tokenStore.clear();
      setError(err instanceof ApiCallError ? err.message : String(err));
    }
  };
  return (
    <form className="login panel" onSubmit={submit}>
      <h2>Sign in</h2>
      <p className="muted">Paste an API token (create one with <code>pnpm drnn token create --name you --scope write</code>). It is kept in this tab only (sessionStorage).</p>
      <input name="token" type="password" autoComplete="off" placeholder="drnn_…" value={token} onChange={(e) => setToken(e.target.value)} />
      <button type="submit" disabled={!token.trim()}>Sign in</button>
      {error ? <p className="error" role="alert">{error}</p> : null}
    </form>
  );
}
